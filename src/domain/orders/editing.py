"""Editing an order before shipment (ORD-2): lines, address, prices.

Each edit is refused once goods have left (``order_not_editable``), appends a timeline
entry, and changes what ``stock_delta()`` reports, so the use case re-reserves or
releases stock in the same transaction. An edit to an approved or allocated order sends
it back for review. Totals are properties, so they are always re-computed; when a paid
order's total changes, ``balance_due`` shows what is owed either way and the order is
abnormal ``paid_amount_mismatch`` until the difference is paid or refunded; an address
change opens or closes ``address_incomplete`` (causes.py).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from domain.orders.abnormal import AbnormalType
from domain.orders.lines import OrderLine
from domain.orders.state import OrderState
from domain.orders.status import OrderStatus
from domain.orders.timeline import Actor, RuleRef, TimelineKind
from domain.orders.values import Receiver, clean_text, exact
from domain.shared.errors import NotFound, ValidationFailed

_REVIEW_AGAIN = frozenset({OrderStatus.APPROVED, OrderStatus.ALLOCATED})


class OrderEdits(OrderState):
    def add_line(
        self,
        line: OrderLine,
        at: datetime,
        actor: Actor,
        rule: RuleRef | None = None,
        reason: str | None = None,
    ) -> None:
        self._require_editable("add_line")
        before = self.total
        line.checked(self.currency, "line")
        if self.line(line.id) is not None:
            raise ValidationFailed.single("line.id", "duplicate_line_id")
        self.lines = (*self.lines, line)
        kind = TimelineKind.GIFT_ADDED if line.gift else TimelineKind.LINE_ADDED
        detail = {"line": str(line.id), "sku": str(line.sku_id), "quantity": str(line.quantity)}
        self._edited(at, actor, kind, reason, rule, detail, opening=self._repriced(before))

    def remove_line(self, line_id: UUID, at: datetime, actor: Actor, reason: str) -> None:
        self._require_editable("remove_line")
        before = self.total
        line = self._existing(line_id)
        if len(self.lines) == 1:
            raise ValidationFailed.single("lines", "order_needs_a_line")
        self.lines = tuple(other for other in self.lines if other.id != line_id)
        detail = {"line": str(line.id)}
        opening = self._repriced(before)
        self._edited(at, actor, TimelineKind.LINE_REMOVED, reason, None, detail, opening=opening)

    def change_quantity(
        self, line_id: UUID, quantity: int, at: datetime, actor: Actor, reason: str
    ) -> None:
        """Discounts stay as amounts; one larger than the new gross is refused."""
        self._require_editable("change_quantity")
        before = self.total
        line = self._existing(line_id)
        changed = replace(line, quantity=quantity).checked(self.currency, "line")
        self._replace_line(changed)
        detail = {"line": str(line_id), "from": str(line.quantity), "to": str(quantity)}
        kind, opening = TimelineKind.QUANTITY_CHANGED, self._repriced(before)
        self._edited(at, actor, kind, reason, None, detail, opening=opening)

    def adjust_price(
        self, line_id: UUID, unit_price: Decimal, at: datetime, actor: Actor, reason: str
    ) -> None:
        """A manual price change (``orders:adjust_price``): the reason is required and the
        old and new prices are kept in the timeline."""
        self._require_editable("adjust_price")
        if not clean_text(reason, "reason", 200):
            raise ValidationFailed.single("reason", "required")
        before = self.total
        line = self._existing(line_id)
        exact(unit_price, self.currency, "unit_price")
        changed = replace(line, unit_price=unit_price).checked(self.currency, "line")
        self._replace_line(changed)
        detail = {"line": str(line_id), "from": str(line.unit_price), "to": str(unit_price)}
        kind, opening = TimelineKind.PRICE_ADJUSTED, self._repriced(before)
        self._edited(at, actor, kind, reason, None, detail, opening=opening)

    def change_address(self, receiver: Receiver, at: datetime, actor: Actor, reason: str) -> None:
        self._require_editable("change_address")
        self.receiver = receiver
        # personal data stays out of the timeline and the event: only that it changed
        self._edited(
            at,
            actor,
            TimelineKind.ADDRESS_CHANGED,
            reason,
            None,
            {},
            fields=("receiver",),
            opening=(AbnormalType.ADDRESS_INCOMPLETE,),
        )

    def _repriced(self, before: Decimal) -> tuple[AbnormalType, ...]:
        """A paid total an edit changed opens ``paid_amount_mismatch``."""
        return (AbnormalType.PAID_AMOUNT_MISMATCH,) if self.total != before else ()

    def _existing(self, line_id: UUID) -> OrderLine:
        line = self.line(line_id)
        if line is None:
            raise NotFound(entity="order_line", id=str(line_id))
        return line

    def _replace_line(self, changed: OrderLine) -> None:
        self.lines = tuple(changed if line.id == changed.id else line for line in self.lines)

    def _edited(
        self,
        at: datetime,
        actor: Actor,
        kind: TimelineKind,
        reason: str | None,
        rule: RuleRef | None,
        detail: dict[str, str],
        fields: tuple[str, ...] = ("lines",),
        opening: tuple[AbnormalType, ...] = (),
    ) -> None:
        """The edit on the timeline and in an event; an approved order back to review;
        the abnormalities the figures decide rechecked, ``opening`` those this edit may
        open (causes.py)."""
        self._log(at, actor, kind, reason=reason, rule=rule, detail=detail)
        self._changed("order.edited", fields, edit=kind)
        underlying = self.resume_status or self.status
        if underlying in _REVIEW_AGAIN:
            if self.resume_status is not None:
                self.resume_status = OrderStatus.AWAITING_REVIEW
                self._log(at, actor, TimelineKind.REVIEW_AGAIN, reason=kind, rule=rule)
            else:
                self._transition(OrderStatus.AWAITING_REVIEW, at, actor, f"edited: {kind}", rule)
        self.recheck_causes(at, actor, opening)
