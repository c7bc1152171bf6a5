"""Reading alerts (INV-3): newest first, by status, SKU or warehouse; one by id."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from application.inventory.common import store_of
from application.inventory.ports import AlertPosition
from application.inventory.references import WarehouseRef, warehouse_id_of
from application.shared.pagination import Page, clamp_limit, decode_cursor, encode_cursor
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Query, Reading
from domain.inventory.alerts import ENTITY, AlertStatus, StockAlert
from domain.inventory.permissions import INVENTORY_READ
from domain.shared.errors import NotFound, ValidationFailed


async def load_alert(uow: UnitOfWork, alert_id: UUID) -> StockAlert:
    alert = await store_of(uow).alerts.get(alert_id)
    if alert is None:
        raise NotFound(entity=ENTITY)
    return alert


class GetStockAlert(Query[StockAlert], entity=ENTITY, permission=INVENTORY_READ, target="alert_id"):
    alert_id: UUID


class GetStockAlertHandler:
    async def handle(self, query: GetStockAlert, reading: Reading) -> StockAlert:
        return await load_alert(reading.uow, query.alert_id)


class ListStockAlerts(Query[Page[StockAlert]], entity=ENTITY, permission=INVENTORY_READ):
    status: AlertStatus | None = None
    sku_id: UUID | None = None
    warehouse_id: WarehouseRef | None = None
    cursor: str | None = None
    limit: int | None = None


class ListStockAlertsHandler:
    async def handle(self, query: ListStockAlerts, reading: Reading) -> Page[StockAlert]:
        limit = clamp_limit(query.limit)
        after = None
        if query.cursor:
            try:
                raised_at, alert_id = decode_cursor(query.cursor)
                after = AlertPosition(datetime.fromisoformat(raised_at), UUID(alert_id))
            except ValueError:
                raise ValidationFailed.single("cursor", "invalid_cursor") from None
        warehouse_id = (
            await warehouse_id_of(reading.uow, "warehouseId", query.warehouse_id)
            if query.warehouse_id is not None
            else None
        )
        found = await store_of(reading.uow).alerts.page(
            query.status, query.sku_id, warehouse_id, after, limit + 1
        )
        items = found[:limit]
        more = len(found) > limit and items
        cursor = (
            encode_cursor([items[-1].raised_at.isoformat(), str(items[-1].id)]) if more else None
        )
        return Page(items, cursor)
