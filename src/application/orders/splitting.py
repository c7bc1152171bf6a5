"""Splitting an order (拆单, ORD-4) and rejoining its parts, as use cases around the pure
``domain.orders.split``: quantities, money (largest remainder to the fen), payments,
refunds and platform ids are conserved by the domain; here the parts are stored as orders
of their own (numbers ``<number>-1``, ``-2`` …, the original's source and history), and the
stock follows them in the same transaction — the original's reservations are released and
each part reserves what it needs (all or nothing: 409 ``order_out_of_stock`` otherwise, and
nothing changes). Rejoin does the reverse. The original is kept, retired (``split_into``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from application.inventory.ports import INVENTORY
from application.orders.common import (
    StockKeeper,
    actor_of,
    load_order,
    store_of,
)
from application.orders.ports import StoredOrder
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.orders.order import Order
from domain.orders.permissions import ORDERS_REVIEW
from domain.orders.split import SplitPlan, rejoin, split
from domain.orders.split_plans import (
    by_available_stock,
    by_lines,
    by_package_cap,
    by_presale,
    by_weight,
)
from domain.orders.state import ENTITY
from domain.orders.timeline import RuleRef
from domain.shared.errors import ValidationFailed


class SplitBy(StrEnum):
    LINES = "lines"  # the chosen lines apart from the rest
    WAREHOUSE = "warehouse"  # one part per warehouse that holds the stock (inventory's view)
    PRESALE = "presale"  # pre-sale lines apart from in-stock ones
    WEIGHT = "weight"  # parts of at most ``cap`` grams
    PACKAGE_CAP = "package_cap"  # parts of at most ``cap`` units


class SplitOrder(
    Command[list[StoredOrder]], action="order.split", entity=ENTITY, permission=ORDERS_REVIEW
):
    order_id: UUID
    by: SplitBy
    reason: str
    expected_version: int | None
    line_ids: tuple[UUID, ...] = ()
    cap: int | None = None


class RejoinOrder(
    Command[StoredOrder], action="order.rejoin", entity=ENTITY, permission=ORDERS_REVIEW
):
    """``order_id``: the original that was split."""

    order_id: UUID
    reason: str
    expected_version: int | None


@dataclass(frozen=True)
class SplitRequest:
    """How to cut, as a person (``SplitOrder``) or a rule's ``split`` action asks it."""

    by: SplitBy
    line_ids: tuple[UUID, ...] = ()
    cap: int | None = None


async def _plan(work: Work, order: Order, request: SplitRequest) -> SplitPlan:
    """The plan; by warehouse, inventory's published view of the stock free in each
    warehouse — read after the order's own reservations were given back, so what it held
    counts as free."""
    match request.by:
        case SplitBy.LINES:
            return by_lines(order, request.line_ids)
        case SplitBy.WAREHOUSE:
            skus = sorted({line.sku_id for line in order.lines}, key=str)
            return by_available_stock(order, await work.uow.of(INVENTORY).stock.available(skus))
        case SplitBy.PRESALE:
            return by_presale(order)
    if request.cap is None or request.cap < 1:
        raise ValidationFailed.single("cap", "required")
    if request.by is SplitBy.WEIGHT:
        return by_weight(order, request.cap)
    return by_package_cap(order, request.cap)


async def _reserve(keeper: StockKeeper, work: Work, orders: Sequence[Order]) -> None:
    for order in orders:
        await keeper.sync_or_refuse(work, order)


class Splitter:
    """One split, for the split command and for a rule's ``split`` follow-up: the
    original's stock given back, the plan, the parts (each reserving its own, all or
    nothing), the original retired — saved, audited and published."""

    def __init__(self, keeper: StockKeeper) -> None:
        self._keeper = keeper

    async def split(
        self,
        work: Work,
        stored: StoredOrder,
        request: SplitRequest,
        *,
        actor: str,
        reason: str,
        rule: RuleRef | None = None,
    ) -> list[StoredOrder]:
        original, orders = stored.order, store_of(work.uow).orders
        read_version = original.version
        await self._keeper.release_all(work, original)
        plan = await _plan(work, original, request)
        new_ids = [work.ids.new_id() for _ in plan.groups]
        result = split(
            original,
            plan,
            new_ids=new_ids,
            at=work.clock.now(),
            actor=actor,
            reason=reason,
            rule=rule,
            after_part=await orders.last_part(original.number),
        )
        for part in result.parts:
            part.reservation_ids, part.reserved = (), {}
        await _reserve(self._keeper, work, result.parts)
        await orders.save(original, read_version)
        for part in result.parts:
            await orders.add(part, stored.source)
        work.audit(
            original.id,
            {"splitInto": ""},
            {"splitInto": ", ".join(p.number.value for p in result.parts)},
            detail={"by": request.by.value, **({"rule": str(rule)} if rule else {})},
        )
        work.publish(original, *result.parts)
        return [StoredOrder(part, stored.source) for part in result.parts]


class SplitOrderHandler:
    def __init__(self, splitter: Splitter) -> None:
        self._splitter = splitter

    async def handle(self, command: SplitOrder, work: Work) -> list[StoredOrder]:
        stored = await load_order(work.uow, command.order_id, for_update=True)
        check_version(command.expected_version, stored.order.version)
        request = SplitRequest(command.by, command.line_ids, command.cap)
        return await self._splitter.split(
            work, stored, request, actor=actor_of(work.ctx), reason=command.reason
        )


class RejoinOrderHandler:
    def __init__(self, keeper: StockKeeper) -> None:
        self._keeper = keeper

    async def handle(self, command: RejoinOrder, work: Work) -> StoredOrder:
        stored = await load_order(work.uow, command.order_id, for_update=True)
        original, orders = stored.order, store_of(work.uow).orders
        check_version(command.expected_version, original.version)
        parts = [
            (await load_order(work.uow, part_id, for_update=True)).order
            for part_id in original.split_into
        ]
        versions = {part.id: part.version for part in parts}
        read_version = original.version
        back = rejoin(
            original, parts, at=work.clock.now(), actor=actor_of(work.ctx), reason=command.reason
        )
        for part in parts:
            await self._keeper.release_all(work, part)
        back.reserved, back.reservation_ids = {}, ()
        await _reserve(self._keeper, work, [back])
        await orders.save(back, read_version)
        for part in parts:
            await orders.save(part, versions[part.id])
        work.audit(
            back.id,
            {"parts": str(len(parts))},
            {"parts": "0"},
            detail={"rejoined": ", ".join(p.number.value for p in parts)},
        )
        work.publish(back, *parts)
        return StoredOrder(back, stored.source)
