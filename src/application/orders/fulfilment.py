"""What fulfilment asks of orders (LOG-1), inside the fulfilment command
(``FulfilmentOrders``): the orders a wave may take, and each change a wave, a shipment, a
short pick or an interception makes to an order — by the order's own rules, saved and
published here, in the caller's transaction. Everything an order holds is given back
through the ``StockKeeper``, as orders' own commands give it back; a status the change
moves (picking, shipped, partly shipped, cancelled by an interception) reaches the buyer,
the roles concerned and webhooks as orders' own status changes do (ORD-7,
``tell_concerned``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from uuid import UUID

from application.notifications.ports import Notifier
from application.orders.common import StockKeeper, actor_of, load_order, store_of, tell_concerned
from application.orders.ports import FulfilmentOrders, OrderFilter, OrderPosition, WavePage
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Work
from domain.orders.order import Order
from domain.orders.status import OrderStatus
from domain.orders.timeline import SystemReason, TimelineKind


class OrderFulfilment(FulfilmentOrders):
    def __init__(self, keeper: StockKeeper, notifier: Notifier) -> None:
        self._keeper = keeper
        self._notifier = notifier

    async def page_in_status(
        self, uow: UnitOfWork, status: OrderStatus, after: OrderPosition | None, limit: int
    ) -> WavePage:
        page = await store_of(uow).orders.page(OrderFilter(status=status), after, limit)
        orders = tuple(stored.order for stored in page)
        last = orders[-1] if len(orders) == limit else None
        return WavePage(orders, OrderPosition(last.placed_at, last.id) if last else None)

    async def lock_for_wave(
        self, uow: UnitOfWork, order_id: UUID, status: OrderStatus
    ) -> Order | None:
        stored = await store_of(uow).orders.get(order_id, for_update=True)
        order = stored.order if stored else None
        if order is None or order.status is not status or order.refund_requested:
            return None
        return order if order.reservation_ids else None

    async def locked(self, uow: UnitOfWork, order_id: UUID) -> Order:
        return (await load_order(uow, order_id, for_update=True)).order

    async def many(self, uow: UnitOfWork, order_ids: Sequence[UUID]) -> dict[UUID, Order]:
        return {s.order.id: s.order for s in await store_of(uow).orders.many(order_ids)}

    async def start_picking(self, work: Work, order: Order) -> None:
        read_version, now, actor = order.version, work.clock.now(), actor_of(work.ctx)
        was = _Was(order)
        if order.status is OrderStatus.APPROVED:
            order.move_to(OrderStatus.ALLOCATED, now, actor, SystemReason.WAVE_PLANNED)
        if order.status is OrderStatus.ALLOCATED:
            order.move_to(OrderStatus.PICKING, now, actor, SystemReason.WAVE_PLANNED)
        else:  # partly shipped: its remaining lines in a wave of their own
            order.note(TimelineKind.WAVE_PLANNED, now, actor)
        await self._save(work, order, read_version, was)

    async def record_shipment(
        self, work: Work, order: Order, units: Mapping[UUID, int], issued: Sequence[UUID]
    ) -> None:
        read_version, was = order.version, _Was(order)
        order.record_shipment(units, work.clock.now(), actor_of(work.ctx))
        order.reservation_ids = tuple(r for r in order.reservation_ids if r not in issued)
        order.stock_reserved()  # what a partly shipped order still holds for later
        await self._save(work, order, read_version, was)

    async def short_picked(
        self,
        work: Work,
        order: Order,
        gone: Sequence[UUID],
        taken: Sequence[UUID],
        detail: Mapping[str, str],
    ) -> None:
        read_version, was = order.version, _Was(order)
        kept = tuple(r for r in order.reservation_ids if r not in gone)
        order.reservation_ids = (*kept, *taken)
        order.note(TimelineKind.SHORT_PICK, work.clock.now(), actor_of(work.ctx), detail=detail)
        await self._save(work, order, read_version, was)

    async def intercepted(self, work: Work, order: Order, reason: str) -> None:
        read_version, now, actor = order.version, work.clock.now(), actor_of(work.ctx)
        was = _Was(order)
        await self._keeper.release_all(work, order)  # the parcel's and any held for later
        if order.status is OrderStatus.PARTLY_SHIPPED:  # what already left stays shipped
            order.note(TimelineKind.INTERCEPTED, now, actor, reason)
        else:
            order.cancel(now, actor, SystemReason.INTERCEPTED.because(reason))
        await self._save(work, order, read_version, was)

    async def interception_requested(
        self, work: Work, order: Order, reason: str, detail: Mapping[str, str]
    ) -> None:
        read_version, was = order.version, _Was(order)
        order.note(
            TimelineKind.INTERCEPTION_REQUESTED,
            work.clock.now(),
            actor_of(work.ctx),
            reason,
            detail=detail,
        )
        await self._save(work, order, read_version, was)

    async def _save(self, work: Work, order: Order, read_version: int, was: _Was) -> None:
        await store_of(work.uow).orders.save(order, read_version)
        work.publish(order)
        await tell_concerned(self._notifier, work, order, was.status, was.buyer_step)


class _Was:
    """An order's status and buyer's step before a change: who hears of it (ORD-7)."""

    def __init__(self, order: Order) -> None:
        self.status, self.buyer_step = order.status.value, order.buyer_step
