"""What the inventory use cases share: loading a warehouse, moving stock through the
ledger, and the caller's name on the ledger rows."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from application.catalog.ports.store import CATALOG
from application.inventory.costing.posting import Posted, post_movement
from application.inventory.ports import INVENTORY, InventoryStore
from application.shared.context import CallContext
from application.shared.unit_of_work import UnitOfWork
from domain.inventory.reservation import ENTITY as RESERVATION
from domain.inventory.reservation import Reservation
from domain.inventory.stock import Deltas, InsufficientStock, Movement, needs_available
from domain.inventory.warehouse import ENTITY as WAREHOUSE
from domain.inventory.warehouse import Warehouse
from domain.shared.errors import NotFound


def store_of(uow: UnitOfWork) -> InventoryStore:
    return uow.of(INVENTORY)


async def load_warehouse(uow: UnitOfWork, warehouse_id: UUID) -> Warehouse:
    warehouse = await store_of(uow).warehouses.get(warehouse_id)
    if warehouse is None:
        raise NotFound(entity=WAREHOUSE)
    return warehouse


async def load_reservation(
    uow: UnitOfWork, reservation_id: UUID, *, for_update: bool = False
) -> Reservation:
    reservation = await store_of(uow).reservations.get(reservation_id, for_update=for_update)
    if reservation is None:
        raise NotFound(entity=RESERVATION)
    return reservation


def actor_label(ctx: CallContext) -> str:
    return ctx.actor.label


async def available_in(uow: UnitOfWork, sku_id: UUID, warehouse_ids: list[UUID]) -> int:
    """What the SKU has available now in the best of ``warehouse_ids`` (for the error
    message of a refused movement: a line is served from one warehouse)."""
    per_warehouse = (await store_of(uow).stock.available([sku_id])).get(sku_id, {})
    return max((per_warehouse.get(w, 0) for w in warehouse_ids), default=0)


async def insufficient_stock(uow: UnitOfWork, sku_id: UUID, **figures: Any) -> InsufficientStock:
    """The 409 naming the SKU by its code, for the merchant, and by its id (``sku``), with
    what was asked and what is there (``figures``)."""
    codes = await uow.of(CATALOG).prices.sku_codes([sku_id])
    return InsufficientStock(sku=str(sku_id), sku_code=codes.get(sku_id, str(sku_id)), **figures)


async def move(uow: UnitOfWork, ctx: CallContext, movement: Movement) -> Deltas:
    """Apply the movement (one conditional statement with its ledger row), or raise
    ``InsufficientStock`` naming the SKU, the warehouse and what is available there."""
    return (await move_posted(uow, ctx, movement)).figures


async def move_posted(uow: UnitOfWork, ctx: CallContext, movement: Movement) -> Posted:
    """``move`` through the costing hook (``costing.posting``), answering the ledger row
    and the value it moved as well."""
    posted = await post_movement(uow, movement, actor_label(ctx))
    if posted is None:
        available = await available_in(uow, movement.sku_id, [movement.warehouse_id])
        raise await insufficient_stock(
            uow,
            movement.sku_id,
            warehouse=str(movement.warehouse_id),
            requested=_taken(movement.deltas),
            available=available,
        )
    return posted


def _taken(deltas: Deltas) -> int:
    """How many units the refused movement wanted: the available units it consumes, or
    the largest figure it lowers."""
    return needs_available(deltas) or max(
        (-v for v in deltas.as_dict().values() if v < 0), default=0
    )
