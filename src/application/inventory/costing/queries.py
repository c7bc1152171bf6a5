"""Reading costs and values (INV-7), all behind ``inventory:costing``: a SKU ×
warehouse's current cost (the read port other modules call directly as
``uow.of(INVENTORY).costs.position``), and the value by SKU × warehouse at any date."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from application.inventory.common import load_warehouse, store_of
from application.inventory.ports import CostPosition, Valuation
from application.inventory.references import WarehouseRef, warehouse_id_of
from application.shared.context import SystemContext
from application.shared.unit_of_work import UnitOfWorkFactory
from application.shared.use_case import Query, Reading
from domain.inventory.permissions import INVENTORY_COSTING
from domain.shared.errors import ValidationFailed


class GetCostPosition(Query[CostPosition], entity="stock", permission=INVENTORY_COSTING):
    sku_id: UUID
    warehouse_id: WarehouseRef  # its id or its code


class GetCostPositionHandler:
    async def handle(self, query: GetCostPosition, reading: Reading) -> CostPosition:
        warehouse_id = await warehouse_id_of(reading.uow, "warehouseId", query.warehouse_id)
        await load_warehouse(reading.uow, warehouse_id)  # another tenant's: 404
        return await store_of(reading.uow).costs.position(query.sku_id, warehouse_id)


class GetValuation(Query[Valuation], entity="stock", permission=INVENTORY_COSTING):
    """Quantity and value per SKU × warehouse at ``at`` (movements effective before it)."""

    at: datetime | None = None  # None: now
    sku_id: UUID | None = None
    warehouse_id: WarehouseRef | None = None


class GetValuationHandler:
    async def handle(self, query: GetValuation, reading: Reading) -> Valuation:
        at = query.at or reading.clock.now()
        if at.tzinfo is None:
            raise ValidationFailed.single("at", "offset_required")
        warehouse_id = None
        if query.warehouse_id is not None:
            warehouse_id = await warehouse_id_of(reading.uow, "warehouseId", query.warehouse_id)
        return await store_of(reading.uow).costs.value_at(at, query.sku_id, warehouse_id)


class SupportValuations:
    """The valuation for operators (``shopkeeper inventory valuation``), as the platform
    role in one tenant, recorded in the operator audit."""

    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow_factory = uow_factory

    async def value_at(self, ctx: SystemContext, tenant_id: UUID, at: datetime) -> Valuation:
        async with self._uow_factory.for_system(ctx, tenant_id) as uow:
            valuation = await store_of(uow).costs.value_at(at, None, None)
            await uow.operator_audit.record(
                ctx, "inventory.valuation", tenant_id, {"reason": ctx.reason, "at": at.isoformat()}
            )
            await uow.commit()
        return valuation
