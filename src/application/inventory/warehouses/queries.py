"""Read warehouses (INV-1): the generic reads, declared for warehouses."""

from __future__ import annotations

from application.shared.reads import ById, InIdOrder
from domain.inventory.permissions import INVENTORY_READ
from domain.inventory.warehouse import ENTITY, Warehouse


class GetWarehouse(ById[Warehouse], entity=ENTITY, permission=INVENTORY_READ):
    pass


class ListWarehouses(InIdOrder[Warehouse], entity=ENTITY, permission=INVENTORY_READ):
    pass
