"""Read warehouses (INV-1): the generic reads, declared for warehouses."""

from __future__ import annotations

from dataclasses import dataclass

from application.shared.reads import ById, InIdOrder
from domain.inventory.permissions import INVENTORY_READ
from domain.inventory.warehouse import ENTITY, Warehouse


@dataclass(frozen=True)
class GetWarehouse(ById[Warehouse], entity=ENTITY, permission=INVENTORY_READ):
    pass


@dataclass(frozen=True)
class ListWarehouses(InIdOrder[Warehouse], entity=ENTITY, permission=INVENTORY_READ):
    pass
