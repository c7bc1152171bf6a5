"""An order's life after placing (ORD-1..ORD-3, ORD-5, ORD-7): payments and refunds,
approve / hold / release / cancel, abnormalities released by hand, edits before shipment.

Every command loads the order locked for its transaction, checks If-Match, changes it
through the aggregate (which validates the move and writes the timeline), keeps inventory
in step (a cancel releases the stock; an edit re-reserves what changed, all or nothing),
saves at the version it read, audits, publishes the events and tells the roles concerned
of a status change (inbox; webhooks through ``order.status_changed``).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from application.inventory.ports import INVENTORY
from application.notifications.ports import Notifier
from application.orders.common import (
    SYSTEM,
    RuleReview,
    StockKeeper,
    actor_of,
    load_order,
    store_of,
    tell_concerned,
)
from application.orders.ports import PriceRequest, PricingPolicy, StoredOrder
from application.orders.review import Reviewer
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.orders.abnormal import AbnormalType
from domain.orders.lines import OrderLine
from domain.orders.order import Order
from domain.orders.payment_records import Payment, PaymentMethod, Refund
from domain.orders.permissions import (
    ORDERS_ADJUST_PRICE,
    ORDERS_REVIEW,
    ORDERS_WRITE,
)
from domain.orders.rules.apply import Application
from domain.orders.state import ENTITY
from domain.orders.status import OrderStatus
from domain.orders.timeline import SystemReason
from domain.orders.values import Receiver
from domain.shared.errors import NotFound


def _snapshot(order: Order) -> dict[str, str]:
    return {
        "status": order.status.value,
        "total": str(order.total),
        "paidAmount": str(order.paid_amount),
        "lines": str(len(order.lines)),
    }


class _Change:
    """Load (locked) → check the version → change → keep stock in step → save → audit →
    publish → notify: the one shape of every command on an order."""

    def __init__(self, keeper: StockKeeper, notifier: Notifier, reviewer: Reviewer) -> None:
        self._keeper = keeper
        self._notifier = notifier
        self._reviewer = reviewer

    async def run(
        self,
        work: Work,
        order_id: UUID,
        expected_version: int | None,
        change: Callable[[Order, datetime, str], Awaitable[Application | None] | object],
        *,
        versioned: bool = True,
    ) -> StoredOrder:
        """``change`` answers the rule set's review when it made one (a payment, a hold
        released; anything else it answers is not read): what the decision leaves for
        later (a split) is carried out once the order is saved."""
        stored = await load_order(work.uow, order_id, for_update=True)
        order = stored.order
        if versioned:
            check_version(expected_version, order.version)
        before, status, read_version = _snapshot(order), order.status.value, order.version
        buyer_before, warehouse = order.buyer_step, order.warehouse_id
        done = change(order, work.clock.now(), actor_of(work.ctx))
        reviewed = await done if inspect.isawaitable(done) else None
        if order.version == read_version:
            return stored  # nothing changed: nothing written
        # a rule's is moved or kept and explained: a payment is never refused for it
        await self._keeper.relocate_by_rule(work, [RuleReview(order, warehouse, reviewed)])
        await self._keeper.sync_or_refuse(work, order)
        await store_of(work.uow).orders.save(order, read_version)
        work.audit(order.id, before, _snapshot(order), detail={"version": order.version})
        work.publish(order)
        await tell_concerned(self._notifier, work, order, status, buyer_before)
        return await self._reviewer.follow_up(work, order, reviewed) or stored


# --- payments and refunds (ORD-3) ---------------------------------------------------------


class RecordPayment(
    Command[StoredOrder], action="order.payment", entity=ENTITY, permission=ORDERS_WRITE
):
    """Unversioned: payments arrive from outside (a provider's notice) and add up; a
    transaction id already recorded on the order records nothing."""

    order_id: UUID
    method: PaymentMethod
    amount: Decimal
    transaction_id: str | None = None
    paid_at: datetime | None = None


class RecordRefund(
    Command[StoredOrder], action="order.refund", entity=ENTITY, permission=ORDERS_WRITE
):
    order_id: UUID
    payment_id: UUID
    amount: Decimal
    reason: str
    transaction_id: str | None = None


# --- review (ORD-1, ORD-5) ------------------------------------------------------------------


class ApproveOrder(
    Command[StoredOrder], action="order.approve", entity=ENTITY, permission=ORDERS_REVIEW
):
    order_id: UUID
    expected_version: int | None


class HoldOrder(Command[StoredOrder], action="order.hold", entity=ENTITY, permission=ORDERS_REVIEW):
    order_id: UUID
    reason: str
    until: datetime | None
    expected_version: int | None


class ReleaseHold(
    Command[StoredOrder], action="order.release", entity=ENTITY, permission=ORDERS_REVIEW
):
    order_id: UUID
    expected_version: int | None
    reason: str = "released"


class ResolveAbnormal(
    Command[StoredOrder], action="order.resolve_abnormal", entity=ENTITY, permission=ORDERS_REVIEW
):
    order_id: UUID
    type: AbnormalType
    reason: str
    expected_version: int | None


class CancelOrder(
    Command[StoredOrder], action="order.cancel", entity=ENTITY, permission=ORDERS_REVIEW
):
    order_id: UUID
    reason: str
    expected_version: int | None


# --- the work queue's assignments (ORD-8) ----------------------------------------------------


class AssignWarehouse(
    Command[StoredOrder], action="order.assign_warehouse", entity=ENTITY, permission=ORDERS_REVIEW
):
    """Ship from this warehouse of the tenant (404 ``warehouse`` for one it does not have);
    the stock the order holds is reserved again there, all lines or a 409
    ``order_out_of_stock`` naming the SKUs short (nothing changed)."""

    order_id: UUID
    warehouse_id: UUID
    expected_version: int | None
    reason: str | None = None


class AssignCarrier(
    Command[StoredOrder], action="order.assign_carrier", entity=ENTITY, permission=ORDERS_REVIEW
):
    order_id: UUID
    carrier: str
    expected_version: int | None
    reason: str | None = None


class SetPriority(
    Command[StoredOrder], action="order.prioritise", entity=ENTITY, permission=ORDERS_REVIEW
):
    """The order's place in the work queue: 0..100, higher first."""

    order_id: UUID
    priority: int
    expected_version: int | None
    reason: str | None = None


# --- edits before shipment (ORD-2) ----------------------------------------------------------


@dataclass(frozen=True)
class AddLine:
    sku_id: UUID
    quantity: int


@dataclass(frozen=True)
class RemoveLine:
    line_id: UUID


@dataclass(frozen=True)
class ChangeQuantity:
    line_id: UUID
    quantity: int


@dataclass(frozen=True)
class ChangeAddress:
    receiver: Receiver


@dataclass(frozen=True)
class AdjustPrice:
    """A manual unit price (``orders:adjust_price``); the timeline keeps old and new."""

    line_id: UUID
    unit_price: Decimal


Edit = AddLine | RemoveLine | ChangeQuantity | ChangeAddress | AdjustPrice


class EditOrder(Command[StoredOrder], action="order.edit", entity=ENTITY, permission=ORDERS_WRITE):
    """Edits applied in order, in one transaction: all of them or none."""

    order_id: UUID
    edits: tuple[Edit, ...]
    reason: str
    expected_version: int | None


class OrderLifecycleHandler:
    """Every command on an existing order (registered for each with ``use_cases.add``)."""

    def __init__(
        self, keeper: StockKeeper, notifier: Notifier, pricing: PricingPolicy, reviewer: Reviewer
    ) -> None:
        self._change = _Change(keeper, notifier, reviewer)
        self._keeper = keeper
        self._pricing = pricing
        self._reviewer = reviewer

    async def handle(self, command: OrderCommand, work: Work) -> StoredOrder:
        run = self._change.run
        match command:
            case RecordPayment():
                return await run(
                    work,
                    command.order_id,
                    None,
                    lambda o, at, who: self._pay(work, command, o, at, who),
                    versioned=False,
                )
            case RecordRefund():
                return await run(
                    work,
                    command.order_id,
                    None,
                    lambda o, at, who: _refund(work, command, o, at, who),
                    versioned=False,
                )
            case ApproveOrder():
                return await run(
                    work,
                    command.order_id,
                    command.expected_version,
                    lambda o, at, who: o.approve(at, who),
                )
            case HoldOrder():
                return await run(
                    work,
                    command.order_id,
                    command.expected_version,
                    lambda o, at, who: o.hold_order(at, who, command.reason, command.until),
                )
            case ReleaseHold():
                return await run(
                    work,
                    command.order_id,
                    command.expected_version,
                    lambda o, at, who: self._release(work, command, o, at, who),
                )
            case ResolveAbnormal():
                return await run(
                    work,
                    command.order_id,
                    command.expected_version,
                    lambda o, at, who: o.resolve_abnormal(
                        command.type, at, who, command.reason, automatic=False
                    ),
                )
            case CancelOrder():
                return await run(
                    work,
                    command.order_id,
                    command.expected_version,
                    lambda o, at, who: o.cancel(at, who, command.reason),
                )
            case EditOrder():
                return await run(
                    work,
                    command.order_id,
                    command.expected_version,
                    lambda o, at, who: self._edit(work, command, o, at, who),
                )
            case AssignWarehouse():
                if await work.uow.of(INVENTORY).warehouses.get(command.warehouse_id) is None:
                    raise NotFound(entity="warehouse")
                return await run(
                    work,
                    command.order_id,
                    command.expected_version,
                    lambda o, at, who: self._assign_warehouse(work, command, o, at, who),
                )
            case AssignCarrier():
                return await run(
                    work,
                    command.order_id,
                    command.expected_version,
                    lambda o, at, who: o.assign_carrier(
                        command.carrier, at, who, reason=command.reason
                    ),
                )
            case SetPriority():
                return await run(
                    work,
                    command.order_id,
                    command.expected_version,
                    lambda o, at, who: o.set_priority(
                        command.priority, at, who, reason=command.reason
                    ),
                )

    async def _assign_warehouse(
        self, work: Work, command: AssignWarehouse, order: Order, at: datetime, actor: str
    ) -> None:
        """A person's assignment gets the stock there or is refused (409, nothing changed)."""
        was = order.warehouse_id
        order.assign_warehouse(command.warehouse_id, at, actor, reason=command.reason)
        if order.warehouse_id != was:
            await self._keeper.relocate_or_refuse(work, order)

    async def _release(
        self, work: Work, command: ReleaseHold, order: Order, at: datetime, actor: str
    ) -> Application | None:
        """Released back to awaiting review, the order is reviewed again: the rules that
        have not acted on it yet decide (the approval its hold stopped, say)."""
        order.release_hold(at, actor, command.reason)
        return await self._reviewer.review(work, order)

    async def _pay(
        self, work: Work, command: RecordPayment, order: Order, at: datetime, actor: str
    ) -> Application | None:
        payment = Payment(
            work.ids.new_id(),
            command.method,
            command.amount,
            command.paid_at or at,
            command.transaction_id,
        )
        reviewed = None
        if order.record_payment(payment, actor) and order.status is OrderStatus.PAID:
            # Paid: it waits for review, and the tenant's rule set reviews it (审单).
            order.move_to(OrderStatus.AWAITING_REVIEW, at, SYSTEM, SystemReason.WAITING_FOR_REVIEW)
            reviewed = await self._reviewer.review(work, order)
        order.recheck_causes(at, SYSTEM, (AbnormalType.PAID_AMOUNT_MISMATCH,))  # paid too much
        return reviewed

    async def _edit(
        self, work: Work, command: EditOrder, order: Order, at: datetime, actor: str
    ) -> None:
        if any(isinstance(edit, AdjustPrice) for edit in command.edits):
            work.require_extra(ORDERS_ADJUST_PRICE)
        for edit in command.edits:
            match edit:
                case AddLine():
                    (quote,) = await self._pricing.price(
                        work.uow,
                        [PriceRequest(edit.sku_id, edit.quantity)],
                        order.channel_id,
                        None,
                        at,
                    )
                    line = OrderLine(
                        work.ids.new_id(),
                        edit.sku_id,
                        edit.quantity,
                        quote.unit_price,
                        quote.discounts,
                    )
                    order.add_line(line, at, actor, reason=command.reason)
                case RemoveLine():
                    order.remove_line(edit.line_id, at, actor, command.reason)
                case ChangeQuantity():
                    order.change_quantity(edit.line_id, edit.quantity, at, actor, command.reason)
                case ChangeAddress():
                    order.change_address(edit.receiver, at, actor, command.reason)
                case AdjustPrice():
                    order.adjust_price(edit.line_id, edit.unit_price, at, actor, command.reason)


OrderCommand = (
    RecordPayment
    | RecordRefund
    | ApproveOrder
    | HoldOrder
    | ReleaseHold
    | ResolveAbnormal
    | CancelOrder
    | EditOrder
    | AssignWarehouse
    | AssignCarrier
    | SetPriority
)
ORDER_COMMANDS: tuple[type[OrderCommand], ...] = (
    RecordPayment,
    RecordRefund,
    ApproveOrder,
    HoldOrder,
    ReleaseHold,
    ResolveAbnormal,
    CancelOrder,
    EditOrder,
    AssignWarehouse,
    AssignCarrier,
    SetPriority,
)


def _refund(work: Work, command: RecordRefund, order: Order, at: datetime, actor: str) -> None:
    refund = Refund(
        work.ids.new_id(),
        command.payment_id,
        command.amount,
        command.reason,
        at,
        command.transaction_id,
    )
    order.record_refund(refund, actor)
