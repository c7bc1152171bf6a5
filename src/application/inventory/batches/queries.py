"""Batch reads (INV-8): the stock expiring within a number of days (expired included),
and a serial's whereabouts and history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from application.inventory.analysis.queries import company_zone, row_limit, warehouse_filter
from application.inventory.common import store_of
from application.inventory.ports import ExpiringStock, SerialRecord
from application.inventory.references import WarehouseRef, warehouse_id_of
from application.shared.use_case import Query, Reading
from domain.inventory.batches import MAX_WARNING_DAYS, BatchStock
from domain.inventory.permissions import INVENTORY_READ
from domain.shared.errors import NotFound, ValidationFailed


@dataclass(frozen=True)
class Expiring:
    """Batch stock expiring by ``until`` (the company's today + the days asked), each
    with its days left (negative: expired that many days ago)."""

    today: date
    until: date
    items: list[tuple[ExpiringStock, int]]


async def company_today(reading: Reading) -> date:
    return reading.clock.now().astimezone(await company_zone(reading.uow)).date()


class ListExpiringStock(Query[Expiring], entity="stock", permission=INVENTORY_READ):
    within_days: int | None = None  # None: the tenant's expiry warning window
    warehouse_id: WarehouseRef | None = None
    sku_id: UUID | None = None
    limit: int | None = None


class ListExpiringStockHandler:
    async def handle(self, query: ListExpiringStock, reading: Reading) -> Expiring:
        batches = store_of(reading.uow).batches
        days = query.within_days
        if days is None:
            days = (await batches.settings()).expiry_warning_days
        if not 0 <= days <= MAX_WARNING_DAYS:
            raise ValidationFailed.single(
                "withinDays", "invalid_range", min=0, max=MAX_WARNING_DAYS
            )
        today = await company_today(reading)
        until = today + timedelta(days=days)
        found = await batches.expiring(
            until,
            await warehouse_filter(reading, query.warehouse_id),
            query.sku_id,
            row_limit(query.limit),
        )
        items = [(item, _days_left(item, today)) for item in found]
        return Expiring(today, until, items)


def _days_left(item: ExpiringStock, today: date) -> int:
    expiry = item.stock.batch.expiry_date
    assert expiry is not None  # only batches with an expiry date expire
    return (expiry - today).days


class ListBatchStock(Query[list[BatchStock]], entity="stock", permission=INVENTORY_READ):
    """A SKU's stock per batch in a warehouse (the batches holding any)."""

    sku_id: UUID
    warehouse_id: WarehouseRef


class ListBatchStockHandler:
    async def handle(self, query: ListBatchStock, reading: Reading) -> list[BatchStock]:
        warehouse_id = await warehouse_id_of(reading.uow, "warehouse", query.warehouse_id)
        found = await store_of(reading.uow).batches.stock(query.sku_id, warehouse_id)
        return sorted(found, key=lambda s: (s.first_received_at, s.batch.number))


class GetSerial(Query[SerialRecord], entity="stock", permission=INVENTORY_READ):
    sku_id: UUID
    serial: str


class GetSerialHandler:
    async def handle(self, query: GetSerial, reading: Reading) -> SerialRecord:
        found = await store_of(reading.uow).batches.serial(query.sku_id, query.serial.strip())
        if found is None:
            raise NotFound(entity="serial")
        return found
