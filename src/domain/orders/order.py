"""The order aggregate (ORD-1..ORD-3): creation and the status operations.

Every operation takes the time and the actor (the domain reads no clock and knows no
user), validates against the transition table (status.py), appends a timeline entry and
records a domain event; a rule's decision passes its ``RuleRef``, so the timeline says
which rule and version did it. Edits are in editing.py, payments in payments.py.
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from domain.orders.abnormal import POLICIES, Abnormality, AbnormalType, Release
from domain.orders.causes import CAUSES, DETECTED, GONE, missing_parts
from domain.orders.editing import OrderEdits
from domain.orders.errors import AbnormalReleaseRefused, TransitionRefused
from domain.orders.lines import OrderLine
from domain.orders.payments import OrderPayments
from domain.orders.state import Hold
from domain.orders.status import INTERRUPTIBLE, OrderStatus
from domain.orders.timeline import Actor, RuleRef, SystemReason, TimelineKind
from domain.orders.values import (
    ZERO,
    InvoiceRequest,
    OrderNumber,
    Receiver,
    SellerMemo,
    clean_text,
    exact,
)
from domain.shared.errors import ValidationFailed
from domain.shared.events import DomainEvent
from domain.shared.money import quantum

S = OrderStatus
MIN_PRIORITY, MAX_PRIORITY = 0, 100
_INTERRUPTIONS = frozenset({S.HELD, S.ABNORMAL})


class Order(OrderPayments, OrderEdits):
    @classmethod
    def create(
        cls,
        *,
        order_id: UUID,
        number: OrderNumber,
        currency: str,
        lines: Sequence[OrderLine],
        receiver: Receiver,
        placed_at: datetime,
        actor: Actor,
        channel_id: UUID | None = None,
        platform_order_ids: Sequence[str] = (),
        customer_id: UUID | None = None,
        shipping_fee: Decimal = ZERO,
        buyer_message: str | None = None,
        seller_memo: SellerMemo | None = None,
        invoice: InvoiceRequest | None = None,
        cash_on_delivery: bool = False,
    ) -> Order:
        quantum(currency)  # an unknown currency is refused here
        if not lines:
            raise ValidationFailed.single("lines", "order_needs_a_line")
        checked = tuple(line.checked(currency, f"lines[{i}]") for i, line in enumerate(lines))
        if len({line.id for line in checked}) != len(checked):
            raise ValidationFailed.single("lines", "duplicate_line_id")
        order = cls(
            id=order_id,
            number=number,
            currency=currency,
            lines=checked,
            receiver=receiver,
            placed_at=placed_at,
            channel_id=channel_id,
            platform_order_ids=tuple(dict.fromkeys(platform_order_ids)),
            customer_id=customer_id,
            shipping_fee=exact(shipping_fee, currency, "shipping_fee"),
            buyer_message=clean_text(buyer_message, "buyer_message"),
            seller_memo=seller_memo or SellerMemo(),
            invoice=invoice,
            cash_on_delivery=cash_on_delivery,
        )
        order._log(placed_at, actor, TimelineKind.CREATED, to_status=S.PENDING_PAYMENT)
        order.record_event(
            DomainEvent("order.created", "order", order_id, data={"number": number.value})
        )
        return order

    # --- plain moves along the table -----------------------------------------------------

    def move_to(
        self,
        target: OrderStatus,
        at: datetime,
        actor: Actor,
        reason: str | None = None,
        rule: RuleRef | None = None,
    ) -> None:
        """Any move of the table except into or out of held / abnormal (``hold``,
        ``mark_abnormal``, ``release_hold``, ``resolve_abnormal`` carry their data)."""
        current = self.status

        def refuse(guard: str) -> TransitionRefused:
            return TransitionRefused(from_status=current.value, to_status=target.value, guard=guard)

        if target in _INTERRUPTIONS:
            raise refuse("use_hold_or_mark_abnormal")
        if current in _INTERRUPTIONS and target is not S.CANCELLED:
            raise refuse("release_first")
        if (
            current is S.PENDING_PAYMENT
            and target is S.AWAITING_REVIEW
            and not self.cash_on_delivery
        ):
            raise refuse("cash_on_delivery_only")
        if target is S.PAID and not self.is_fully_paid:
            raise refuse("not_fully_paid")
        self._transition(target, at, actor, reason, rule)
        if target is S.CANCELLED:
            self.hold, self.abnormalities, self.resume_status = None, (), None
        if target is S.PAID and self.paid_at is None:
            self.paid_at = at

    def approve(self, at: datetime, actor: Actor, rule: RuleRef | None = None) -> None:
        self.move_to(S.APPROVED, at, actor, SystemReason.APPROVED, rule)

    def cancel(self, at: datetime, actor: Actor, reason: str, rule: RuleRef | None = None) -> None:
        self.move_to(S.CANCELLED, at, actor, reason, rule)

    # --- held and abnormal: interruptions that return to where the order was ------------

    def hold_order(
        self,
        at: datetime,
        actor: Actor,
        reason: str,
        until: datetime | None = None,
        rule: RuleRef | None = None,
    ) -> None:
        if until is not None and until <= at:
            raise ValidationFailed.single("until", "hold_until_in_the_past")
        self._interrupt(S.HELD)
        self.hold = Hold(reason, at, until, rule)
        before = self.status
        self._settle(at, actor, reason, rule)
        if self.status is before:  # already held or abnormal: still on the timeline
            detail = {"until": until.isoformat()} if until else {}
            self._log(at, actor, TimelineKind.HOLD_SET, reason=reason, rule=rule, detail=detail)
            self._changed("order.held", ("hold",))

    def release_hold(
        self, at: datetime, actor: Actor, reason: str = "released", rule: RuleRef | None = None
    ) -> None:
        if self.hold is None:
            raise TransitionRefused(
                from_status=self.status.value, to_status=self.status.value, guard="not_held"
            )
        self.hold = None
        before = self.status
        self._settle(at, actor, reason, rule)
        if self.status is before:  # still abnormal: the release is on the timeline anyway
            self._log(at, actor, TimelineKind.HOLD_RELEASED, reason=reason, rule=rule)
            self._changed("order.hold_released", ("hold",))

    def mark_abnormal(self, abnormality: Abnormality, actor: Actor) -> None:
        """Open an abnormality; marking a type already open changes nothing."""
        if any(a.type is abnormality.type for a in self.abnormalities):
            return
        note = abnormality.note or abnormality.type.value
        self._interrupt(S.ABNORMAL)
        self.abnormalities = (*self.abnormalities, abnormality)
        self._log(
            abnormality.since,
            actor,
            TimelineKind.ABNORMAL_MARKED,
            reason=note,
            rule=abnormality.rule,
            detail={"type": abnormality.type.value, **abnormality.detail},
        )
        self._settle(abnormality.since, actor, note, abnormality.rule)

    def resolve_abnormal(
        self, kind: AbnormalType, at: datetime, actor: Actor, reason: str, *, automatic: bool
    ) -> None:
        """Close one abnormality. ``automatic`` (its cause went away) is refused for the
        types only a person may release."""
        if not any(a.type is kind for a in self.abnormalities):
            raise AbnormalReleaseRefused(type=kind.value, reason="not_open")
        if automatic and POLICIES[kind].release is Release.MANUAL:
            raise AbnormalReleaseRefused(type=kind.value, reason="manual_release_only")
        self.abnormalities = tuple(a for a in self.abnormalities if a.type is not kind)
        self._log(
            at, actor, TimelineKind.ABNORMAL_RESOLVED, reason=reason, detail={"type": kind.value}
        )
        self._settle(at, actor, reason, None)

    def recheck_causes(
        self, at: datetime, actor: Actor, opening: Collection[AbnormalType] = ()
    ) -> None:
        """The abnormalities the order's own figures decide (causes.py), made to match
        them: one whose cause went away closed automatically, and one of ``opening`` whose
        cause shows opened while the order can still be stopped (the caller says which its
        change may open: an edit of the lines a mismatch, an address change an incomplete
        receiver, the intake both)."""
        stoppable = not self.retired and self.status in INTERRUPTIBLE | _INTERRUPTIONS
        for kind, shows in CAUSES.items():
            found = next((a for a in self.abnormalities if a.type is kind), None)
            if found is not None and not shows(self) and not (found.rule and kind in DETECTED):
                self.resolve_abnormal(kind, at, actor, GONE[kind], automatic=True)
            elif found is None and stoppable and kind in opening and shows(self):
                note = DETECTED[kind]
                self.mark_abnormal(Abnormality(kind, at, note, self._cause(kind)), actor)

    def _cause(self, kind: AbnormalType) -> dict[str, str]:
        if kind is AbnormalType.ADDRESS_INCOMPLETE:
            return {"missing": missing_parts(self)}
        return {"balance_due": str(self.balance_due)}

    def _interrupt(self, target: OrderStatus) -> None:
        """Remember where the order was before its first interruption (held / abnormal)."""
        if self.retired or (self.status not in _INTERRUPTIONS and self.status not in INTERRUPTIBLE):
            guard = "retired" if self.retired else "not_interruptible"
            raise TransitionRefused(
                from_status=self.status.value, to_status=target.value, guard=guard
            )
        if self.status not in _INTERRUPTIONS:
            self.resume_status = self.status

    def _settle(self, at: datetime, actor: Actor, reason: str, rule: RuleRef | None) -> None:
        """Abnormal outranks held; with neither left, back to the interrupted status."""
        if self.abnormalities:
            target = S.ABNORMAL
        elif self.hold is not None:
            target = S.HELD
        else:
            assert self.resume_status is not None  # guard: set by _interrupt
            target = self.resume_status
        if target is not self.status:
            self._transition(target, at, actor, reason, rule)
        if target not in _INTERRUPTIONS:
            self.resume_status = None

    # --- assignments a rule or a person makes ----------------------------------------

    def assign_warehouse(
        self,
        warehouse_id: UUID,
        at: datetime,
        actor: Actor,
        rule: RuleRef | None = None,
        reason: str | None = None,
    ) -> bool:
        """Ship from ``warehouse_id``; False (nothing written) when the order and all its
        lines already ship from it."""
        self._require_editable("assign_warehouse")
        if self.warehouse_id == warehouse_id and all(
            line.warehouse_id == warehouse_id for line in self.lines
        ):
            return False
        self.warehouse_id = warehouse_id
        self.lines = tuple(replace(line, warehouse_id=warehouse_id) for line in self.lines)
        self._log(
            at,
            actor,
            TimelineKind.WAREHOUSE_ASSIGNED,
            reason=reason,
            rule=rule,
            detail={"warehouse": str(warehouse_id)},
        )
        self._changed("order.assigned", ("warehouse_id",))
        return True

    def assign_carrier(
        self,
        carrier: str,
        at: datetime,
        actor: Actor,
        rule: RuleRef | None = None,
        reason: str | None = None,
    ) -> bool:
        """Hand the order to ``carrier``; False (nothing written) when it has it already."""
        self._require_editable("assign_carrier")
        cleaned = clean_text(carrier, "carrier", 32)
        if cleaned == self.carrier:
            return False
        self.carrier = cleaned
        detail = {"carrier": carrier}
        self._log(at, actor, TimelineKind.CARRIER_ASSIGNED, reason=reason, rule=rule, detail=detail)
        self._changed("order.assigned", ("carrier",))
        return True

    def mark_merge_eligible(
        self,
        after: datetime,
        at: datetime,
        actor: Actor,
        rule: RuleRef | None = None,
        reason: str | None = None,
    ) -> None:
        self.merge_after = after
        detail = {"after": after.isoformat()}
        self._log(at, actor, TimelineKind.MERGE_ELIGIBLE, reason=reason, rule=rule, detail=detail)
        self._changed("order.merge_eligible", ("merge_after",))

    def set_priority(
        self,
        priority: int,
        at: datetime,
        actor: Actor,
        rule: RuleRef | None = None,
        reason: str | None = None,
    ) -> None:
        """The work queue's priority (ORD-8), ``MIN_PRIORITY``..``MAX_PRIORITY``, higher
        first; any order that is not retired may be reprioritised."""
        if not MIN_PRIORITY <= priority <= MAX_PRIORITY:
            raise ValidationFailed.single(
                "priority", "priority_out_of_range", min=MIN_PRIORITY, max=MAX_PRIORITY
            )
        if priority == self.priority:
            return
        detail = {"from": str(self.priority), "to": str(priority)}
        self.priority = priority
        self._log(at, actor, TimelineKind.PRIORITY_SET, reason=reason, rule=rule, detail=detail)
        self._changed("order.prioritised", ("priority",))

    def note(
        self,
        kind: TimelineKind,
        at: datetime,
        actor: Actor,
        reason: str | None = None,
        rule: RuleRef | None = None,
        detail: Mapping[str, str] | None = None,
    ) -> None:
        """A timeline entry that changes nothing else (e.g. "split requested by rule r7");
        a new version all the same, so the entry is saved."""
        self._log(at, actor, kind, reason=reason, rule=rule, detail=detail)
        self.version += 1

    # --- shipment and refund requests (fulfilment and after-sales build on these) --------

    def record_shipment(self, quantities: Mapping[UUID, int], at: datetime, actor: Actor) -> None:
        """Units shipped by line id: partly shipped until every unit has left."""
        shipped = dict(self.shipped_quantities)
        for line_id, units in quantities.items():
            line = self.line(line_id)
            if line is None or units < 1 or shipped.get(line_id, 0) + units > line.quantity:
                raise ValidationFailed.single("quantities", "invalid_shipment", line=str(line_id))
            shipped[line_id] = shipped.get(line_id, 0) + units
        whole = all(shipped.get(line.id, 0) == line.quantity for line in self.lines)
        target = S.SHIPPED if whole else S.PARTLY_SHIPPED
        if self.status not in (S.PICKING, S.PARTLY_SHIPPED):
            raise TransitionRefused(from_status=self.status.value, to_status=target.value)
        self.shipped_quantities = shipped
        detail = {str(k): str(v) for k, v in quantities.items()}
        if target is self.status:
            self._log(at, actor, TimelineKind.SHIPMENT_RECORDED, detail=detail)
            self._changed("order.shipped", ("shipped_quantities",))
        else:
            self._transition(target, at, actor, "shipment recorded", None, detail)

    def set_refund_requested(self, requested: bool, at: datetime, actor: Actor) -> None:
        """The buyer asked for (or withdrew) a refund on the platform; blocks merging."""
        if requested == self.refund_requested:
            return
        self.refund_requested = requested
        self._log(
            at,
            actor,
            TimelineKind.REFUND_REQUESTED if requested else TimelineKind.REFUND_REQUEST_WITHDRAWN,
        )
        self._changed("order.refund_requested", ("refund_requested",))
        self.recheck_causes(at, actor)  # a withdrawn request closes its abnormality

    def trial_copy(self) -> Order:
        """A copy to try changes on (dry-run). Shallow is enough: every field is immutable
        or replaced whole, never changed in place — only the event list is appended to."""
        trial = copy.copy(self)
        trial.events = []
        return trial

    # --- stock the inventory must hold for this order ----------------------------------

    def required_stock(self) -> dict[UUID, int]:
        """Units by SKU this order needs reserved: none once cancelled or retired."""
        if self.status is S.CANCELLED or self.retired:
            return {}
        needed: dict[UUID, int] = {}
        for line in self.lines:
            still = line.quantity - self.shipped_quantities.get(line.id, 0)
            if still:
                needed[line.sku_id] = needed.get(line.sku_id, 0) + still
        return needed

    def stock_delta(self) -> dict[UUID, int]:
        """What inventory must reserve (positive) or release (negative), by SKU, to match
        the order since the last ``stock_reserved``; the use case hands it to inventory."""
        needed = self.required_stock()
        delta = {
            sku: needed.get(sku, 0) - self.reserved.get(sku, 0)
            for sku in set(needed) | set(self.reserved)
        }
        return {sku: units for sku, units in sorted(delta.items()) if units}

    def stock_reserved(self) -> None:
        """Inventory now holds ``required_stock()`` (called after the reservation commits)."""
        self.reserved = self.required_stock()
