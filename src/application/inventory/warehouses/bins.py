"""Bin locations (库位) of a warehouse (INV-1)."""

from __future__ import annotations

from uuid import UUID

from application.inventory.common import load_warehouse, store_of
from application.shared.use_case import Command, Query, Reading, Work
from domain.inventory.permissions import INVENTORY_READ, INVENTORY_WRITE
from domain.inventory.warehouse import Bin


class AddBin(
    Command[Bin],
    action="bin.create",
    entity="bin",
    permission=INVENTORY_WRITE,
    target="warehouse_id",
):
    warehouse_id: UUID
    code: str
    name: str | None = None
    zone: str | None = None  # the warehouse zone the bin lies in (区)


class AddBinHandler:
    async def handle(self, command: AddBin, work: Work) -> Bin:
        warehouse = await load_warehouse(work.uow, command.warehouse_id)
        bin = Bin.create(
            work.ids.new_id(), warehouse, command.code, command.name, work.clock.now(), command.zone
        )
        await store_of(work.uow).warehouses.add_bin(bin)
        after = {"warehouse_id": str(warehouse.id), "code": bin.code, "zone": bin.zone}
        work.audit(bin.id, {}, after)
        return bin


class ListBins(Query[list[Bin]], entity="bin", permission=INVENTORY_READ, target="warehouse_id"):
    warehouse_id: UUID


class ListBinsHandler:
    async def handle(self, query: ListBins, reading: Reading) -> list[Bin]:
        await load_warehouse(reading.uow, query.warehouse_id)
        return await store_of(reading.uow).warehouses.bins(query.warehouse_id)
