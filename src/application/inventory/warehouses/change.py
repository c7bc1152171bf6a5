"""Change a warehouse's name, region and priority, or close it (INV-1). Closing keeps its
stock and history; it takes no new stock from then on. Warehouses are never deleted."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from application.inventory.common import load_warehouse, store_of
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.inventory.permissions import INVENTORY_WRITE
from domain.inventory.warehouse import ENTITY, Warehouse


async def _change(
    work: Work,
    warehouse_id: UUID,
    expected_version: int | None,
    change: Callable[[Warehouse], bool],
) -> Warehouse:
    """Load the warehouse at the version the caller read, change it, and save, audit and
    publish it when ``change`` says it changed (True)."""
    warehouse = await load_warehouse(work.uow, warehouse_id)
    check_version(expected_version, warehouse.version)
    before, read_version = warehouse.snapshot(), warehouse.version
    if change(warehouse):
        await store_of(work.uow).warehouses.save(warehouse, read_version)
        work.audit(warehouse.id, before, warehouse.snapshot())
        work.publish(warehouse)
    return warehouse


class ReviseWarehouse(
    Command[Warehouse],
    action="warehouse.update",
    entity=ENTITY,
    permission=INVENTORY_WRITE,
    target="warehouse_id",
):
    warehouse_id: UUID
    name: str
    region: str | None
    priority: int
    expected_version: int | None


class ReviseWarehouseHandler:
    async def handle(self, command: ReviseWarehouse, work: Work) -> Warehouse:
        return await _change(
            work,
            command.warehouse_id,
            command.expected_version,
            lambda w: w.revise(command.name, command.region, command.priority, work.clock.now()),
        )


class CloseWarehouse(
    Command[Warehouse],
    action="warehouse.close",
    entity=ENTITY,
    permission=INVENTORY_WRITE,
    target="warehouse_id",
):
    warehouse_id: UUID
    expected_version: int | None


class CloseWarehouseHandler:
    async def handle(self, command: CloseWarehouse, work: Work) -> Warehouse:
        def close(warehouse: Warehouse) -> bool:
            warehouse.close(work.clock.now())
            return True  # a closed one is refused (409): this always changes it

        return await _change(work, command.warehouse_id, command.expected_version, close)
