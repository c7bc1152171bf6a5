"""What after-sales asks of orders (ORD-6), inside the after-sales command
(``AftersalesOrders``): refunds for returned goods and the orders it places at the
merchant's cost — an exchange's replacement (held until the goods come back, unless the
tenant ships exchanges first) and a resend (补发).

A replacement is an order of its own: its lines at price 0, so it is paid the moment it
is placed and waits for review like any paid order (the rule set is not run: a person
decided it); its stock is reserved as the own API's is — all or nothing, 409
``order_out_of_stock`` when missing.
"""

from __future__ import annotations

from uuid import UUID

from application.notifications.ports import Notifier
from application.orders.common import (
    StockKeeper,
    actor_of,
    load_order,
    store_of,
    swept,
)
from application.orders.placing import OrderSource
from application.orders.ports import AftersalesOrders, Replacement
from application.shared.use_case import Work
from domain.orders.lines import OrderLine
from domain.orders.order import Order
from domain.orders.payment_records import Refund
from domain.orders.state import ENTITY
from domain.orders.status import OrderStatus
from domain.orders.timeline import SystemReason
from domain.orders.values import ZERO, OrderNumber

AFTERSALES = "system:aftersales"


class OrderAftersales(AftersalesOrders):
    def __init__(self, keeper: StockKeeper, notifier: Notifier) -> None:
        self._keeper = keeper
        self._notifier = notifier

    async def refund_returned(self, work: Work, order_id: UUID, refund: Refund) -> bool:
        order = (await load_order(work.uow, order_id, for_update=True)).order
        before, read_version = order.status.value, order.version
        if not order.record_return_refund(refund, actor_of(work.ctx)):
            return False
        detail = {"refund": str(refund.id), "amount": str(refund.amount), "after_sales": True}
        await swept(
            work, self._notifier, order, read_version, before, detail, action="order.refund"
        )
        return True

    async def place_replacement(self, work: Work, replacement: Replacement) -> Order:
        original = (await load_order(work.uow, replacement.original_id)).order
        now, actor = work.clock.now(), actor_of(work.ctx)
        order = Order.create(
            order_id=work.ids.new_id(),
            number=OrderNumber(await store_of(work.uow).orders.next_number(now)),
            currency=original.currency,
            lines=[
                OrderLine(
                    id=work.ids.new_id(),
                    sku_id=line.sku_id,
                    quantity=line.quantity,
                    unit_price=ZERO,
                    title=line.title,
                )
                for line in replacement.lines
            ],
            receiver=original.receiver,
            placed_at=now,
            actor=actor,
            channel_id=original.channel_id,
            customer_id=original.customer_id,
        )
        order.move_to(OrderStatus.PAID, now, AFTERSALES, replacement.reason)
        order.move_to(OrderStatus.AWAITING_REVIEW, now, AFTERSALES, SystemReason.WAITING_FOR_REVIEW)
        if replacement.held:
            order.hold_order(now, AFTERSALES, replacement.reason)
        await self._keeper.sync_or_refuse(work, order)
        await store_of(work.uow).orders.add(order, OrderSource.STAFF.value)
        work.audit(
            order.id,
            {},
            {"status": order.status.value, "total": str(order.total)},
            detail={"number": order.number.value, "replaces": str(original.id)},
            action="order.create",
            entity=ENTITY,
        )
        work.publish(order)
        return order

    async def release_replacement(self, work: Work, order_id: UUID, reason: str) -> None:
        order = (await load_order(work.uow, order_id, for_update=True)).order
        if order.hold is None:
            return
        before, read_version = order.status.value, order.version
        order.release_hold(work.clock.now(), AFTERSALES, reason)
        await swept(work, self._notifier, order, read_version, before, action="order.release")
