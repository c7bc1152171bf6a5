"""What the orders use cases share: loading an order, the actor on its timeline, keeping
inventory's reservations in step with the order (``StockKeeper``) and telling the roles
concerned of a status change (ORD-7)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from uuid import UUID

from application.inventory.ports import (
    INVENTORY,
    ReservationRequest,
    StockReservations,
)
from application.notifications.ports import Notifier
from application.orders.ports import ORDERS, OrderStore
from application.shared.context import CallContext
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Work
from domain.inventory.reservation import RequestedLine
from domain.inventory.stock import InsufficientStock
from domain.notifications.notification import Channel, Notification
from domain.orders.abnormal import Abnormality, AbnormalType
from domain.orders.order import Order
from domain.orders.state import ENTITY
from domain.shared.errors import Conflict, NotFound

SYSTEM = "system:orders"  # the module's own moves on the timeline (paid → awaiting review)

# Who hears of a status change in their inbox (and webhooks through the event).
CONCERNED_ROLES = ("customer_service",)


class OrderOutOfStock(Conflict):
    """An order of the own API or staff entry that inventory cannot hold whole: nothing is
    written. Params: ``skus``, the SKU ids short, comma-separated."""

    code = "order_out_of_stock"


def store_of(uow: UnitOfWork) -> OrderStore:
    return uow.of(ORDERS)


async def load_order(uow: UnitOfWork, order_id: UUID, *, for_update: bool = False) -> Order:
    stored = await store_of(uow).orders.get(order_id, for_update=for_update)
    if stored is None:
        raise NotFound(entity=ENTITY)
    return stored.order


def actor_of(ctx: CallContext) -> str:
    return ctx.actor.label


class StockKeeper:
    """Inventory's reservations in step with an order (``Order.stock_delta``), in the
    command's own transaction: more units → one more reservation of what is missing;
    anything given back → the order's reservations released and what it still needs
    reserved again, all lines or none. Raises ``InsufficientStock`` (the caller's
    transaction, or its savepoint, rolls back)."""

    def __init__(self, reservations: StockReservations) -> None:
        self._reservations = reservations

    async def sync(self, work: Work, order: Order, *, restocking: bool = False) -> None:
        """``restocking``: the restock sweep's own call. Otherwise an order waiting for
        stock (abnormal ``out_of_stock``) reserves nothing here — the sweep reserves it
        whole when the stock is there — so editing or holding it is not refused."""
        delta = order.stock_delta()
        if not delta:
            return
        if not restocking and _awaiting_stock(order) and all(u > 0 for u in delta.values()):
            return
        ids = list(order.reservation_ids)
        if any(units < 0 for units in delta.values()):
            for reservation_id in ids:
                await self._reservations.release(work, reservation_id)
            ids, wanted = [], order.required_stock()
        else:
            wanted = delta
        if wanted:
            reservation = await self._reservations.reserve(work, _request(order, wanted))
            ids.append(reservation.id)
        order.reservation_ids = tuple(ids)
        order.stock_reserved()

    async def sync_or_refuse(self, work: Work, order: Order) -> None:
        """``sync``, with missing stock refused as the 409 ``order_out_of_stock`` naming
        every SKU the order cannot be served (the own API, staff entry, edits, splits)."""
        try:
            await self.sync(work, order)
        except InsufficientStock as refused:
            short = await shortages(work.uow, order, refused)
            raise OrderOutOfStock(skus=", ".join(str(s) for s in short)) from None

    async def sync_or_wait(self, work: Work, order: Order) -> None:
        """``sync`` for an order that exists on a marketplace: never refused — missing
        stock (tried in a savepoint) marks it abnormal ``out_of_stock`` for the restock
        sweep."""
        try:
            async with store_of(work.uow).orders.attempt():
                await self.sync(work, order)
        except InsufficientStock as refused:
            _mark_out_of_stock(work, order, refused)

    async def sync_many_or_wait(self, work: Work, orders: Sequence[Order]) -> None:
        """``sync_or_wait`` for new marketplace orders placed together (a page, PLT-9):
        their reservations made in one call to inventory (``reserve_many``), each order
        all lines or none; an order short of stock is marked abnormal ``out_of_stock``,
        the others reserved. No savepoint: what is refused is never written."""
        wanting = [
            order
            for order in orders
            if order.stock_delta() and not order.reservation_ids and not _awaiting_stock(order)
        ]
        requests = [_request(order, order.stock_delta()) for order in wanting]
        outcomes = await self._reservations.reserve_many(work, requests) if requests else []
        for order, outcome in zip(wanting, outcomes, strict=True):
            if isinstance(outcome, InsufficientStock):
                _mark_out_of_stock(work, order, outcome)
            else:
                order.reservation_ids = (outcome.id,)
                order.stock_reserved()

    async def release_all(self, work: Work, order: Order) -> None:
        """Give back everything the order holds (a split or a rejoin hands the stock to
        other orders, which reserve it again in the same transaction)."""
        for reservation_id in order.reservation_ids:
            await self._reservations.release(work, reservation_id)
        order.reservation_ids = ()
        order.reserved = {}


def _mark_out_of_stock(work: Work, order: Order, refused: InsufficientStock) -> None:
    order.mark_abnormal(
        Abnormality(
            AbnormalType.OUT_OF_STOCK,
            work.clock.now(),
            "stock missing at intake",
            {"sku": str(refused.params.get("sku", ""))},
        ),
        SYSTEM,
    )


def _awaiting_stock(order: Order) -> bool:
    return any(a.type is AbnormalType.OUT_OF_STOCK for a in order.abnormalities)


def _request(order: Order, units: Mapping[UUID, int]) -> ReservationRequest:
    lines = tuple(
        RequestedLine(sku, quantity, order.warehouse_id) for sku, quantity in sorted(units.items())
    )
    return ReservationRequest(
        lines,
        order.channel_id,
        order.receiver.address.province or None,
        "order",
        order.id,
    )


async def shortages(uow: UnitOfWork, order: Order, refused: InsufficientStock) -> list[UUID]:
    """The SKUs an order cannot be served: the one inventory refused, and every SKU it had
    not tried yet (it takes them in id order) that no warehouse holds enough of."""
    needed = order.stock_delta() or order.required_stock()
    failed = str(refused.params.get("sku", ""))
    later = [sku for sku in needed if str(sku) > failed]
    available = await uow.of(INVENTORY).stock.available(later) if later else {}
    short = [UUID(failed)]
    for sku in sorted(later, key=str):
        if max(available.get(sku, {}).values(), default=0) < needed[sku]:
            short.append(sku)
    return short


async def tell_concerned(notifier: Notifier, work: Work, order: Order, before: str) -> None:
    """A status change reaches the roles concerned (inbox) and webhooks (ORD-7)."""
    if order.status.value == before:
        return
    await notifier.notify(
        work.uow,
        Notification(
            topic="order.status_changed",
            template="order.status_changed",
            params={"orderNumber": order.number.value, "status": order.status.value},
            roles=CONCERNED_ROLES,
            link=f"/orders/{order.id}",
            channels=frozenset({Channel.INBOX, Channel.WEBHOOK}),
        ),
    )
