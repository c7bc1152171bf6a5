"""Merging orders (合单, ORD-4) and undoing it, as use cases around the pure
``domain.orders.merge``: orders of the same customer, shop group and receiver (compared
normalised — the receivers are decrypted with the orders), paid and not picked, with no
refund pending, become one new order awaiting review with every line (and its platform
ids), payment and refund; the originals are kept, retired (``merged_into``). The shop
groups are the catalog's (``shop_group_of``: channels of one group code merge together, any
other channel is a group of its own), read in the merge's own transaction.

Stock: the merged order takes over the originals' reservations (nothing moves in
inventory; a rule's warehouse on the merged order's review may move it after, sweeps.py).
Unmerging gives the originals back as they were — rebuilt from their stored, retired rows,
which nothing can change once retired — releases the merged order's reservations and
reserves each original's stock again, all or nothing, in the same transaction; the merged
order is cancelled.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from uuid import UUID

from application.catalog.ports.store import CATALOG
from application.orders.common import (
    StockKeeper,
    actor_of,
    load_order,
    store_of,
)
from application.orders.ports import StoredOrder
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.orders.errors import MergeRefused
from domain.orders.merge import ShopGroupOf, in_shop_groups, merge, unmerge
from domain.orders.order import Order
from domain.orders.permissions import ORDERS_REVIEW
from domain.orders.state import ENTITY
from domain.orders.timeline import RuleRef
from domain.orders.values import OrderNumber
from domain.shared.errors import ValidationFailed

MAX_MERGED = 20


class MergeOrders(
    Command[StoredOrder], action="order.merge", entity=ENTITY, permission=ORDERS_REVIEW
):
    order_ids: tuple[UUID, ...]
    reason: str


class UnmergeOrder(
    Command[list[StoredOrder]], action="order.unmerge", entity=ENTITY, permission=ORDERS_REVIEW
):
    """``order_id``: the merged order."""

    order_id: UUID
    reason: str
    expected_version: int | None


async def channel_groups(uow: UnitOfWork) -> dict[UUID, str]:
    """The catalog's channels that belong to a shop group, with the group's code."""
    return await uow.of(CATALOG).channels.shop_groups()


async def current_shop_groups(uow: UnitOfWork) -> ShopGroupOf:
    """Each channel's shop group as the catalog has it now (``merge_problems`` compares)."""
    return in_shop_groups(await channel_groups(uow))


class Merger:
    """One merge, for the merge command and the automatic merge: the originals locked (the
    caller's), merged, saved retired; the merged order added with their stock — audited
    and published."""

    def __init__(self, keeper: StockKeeper) -> None:
        self._keeper = keeper

    async def merge(
        self,
        work: Work,
        stored: Sequence[StoredOrder],
        *,
        actor: str,
        reason: str,
        shop_group_of: ShopGroupOf,
        rule: RuleRef | None = None,
    ) -> StoredOrder:
        orders = store_of(work.uow).orders
        originals = [s.order for s in stored]
        versions = {o.id: o.version for o in originals}
        held = tuple(r for o in originals for r in o.reservation_ids)
        now = work.clock.now()
        result = merge(
            originals,
            new_id=work.ids.new_id(),
            number=OrderNumber(await orders.next_number(now)),
            at=now,
            actor=actor,
            reason=reason,
            shop_group_of=shop_group_of,
            rule=rule,
        )
        merged = result.merged
        merged.reservation_ids = held  # the stock stays where it is
        for original in originals:
            original.reservation_ids = ()
            await orders.save(original, versions[original.id])
        await self._keeper.sync(work, merged)  # nothing to do unless an original lacked stock
        await orders.add(merged, stored[0].source)
        work.audit(
            merged.id,
            {},
            {"status": merged.status.value, "total": str(merged.total)},
            detail={
                "mergedFrom": ", ".join(o.number.value for o in originals),
                **({"rule": str(rule)} if rule else {}),
            },
        )
        work.publish(merged, *originals)
        return StoredOrder(merged, stored[0].source, tuple(o.id for o in originals))


class MergeOrdersHandler:
    def __init__(self, merger: Merger) -> None:
        self._merger = merger

    async def handle(self, command: MergeOrders, work: Work) -> StoredOrder:
        ids = list(dict.fromkeys(command.order_ids))
        if not 2 <= len(ids) <= MAX_MERGED:
            raise ValidationFailed.single("orderIds", "merge_needs_two_to_twenty")
        # locked in id order: two merges of overlapping orders never wait on each other
        locked = {i: await load_order(work.uow, i, for_update=True) for i in sorted(ids)}
        return await self._merger.merge(
            work,
            [locked[i] for i in ids],
            actor=actor_of(work.ctx),
            reason=command.reason,
            shop_group_of=await current_shop_groups(work.uow),
        )


def _as_merged(retired: Order) -> Order:
    """The original as it was merged: its stored row less what the merge changed (the
    merged_into mark, its last timeline entry, the version); its stock is reserved again
    after unmerging."""
    if not retired.timeline or retired.timeline[-1].kind != "merged_into":
        raise MergeRefused(condition="changed_since_merge", order_id=str(retired.id))
    before = copy.deepcopy(retired)
    before.events = []
    before.merged_into = None
    before.timeline = retired.timeline[:-1]
    before.version = retired.version - 1
    before.reserved, before.reservation_ids = {}, ()
    return before


class UnmergeOrderHandler:
    def __init__(self, keeper: StockKeeper) -> None:
        self._keeper = keeper

    async def handle(self, command: UnmergeOrder, work: Work) -> list[StoredOrder]:
        found = await load_order(work.uow, command.order_id, for_update=True)
        merged, orders = found.order, store_of(work.uow).orders
        check_version(command.expected_version, merged.version)
        if not found.merged_from:
            raise MergeRefused(condition="not_a_merged_order", order_id=str(merged.id))
        stored = [await load_order(work.uow, i, for_update=True) for i in found.merged_from]
        retired = {s.order.id: s.order.version for s in stored}
        read_version = merged.version
        merged.merged_from = tuple(_as_merged(s.order) for s in stored)
        result = unmerge(
            merged, at=work.clock.now(), actor=actor_of(work.ctx), reason=command.reason
        )
        await self._keeper.release_all(work, result.merged)
        for original in result.restored:
            original.version = retired[original.id] + 1
            await self._keeper.sync_or_refuse(work, original)
            await orders.save(original, retired[original.id])
        await orders.save(result.merged, read_version)
        work.audit(
            merged.id,
            {"status": "merged"},
            {"status": result.merged.status.value},
            detail={"restored": ", ".join(o.number.value for o in result.restored)},
        )
        work.publish(result.merged, *result.restored)
        return [StoredOrder(o, s.source) for o, s in zip(result.restored, stored, strict=True)]
