"""The daily position (INV-9) and the analysis (INV-10), as queries.

- ``GetDailyPosition``: per warehouse, total stock (on hand, available, non-sellable), the
  SKUs held, bins and free bins, units in and out on the day (the tenant's time zone), and
  with ``inventory:costing`` the cost amount and stock value (``StockValues``): a past
  day's as they stood at its end (the valuation at that instant), today's as they stand.
- ``GetTurnover``: per SKU or per category over a period of days: units issued, opening
  and closing stock, turnover rate (issued / average stock) and days of stock (closing /
  issued per day).
- ``GetIdleStock``: levels holding stock with no issue for ``slowDays`` (slow-moving) and
  for ``deadDays`` (dead stock); a level never issued counts from its first receipt.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID
from zoneinfo import ZoneInfo

from application.inventory.alerts.thresholds import category_id_of
from application.inventory.common import store_of
from application.inventory.ports import IdleStock, Turnover, WarehousePosition
from application.inventory.references import WarehouseRef, warehouse_id_of
from application.shared.references import Reference
from application.shared.tenant_terms import tenant_terms
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Query, Reading
from domain.inventory.permissions import INVENTORY_COSTING, INVENTORY_READ
from domain.shared.errors import ValidationFailed

MAX_PERIOD_DAYS = 366
MAX_ROWS = 1000
DEFAULT_ROWS = 100
_ZERO = Decimal("0.00")


async def company_zone(uow: UnitOfWork) -> ZoneInfo:
    return (await tenant_terms(uow)).zone


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), zone)


def row_limit(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_ROWS
    if not 1 <= limit <= MAX_ROWS:
        raise ValidationFailed.single("limit", "limit_out_of_range", min=1, max=MAX_ROWS)
    return limit


async def warehouse_filter(reading: Reading, reference: WarehouseRef | None) -> UUID | None:
    if reference is None:
        return None
    return await warehouse_id_of(reading.uow, "warehouseId", reference)


@dataclass(frozen=True)
class DailyPosition:
    day: date
    time_zone: str
    warehouses: list[WarehousePosition]
    costs_shown: bool
    # the catalog keeps no past prices: a past day's stock value is at today's list prices
    stock_value_at_todays_prices: bool = False


class GetDailyPosition(Query[DailyPosition], entity="stock_position", permission=INVENTORY_READ):
    day: date | None = None  # the tenant's today when None
    warehouse_id: WarehouseRef | None = None


class GetDailyPositionHandler:
    async def handle(self, query: GetDailyPosition, reading: Reading) -> DailyPosition:
        zone = await company_zone(reading.uow)
        today = reading.clock.now().astimezone(zone).date()
        day = query.day or today
        warehouse_id = await warehouse_filter(reading, query.warehouse_id)
        store = store_of(reading.uow)
        start = _midnight(day, zone)
        end = _midnight(day + timedelta(days=1), zone)
        found = await store.analysis.position(start, end, warehouse_id)
        costs = reading.allows(INVENTORY_COSTING)
        if costs and found:
            # a past day's values as its day ended (INV-7's valuation at that instant);
            # today's (or a later day's) as they stand
            warehouses = [p.warehouse_id for p in found]
            if day < today:
                values = await store.values.values_at(end, warehouses)
            else:
                values = await store.values.values(warehouses)
            found = [
                dataclasses.replace(
                    p,
                    cost_amount=values.get(p.warehouse_id, (_ZERO, _ZERO))[0],
                    stock_value=values.get(p.warehouse_id, (_ZERO, _ZERO))[1],
                )
                for p in found
            ]
        return DailyPosition(day, zone.key, found, costs, costs and day < today)


@dataclass(frozen=True)
class TurnoverReport:
    start: date
    end: date  # inclusive
    days: int
    by: str
    items: list[Turnover]


def _period(start: date, end: date) -> int:
    if end < start:
        raise ValidationFailed.single("to", "period_reversed")
    days = (end - start).days + 1
    if days > MAX_PERIOD_DAYS:
        raise ValidationFailed.single("to", "period_too_long", max=MAX_PERIOD_DAYS)
    return days


class GetTurnover(Query[TurnoverReport], entity="stock_turnover", permission=INVENTORY_READ):
    start: date
    end: date  # inclusive
    by_category: bool = False
    warehouse_id: WarehouseRef | None = None
    category: Reference | None = None  # id, path or name: that category and below
    limit: int | None = None


class GetTurnoverHandler:
    async def handle(self, query: GetTurnover, reading: Reading) -> TurnoverReport:
        days = _period(query.start, query.end)
        zone = await company_zone(reading.uow)
        warehouse_id = await warehouse_filter(reading, query.warehouse_id)
        category_id = (
            await category_id_of(reading.uow, "category", query.category)
            if query.category is not None
            else None
        )
        items = await store_of(reading.uow).analysis.turnover(
            _midnight(query.start, zone),
            _midnight(query.end + timedelta(days=1), zone),
            query.by_category,
            warehouse_id,
            category_id,
            row_limit(query.limit),
        )
        return TurnoverReport(
            query.start, query.end, days, "category" if query.by_category else "sku", items
        )


@dataclass(frozen=True)
class IdleReport:
    slow_days: int
    dead_days: int
    slow_moving: list[IdleStock]  # idle at least slow_days, less than dead_days
    dead: list[IdleStock]  # idle at least dead_days


class GetIdleStock(Query[IdleReport], entity="idle_stock", permission=INVENTORY_READ):
    slow_days: int = 30
    dead_days: int = 90
    warehouse_id: WarehouseRef | None = None
    limit: int | None = None


class GetIdleStockHandler:
    async def handle(self, query: GetIdleStock, reading: Reading) -> IdleReport:
        if not 1 <= query.slow_days <= 3650:
            raise ValidationFailed.single("slowDays", "invalid_range", min=1, max=3650)
        if not query.slow_days <= query.dead_days <= 3650:
            raise ValidationFailed.single(
                "deadDays", "invalid_range", min=query.slow_days, max=3650
            )
        now = reading.clock.now()
        found = await store_of(reading.uow).analysis.idle(
            now - timedelta(days=query.slow_days),
            now,
            await warehouse_filter(reading, query.warehouse_id),
            row_limit(query.limit),
        )
        dead = [i for i in found if i.idle_days >= query.dead_days]
        slow = [i for i in found if i.idle_days < query.dead_days]
        return IdleReport(query.slow_days, query.dead_days, slow, dead)
