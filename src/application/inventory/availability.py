"""Per-channel availability (可售库存, CHN-1/CHN-2): the query that answers how many units
of a SKU a channel may sell now and how, and the coalesced announcement of changes.

A command that moves stock calls ``announce_availability`` once, at its end, with the SKUs
it touched: for every channel with supply settings, each touched SKU's sellable number is
computed once and compared with the number last announced (a conditional upsert), and
``inventory.channel_availability_changed`` is emitted only when it changed — one event per
SKU × channel per command, none for a movement that changes nothing a channel sees.
"""

from __future__ import annotations

from uuid import UUID

from application.catalog.ports.store import CATALOG
from application.inventory.common import store_of
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Query, Reading, Work
from domain.inventory.availability import (
    ChannelAvailability,
    ChannelSupply,
    WarehouseAvailable,
    channel_availability,
    default_supply,
)
from domain.inventory.permissions import INVENTORY_READ
from domain.inventory.warehouse import Warehouse
from domain.shared.errors import NotFound
from domain.shared.events import DomainEvent

CHANGED = "inventory.channel_availability_changed"


def supplying_warehouses(supply: ChannelSupply, warehouses: list[Warehouse]) -> list[Warehouse]:
    """The channel's warehouses in its order (settings), or every warehouse whose kind
    supplies sales, by priority."""
    if supply.warehouse_ids:
        by_id = {w.id: w for w in warehouses}
        return [by_id[w] for w in supply.warehouse_ids if w in by_id]
    return [w for w in warehouses if w.kind.supplies_sales]


async def supply_of(
    uow: UnitOfWork, channel_id: UUID, supplies: list[ChannelSupply] | None = None
) -> ChannelSupply:
    """The channel's settings; 404 for a channel the tenant does not have (asked of the
    catalog through its published port). ``supplies``: every channel's, when the caller
    has just read them (saves a query)."""
    if await uow.of(CATALOG).channels.get(channel_id) is None:
        raise NotFound(entity="sales_channel")
    if supplies is None:
        found = await store_of(uow).channel_supply.get(channel_id)
    else:
        found = next((s for s in supplies if s.channel_id == channel_id), None)
    return found or default_supply(channel_id)


def _compute(
    supply: ChannelSupply,
    warehouses: list[Warehouse],
    sku_id: UUID,
    available: dict[UUID, int],
) -> ChannelAvailability:
    return channel_availability(
        supply,
        sku_id,
        [
            WarehouseAvailable(w.id, available.get(w.id, 0))
            for w in supplying_warehouses(supply, warehouses)
        ],
    )


async def availability(uow: UnitOfWork, channel_id: UUID, sku_id: UUID) -> ChannelAvailability:
    supply = await supply_of(uow, channel_id)
    store = store_of(uow)
    warehouses = await store.warehouses.all()
    available = (await store.stock.available([sku_id])).get(sku_id, {})
    return _compute(supply, warehouses, sku_id, available)


async def announce_availability(
    work: Work,
    sku_ids: set[UUID],
    warehouses: list[Warehouse] | None = None,
    supplies: list[ChannelSupply] | None = None,
) -> None:
    """After a movement: every channel with settings, the touched SKUs. ``warehouses``
    and ``supplies``: the tenant's, when the caller has just read them (saves a query)."""
    store = store_of(work.uow)
    if supplies is None:
        supplies = await store.channel_supply.all()
    if not supplies or not sku_ids:
        return
    if warehouses is None:
        warehouses = await store.warehouses.all()
    await _announce(work, supplies, warehouses, sku_ids)


async def announce_channel(work: Work, supply: ChannelSupply) -> None:
    """After a channel's settings changed: that channel, every SKU the tenant stocks.
    One statement per SKU in the command's transaction — fine for the catalogs this
    session met; a tenant with tens of thousands of stocked SKUs wants it as a job."""
    store = store_of(work.uow)
    sku_ids = set(await store.stock.stocked_skus())
    if sku_ids:
        await _announce(work, [supply], await store.warehouses.all(), sku_ids)


async def _announce(
    work: Work, supplies: list[ChannelSupply], warehouses: list[Warehouse], sku_ids: set[UUID]
) -> None:
    store = store_of(work.uow)
    ordered = sorted(sku_ids, key=str)
    available = await store.stock.available(ordered)
    for supply in sorted(supplies, key=lambda s: str(s.channel_id)):
        for sku_id in ordered:
            found = _compute(supply, warehouses, sku_id, available.get(sku_id, {}))
            if await store.channel_supply.announce(supply.channel_id, sku_id, found.sellable):
                work.emit(
                    DomainEvent(
                        CHANGED,
                        "sku",
                        sku_id,
                        ("sellable",),
                        {"channelId": str(supply.channel_id), "sellable": str(found.sellable)},
                    )
                )


class GetChannelAvailability(
    Query[ChannelAvailability],
    entity="channel_availability",
    permission=INVENTORY_READ,
    target="channel_id",
):
    channel_id: UUID
    sku_id: UUID


class GetChannelAvailabilityHandler:
    async def handle(self, query: GetChannelAvailability, reading: Reading) -> ChannelAvailability:
        return await availability(reading.uow, query.channel_id, query.sku_id)
