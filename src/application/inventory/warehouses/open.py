"""Open a warehouse (INV-1)."""

from __future__ import annotations

from application.inventory.common import store_of
from application.shared.use_case import Command, Work
from domain.inventory.permissions import INVENTORY_WRITE
from domain.inventory.warehouse import ENTITY, Warehouse, WarehouseKind


class OpenWarehouse(
    Command[Warehouse], action="warehouse.create", entity=ENTITY, permission=INVENTORY_WRITE
):
    code: str
    name: str
    kind: WarehouseKind
    region: str | None = None
    priority: int = 100


class OpenWarehouseHandler:
    async def handle(self, command: OpenWarehouse, work: Work) -> Warehouse:
        warehouse = Warehouse.open(
            work.ids.new_id(),
            command.code,
            command.name,
            command.kind,
            command.region,
            command.priority,
            work.clock.now(),
        )
        await store_of(work.uow).warehouses.add(warehouse)
        work.audit(warehouse.id, {}, warehouse.snapshot())
        work.publish(warehouse)
        return warehouse
