"""What the orders use cases share: loading an order, the actor on its timeline, keeping
inventory's reservations in step with the order (``StockKeeper``) and telling the roles
concerned of a status change (ORD-7)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from uuid import UUID

from application.catalog.ports.store import CATALOG
from application.inventory.ports import (
    INVENTORY,
    ReservationRequest,
    StockReservations,
)
from application.notifications.ports import Notifier
from application.orders.ports import ORDERS, OrderStore, StoredOrder
from application.shared.context import CallContext
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Work
from domain.inventory.reservation import RequestedLine
from domain.inventory.stock import InsufficientStock
from domain.notifications.notification import Channel, Notification
from domain.orders.abnormal import Abnormality, AbnormalType
from domain.orders.order import Order
from domain.orders.rules.apply import Application
from domain.orders.rules.engine import DecidedAction
from domain.orders.rules.facts import ACTOR as RULES
from domain.orders.state import BUYER_STEPS, ENTITY
from domain.orders.status import OrderStatus
from domain.orders.timeline import TimelineKind
from domain.shared.errors import Conflict, NotFound

SYSTEM = "system:orders"  # the module's own moves on the timeline (paid → awaiting review)

# Who hears of a status change in their inbox (and webhooks through the event).
CONCERNED_ROLES = ("customer_service",)


class OrderOutOfStock(Conflict):
    """An order of the own API or staff entry that inventory cannot hold whole: nothing is
    written. Params: ``skus``, the codes of the SKUs short (a list: the message says it as
    its language says a list); ``short``, each one's ``skuId`` and ``skuCode`` (a field of
    the answer too)."""

    code = "order_out_of_stock"
    shown = ("short",)


async def out_of_stock(uow: UnitOfWork, short: Sequence[UUID]) -> OrderOutOfStock:
    """The 409 naming the SKUs short by their codes (the catalog's), and their ids."""
    codes = await uow.of(CATALOG).prices.sku_codes(short)
    named = [(str(sku), codes.get(sku, str(sku))) for sku in short]
    return OrderOutOfStock(
        skus=[code for _, code in named],
        short=[{"skuId": sku, "skuCode": code} for sku, code in named],
    )


def store_of(uow: UnitOfWork) -> OrderStore:
    return uow.of(ORDERS)


async def load_order(uow: UnitOfWork, order_id: UUID, *, for_update: bool = False) -> StoredOrder:
    """The order as stored (locked for the transaction with ``for_update``), or 404."""
    stored = await store_of(uow).orders.get(order_id, for_update=for_update)
    if stored is None:
        raise NotFound(entity=ENTITY, id=str(order_id))
    return stored


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
            raise await out_of_stock(work.uow, short) from None

    async def relocate_or_refuse(self, work: Work, order: Order) -> None:
        """The order now ships from another warehouse (its lines name it): what it holds
        is released and reserved again there, all lines or none — missing stock is the 409
        ``order_out_of_stock`` naming the SKUs short, and the caller's transaction rolls
        back (nothing changed). An order that holds nothing (waiting for stock) reserves
        nothing here: the restock sweep reserves it in that warehouse."""
        if not order.reservation_ids:
            return
        await self.release_all(work, order)
        await self.sync_or_refuse(work, order)

    async def relocate_or_keep(self, work: Work, order: Order, decided: DecidedAction) -> None:
        """``relocate_or_refuse`` for a rule's warehouse (``decided``), in a savepoint:
        one the warehouse cannot serve leaves the stock where it was, and the timeline
        says so (``stock_not_moved``, the rule, the SKUs short)."""
        held, reserved, mark = order.reservation_ids, dict(order.reserved), work.mark()
        try:
            async with store_of(work.uow).orders.attempt():
                await self.relocate_or_refuse(work, order)
        except OrderOutOfStock as refused:
            work.undo_to(mark)
            order.reservation_ids, order.reserved = held, reserved
            short = refused.params.get("short", [])
            detail = {
                "skus": ", ".join(refused.params.get("skus", [])),
                "sku_ids": ", ".join(s["skuId"] for s in short),
            }
            order.note(
                TimelineKind.STOCK_NOT_MOVED,
                work.clock.now(),
                RULES,
                decided.why(),
                decided.rule,
                detail,
            )

    async def relocate_by_rule(self, work: Work, reviewed: Sequence[RuleReview]) -> None:
        """After reviews by the rule set: each order a rule's ``assign_warehouse`` moved
        to another warehouse gets ``relocate_or_keep`` naming that rule — on every path a
        rule's warehouse applies (a payment, a hold released by hand or when it ends, the
        waiting orders' page review, the automatic merge). The warehouses its reservations
        draw from are read once for all of them; an order whose stock is there already
        moves nothing. No rule moved an order: no statement at all."""
        moved = [(r.order, d) for r in reviewed if (d := r.warehouse_rule()) is not None]
        held = [i for order, _ in moved for i in order.reservation_ids]
        if not held:
            return  # none moved, or none holds stock (the restock sweep reserves it there)
        where = await work.uow.of(INVENTORY).reservations.warehouses(held)
        for order, decided in moved:
            drawn = {w for i in order.reservation_ids for w in where.get(i, ())}
            if drawn != {order.warehouse_id}:
                await self.relocate_or_keep(work, order, decided)

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
    not tried yet (it takes them in id order) that no warehouse — the order's own, when it
    has one — holds enough of."""
    needed = order.stock_delta() or order.required_stock()
    failed = str(refused.params.get("sku", ""))
    later = [sku for sku in needed if str(sku) > failed]
    available = await uow.of(INVENTORY).stock.available(later) if later else {}
    short = [UUID(failed)]
    for sku in sorted(later, key=str):
        held = available.get(sku, {})
        # an order with a warehouse is served from that one only
        most = (
            held.get(order.warehouse_id, 0) if order.warehouse_id else max(held.values(), default=0)
        )
        if most < needed[sku]:
            short.append(sku)
    return short


def step_before(order: Order, before: str) -> str | None:
    """The buyer's step before a change from status ``before``, for a caller that did not
    read it (``Order.buyer_step``) before changing the order: the step of ``before`` — or,
    for an interrupted order (held, abnormal: its step was its resume status's), the step
    now."""
    was = OrderStatus(before)
    if was in (OrderStatus.HELD, OrderStatus.ABNORMAL):
        return order.buyer_step
    return BUYER_STEPS.get(was)


def buyer_notice(order: Order, buyer_before: str | None) -> Notification | None:
    """The buyer's email (in their language) when a change moves the order to another of
    the steps they see (``buyer_step``: paid, shipped, delivered, cancelled …) from
    ``buyer_before`` and the order names a customer (ORD-7)."""
    step = order.buyer_step
    if order.customer_id is None or step is None or step == buyer_before:
        return None
    return Notification(
        topic="order.buyer_step",
        template="order.buyer_step",
        params={"orderNumber": order.number.value, "step": step},
        customers=(order.customer_id,),
        channels=frozenset({Channel.EMAIL}),
    )


def status_changed(order: Order, before: str) -> Notification:
    """What the roles concerned (inbox) and webhooks hear of a status change (ORD-7)."""
    return Notification(
        topic="order.status_changed",
        template="order.status_changed",
        params={"orderNumber": order.number.value, "status": order.status.value},
        roles=CONCERNED_ROLES,
        link=f"/orders/{order.id}",
        channels=frozenset({Channel.INBOX, Channel.WEBHOOK}),
    )


def notices(order: Order, before: str, buyer_before: str | None) -> list[Notification]:
    """Who hears of a change from status ``before`` (the buyer's step then:
    ``buyer_before``): nobody when the status is what it was; else the buyer
    (``buyer_notice``) and the roles concerned."""
    if order.status.value == before:
        return []
    buyer = buyer_notice(order, buyer_before)
    return [*([buyer] if buyer is not None else []), status_changed(order, before)]


async def tell_concerned(
    notifier: Notifier,
    work: Work,
    order: Order,
    before: str,
    buyer_before: str | None,
) -> None:
    """A status change reaches the buyer, the roles concerned (inbox) and webhooks (ORD-7)."""
    found = notices(order, before, buyer_before)
    if found:
        await notifier.notify_many(work.uow, found)


async def swept(
    work: Work,
    notifier: Notifier,
    order: Order,
    read_version: int,
    before: str,
    detail: dict[str, object] | None = None,
    *,
    action: str | None = None,
) -> None:
    """What a sweep's (or the channel intake's) change to one order writes: the order, its
    audit record (``action``: the use case's unless named), its events, and the status
    change to the roles concerned (ORD-7)."""
    await store_of(work.uow).orders.save(order, read_version)
    work.audit(
        order.id,
        {"status": before},
        {"status": order.status.value},
        detail=detail,
        action=action,
        entity=ENTITY,
    )
    work.publish(order)
    await tell_concerned(notifier, work, order, before, step_before(order, before))


async def swept_many(work: Work, notifier: Notifier, changed: Sequence[Swept]) -> None:
    """``swept`` of many orders at once (a page reviewed): saved in a few statements for
    all, the roles concerned read once."""
    await store_of(work.uow).orders.save_many([(s.order, s.read_version) for s in changed])
    told: list[Notification] = []
    for s in changed:
        status = {"status": s.order.status.value}
        work.audit(s.order.id, {"status": s.before}, status, entity=ENTITY)
        work.publish(s.order)
        told.extend(notices(s.order, s.before, step_before(s.order, s.before)))
    if told:
        await notifier.notify_many(work.uow, told)


@dataclass(frozen=True)
class RuleReview:
    """An order reviewed by the rule set: the warehouse it had before, what was applied."""

    order: Order
    was: UUID | None
    applied: Application | None

    def warehouse_rule(self) -> DecidedAction | None:
        """The rule's ``assign_warehouse`` that moved the order to another warehouse."""
        if self.applied is None or self.order.warehouse_id == self.was:
            return None
        return next(
            (
                o.decided
                for o in self.applied.outcomes
                if o.applied and o.decided.action.kind == "assign_warehouse"
            ),
            None,
        )


@dataclass(frozen=True)
class Swept:
    """An order a sweep changed: as it is now, the version and status it was read at."""

    order: Order
    read_version: int
    before: str
