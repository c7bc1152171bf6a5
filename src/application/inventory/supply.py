"""A channel's supply settings (CHN-1/CHN-2 stock side): which warehouses supply it, its
allocation strategy, safety stock and share. Saved with If-Match (a channel without
settings is at version 0)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from uuid import UUID

from application.inventory.availability import announce_channel, supply_of
from application.inventory.common import load_warehouse, store_of
from application.inventory.references import WarehouseRef, warehouse_ids_of
from application.shared.use_case import Command, Query, Reading, Work
from application.shared.versions import check_version
from domain.inventory.availability import ENTITY, ChannelSupply, ShareKind
from domain.inventory.permissions import INVENTORY_READ, INVENTORY_WRITE
from domain.inventory.reservation import AllocationStrategy


class SetChannelSupply(
    Command[ChannelSupply],
    action="channel_supply.update",
    entity=ENTITY,
    permission=INVENTORY_WRITE,
    target="channel_id",
):
    channel_id: UUID
    # ids, or codes (#9 item 16): a string the company has no warehouse for is a 422
    warehouse_ids: tuple[WarehouseRef, ...]
    strategy: AllocationStrategy
    safety_stock: int
    share_kind: ShareKind
    share_value: Decimal
    expected_version: int | None


class SetChannelSupplyHandler:
    async def handle(self, command: SetChannelSupply, work: Work) -> ChannelSupply:
        current = await supply_of(work.uow, command.channel_id)
        check_version(command.expected_version, current.version)
        named = [(f"warehouses[{i}]", w) for i, w in enumerate(command.warehouse_ids)]
        warehouse_ids = tuple(await warehouse_ids_of(work.uow, named))
        for warehouse_id in warehouse_ids:
            await load_warehouse(work.uow, warehouse_id)
        changed = ChannelSupply(
            command.channel_id,
            warehouse_ids,
            command.strategy,
            command.safety_stock,
            command.share_kind,
            command.share_value,
            current.version + 1,
        )
        if dataclasses.replace(changed, version=current.version) == current:
            return current  # nothing changed: no write, no version
        await store_of(work.uow).channel_supply.put(changed, current.version, work.clock.now())
        work.audit(command.channel_id, current.snapshot(), changed.snapshot())
        await announce_channel(work, changed)
        return changed


class GetChannelSupply(
    Query[ChannelSupply], entity=ENTITY, permission=INVENTORY_READ, target="channel_id"
):
    channel_id: UUID


class GetChannelSupplyHandler:
    async def handle(self, query: GetChannelSupply, reading: Reading) -> ChannelSupply:
        return await supply_of(reading.uow, query.channel_id)
