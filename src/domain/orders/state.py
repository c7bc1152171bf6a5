"""What an order holds, its totals, and the one place its status changes (``_transition``).

``Order`` (order.py) adds creation and the status operations; ``OrderEdits`` (editing.py)
and ``OrderPayments`` (payments.py) add edits and money. They share this state so each file
stays about one thing.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from domain.orders.abnormal import Abnormality, AbnormalType
from domain.orders.errors import OrderNotEditable, TransitionRefused
from domain.orders.lines import OrderLine
from domain.orders.payment_records import Payment, Refund
from domain.orders.status import SHIPPED_OR_LATER, OrderStatus, check_transition
from domain.orders.timeline import Actor, RuleRef, TimelineEntry, TimelineKind
from domain.orders.values import ZERO, InvoiceRequest, OrderNumber, Receiver, SellerMemo
from domain.shared.events import DomainEvent, RecordsEvents

ENTITY = "order"

# An edit to an approved or allocated order sends it back for review; while picking, the
# warehouse has the goods in hand, so edits wait for an interception (cancel) or shipment.
EDITABLE: frozenset[OrderStatus] = frozenset(
    {
        OrderStatus.PENDING_PAYMENT,
        OrderStatus.PAID,
        OrderStatus.AWAITING_REVIEW,
        OrderStatus.APPROVED,
        OrderStatus.ALLOCATED,
        OrderStatus.HELD,
        OrderStatus.ABNORMAL,
    }
)


_S = OrderStatus
BUYER_STEPS: Mapping[OrderStatus, str] = {
    **dict.fromkeys((_S.PAID, _S.AWAITING_REVIEW, _S.APPROVED, _S.ALLOCATED, _S.PICKING), "paid"),
    _S.PARTLY_SHIPPED: "partly_shipped",
    _S.SHIPPED: "shipped",
    _S.DELIVERED: "delivered",
    _S.COMPLETED: "delivered",
    _S.CANCELLED: "cancelled",
}


@dataclass(frozen=True)
class Hold:
    reason: str
    since: datetime
    until: datetime | None = None  # None: until a person releases it
    rule: RuleRef | None = None

    def expired(self, now: datetime) -> bool:
        return self.until is not None and now >= self.until


@dataclass
class OrderState(RecordsEvents):
    id: UUID
    number: OrderNumber
    currency: str
    lines: tuple[OrderLine, ...]
    receiver: Receiver
    placed_at: datetime
    status: OrderStatus = OrderStatus.PENDING_PAYMENT
    channel_id: UUID | None = None
    platform_order_ids: tuple[str, ...] = ()
    customer_id: UUID | None = None
    shipping_fee: Decimal = ZERO
    buyer_message: str | None = None
    seller_memo: SellerMemo = field(default_factory=SellerMemo)
    invoice: InvoiceRequest | None = None
    cash_on_delivery: bool = False
    payments: tuple[Payment, ...] = ()
    refunds: tuple[Refund, ...] = ()
    paid_at: datetime | None = None
    refund_requested: bool = False
    # held / abnormal interrupt the status in ``resume_status`` and return to it
    resume_status: OrderStatus | None = None
    hold: Hold | None = None
    abnormalities: tuple[Abnormality, ...] = ()
    warehouse_id: UUID | None = None
    carrier: str | None = None
    merge_after: datetime | None = None  # a rule made it eligible for automatic merging
    priority: int = 0  # the work queue's first key (ORD-8): higher first
    shipped_quantities: Mapping[UUID, int] = field(default_factory=dict)  # by line id
    # stock the inventory holds for this order, by SKU (``stock_delta``)
    reserved: Mapping[UUID, int] = field(default_factory=dict)
    # inventory's reservations holding ``reserved`` (the use case keeps them in step)
    reservation_ids: tuple[UUID, ...] = ()
    merged_from: tuple[OrderState, ...] = ()  # the originals, as they were when merged
    merged_into: UUID | None = None
    split_from: UUID | None = None
    split_into: tuple[UUID, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    version: int = 1

    # --- money -----------------------------------------------------------------------

    @property
    def goods_total(self) -> Decimal:
        return sum((line.gross for line in self.lines), ZERO)

    @property
    def discount_total(self) -> Decimal:
        return sum((line.discount_total for line in self.lines), ZERO)

    @property
    def tax_total(self) -> Decimal:
        return sum((line.tax for line in self.lines), ZERO)

    @property
    def total(self) -> Decimal:
        """Lines less their discounts, plus tax and shipping: exact, no rounding needed
        (the lines' nets, each worked out once)."""
        return sum((line.net for line in self.lines), ZERO) + self.shipping_fee

    @property
    def received(self) -> Decimal:
        return sum((p.amount for p in self.payments), ZERO)

    @property
    def refunded(self) -> Decimal:
        return sum((r.amount for r in self.refunds), ZERO)

    @property
    def paid_amount(self) -> Decimal:
        return self.received - self.refunded

    @property
    def balance_due(self) -> Decimal:
        """Positive: still owed by the buyer; negative: owed back to the buyer."""
        return self.total - self.paid_amount

    @property
    def is_fully_paid(self) -> bool:
        return self.paid_amount >= self.total

    @property
    def weight_grams(self) -> int:
        return sum(line.weight_grams for line in self.lines)

    @property
    def retired(self) -> bool:
        """Merged into another order or split into parts: kept for history only."""
        return self.merged_into is not None or bool(self.split_into)

    @property
    def buyer_step(self) -> str | None:
        """Where the order is as its buyer sees it (ORD-7: the steps they are emailed
        about): paid, partly_shipped, shipped, delivered, cancelled; None before payment.
        Review, holds and abnormalities are the back office's: an interrupted order is
        at the step of the status it will return to."""
        status = self.status
        if status in (OrderStatus.HELD, OrderStatus.ABNORMAL) and self.resume_status:
            status = self.resume_status
        return BUYER_STEPS.get(status)

    @property
    def due_at(self) -> datetime | None:
        """When the earliest open abnormality is overdue (its target time, ORD-5); the
        work queue orders by the time left to it (ORD-8)."""
        return min((a.due() for a in self.abnormalities), default=None)

    def line(self, line_id: UUID) -> OrderLine | None:
        return next((line for line in self.lines if line.id == line_id), None)

    # --- the one place the status changes ----------------------------------------------

    def _log(
        self,
        at: datetime,
        actor: Actor,
        kind: TimelineKind,
        *,
        reason: str | None = None,
        rule: RuleRef | None = None,
        from_status: OrderStatus | None = None,
        to_status: OrderStatus | None = None,
        detail: Mapping[str, str] | None = None,
    ) -> None:
        self.timeline = (
            *self.timeline,
            TimelineEntry(
                at,
                actor,
                kind,
                reason,
                from_status.value if from_status else None,
                to_status.value if to_status else None,
                rule,
                dict(detail or {}),
            ),
        )

    def recheck_causes(
        self, at: datetime, actor: Actor, opening: Collection[AbnormalType] = ()
    ) -> None:
        """The abnormalities the order's own figures decide, made to match them: the
        order's (order.py), called by the edits and the payments after each change."""
        raise NotImplementedError

    def _changed(self, event_type: str, fields: tuple[str, ...] = (), **data: str) -> None:
        self.version += 1
        self.record_event(DomainEvent(event_type, ENTITY, self.id, fields, dict(data)))

    def _transition(
        self,
        target: OrderStatus,
        at: datetime,
        actor: Actor,
        reason: str | None,
        rule: RuleRef | None,
        detail: Mapping[str, str] | None = None,
    ) -> None:
        if self.retired:
            raise TransitionRefused(
                from_status=self.status.value, to_status=target.value, guard="retired"
            )
        check_transition(self.status, target)
        before = self.status
        self.status = target
        self._log(
            at,
            actor,
            TimelineKind.STATUS_CHANGED,
            reason=reason,
            rule=rule,
            from_status=before,
            to_status=target,
            detail=detail,
        )
        self._changed(
            "order.status_changed", ("status",), from_status=before.value, to_status=target.value
        )

    @property
    def editable(self) -> bool:
        """Lines, receiver, prices and assignments may still change: not retired, and no
        goods in hand or gone (an interrupted order as the status it returns to)."""
        underlying = self.resume_status or self.status
        return not (
            self.retired
            or self.status not in EDITABLE
            or underlying in SHIPPED_OR_LATER
            or underlying is OrderStatus.PICKING
        )

    def _require_editable(self, operation: str) -> None:
        if not self.editable:
            raise OrderNotEditable(status=self.status.value, operation=operation)
