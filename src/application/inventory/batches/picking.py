"""Picking suggestions (INV-8): which batches of a SKU to take a quantity from, first
expiry first out or first in first out (the SKU's rule, else the tenant's).

``BatchPicking`` is the published port (``PickingSuggestions``) fulfilment's pick list
calls; ``split_by_batches`` is how an issue or a shipment of a batch-managed SKU takes its
units: the same suggestion, read under the SKU × warehouse's lock, one ledger movement per
batch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from uuid import UUID

from application.inventory.common import insufficient_stock, store_of
from application.inventory.ports import PickingSuggestions
from application.inventory.references import WarehouseRef, warehouse_id_of
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Query, Reading
from domain.inventory.batches import Pick, PickingRule, SkuStockSettings, suggest
from domain.inventory.permissions import INVENTORY_READ
from domain.inventory.reservation import Reservation
from domain.inventory.stock import Deltas, Movement, positive
from domain.shared.errors import ValidationFailed


async def rule_of(uow: UnitOfWork, settings: SkuStockSettings) -> PickingRule:
    """The SKU's picking rule, else the tenant's."""
    if settings.picking_rule is not None:
        return settings.picking_rule
    return (await store_of(uow).batches.settings()).picking_rule


async def _picks(
    uow: UnitOfWork,
    settings: SkuStockSettings,
    warehouse_id: UUID,
    quantity: int,
    *,
    lock: bool,
) -> tuple[PickingRule, list[Pick]]:
    rule = await rule_of(uow, settings)
    stock = await store_of(uow).batches.stock(settings.sku_id, warehouse_id, lock=lock)
    return rule, suggest(stock, quantity, rule)


class BatchPicking(PickingSuggestions):
    async def suggest(
        self, uow: UnitOfWork, sku_id: UUID, warehouse_id: UUID, quantity: int
    ) -> list[Pick]:
        settings = await store_of(uow).batches.sku_settings(sku_id)
        if not settings.batch_managed:
            return []
        return (await _picks(uow, settings, warehouse_id, positive(quantity), lock=False))[1]


async def split_by_batches(
    uow: UnitOfWork, movement: Movement, quantity: int, deltas_of: Callable[[int], Deltas]
) -> list[Movement]:
    """A movement taking ``quantity`` units out of a batch-managed SKU, as one movement
    per batch of the picking suggestion (``deltas_of`` gives a part's deltas); the
    movement as it is for a SKU without batches, or one naming its batch. Fewer units in
    the batches than asked is ``InsufficientStock``."""
    if movement.batch_id is not None:
        return [movement]
    settings = await store_of(uow).batches.sku_settings(movement.sku_id)
    if not settings.batch_managed:
        return [movement]
    _, picks = await _picks(uow, settings, movement.warehouse_id, quantity, lock=True)
    found = sum(pick.quantity for pick in picks)
    if found < quantity:
        raise await insufficient_stock(
            uow,
            movement.sku_id,
            warehouse=str(movement.warehouse_id),
            requested=quantity,
            available=found,
        )
    return [
        replace(movement, deltas=deltas_of(pick.quantity), batch_id=pick.batch.id) for pick in picks
    ]


@dataclass(frozen=True)
class PickingSuggestion:
    sku_id: UUID
    warehouse_id: UUID
    quantity: int
    rule: PickingRule
    picks: list[Pick]

    @property
    def short(self) -> int:
        """Units the batches cannot give."""
        return self.quantity - sum(pick.quantity for pick in self.picks)


class GetPickingSuggestion(Query[PickingSuggestion], entity="stock", permission=INVENTORY_READ):
    sku_id: UUID
    warehouse_id: WarehouseRef
    quantity: int


class GetPickingSuggestionHandler:
    async def handle(self, query: GetPickingSuggestion, reading: Reading) -> PickingSuggestion:
        warehouse_id = await warehouse_id_of(reading.uow, "warehouse", query.warehouse_id)
        settings = await store_of(reading.uow).batches.sku_settings(query.sku_id)
        if not settings.batch_managed:
            raise ValidationFailed.single("skuId", "not_batch_managed")
        quantity = positive(query.quantity)
        rule, picks = await _picks(reading.uow, settings, warehouse_id, quantity, lock=False)
        return PickingSuggestion(query.sku_id, warehouse_id, quantity, rule, picks)


async def hold_batches(uow: UnitOfWork, reservation: Reservation) -> None:
    """A pick lock's batches (INV-8): each line of a batch-managed SKU holds the units of
    the picking suggestion's batches (read under the level's lock, which the pick lock's
    movement already took), so what the pick list shows is what ships, whatever is
    received or issued in between. The level's available units cover the line, so its
    batches' free units do too."""
    batches = store_of(uow).batches
    for line in reservation.lines:
        settings = await batches.sku_settings(line.sku_id)
        if not settings.batch_managed:
            continue
        _, picks = await _picks(uow, settings, line.warehouse_id, line.quantity, lock=True)
        await batches.hold(reservation.id, line.line_no, line.sku_id, line.warehouse_id, picks)
