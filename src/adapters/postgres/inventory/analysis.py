"""The daily position and the analysis in Postgres (INV-9, INV-10), and the provisional
stock values.

Hand-written SQL (``text``): each answer is one statement of aggregates over the levels
and the ledger, reaching the catalog's ``skus``, ``products`` and ``categories`` by name
(decisions.md section 29). What they read, and the indexes that serve it:

- in and out today, and turnover over a period: ledger rows from the period's start on
  (``stock_ledger_time``: tenant, occurred_at); the closing stock is the level's figure
  less what moved after the period, so no query sums the whole history;
- the last issue of a level (``stock_ledger_issues``, partial on kind = 'issue') and its
  first receipt (``stock_ledger_sku``).

Physical stock here is on hand + non-sellable; a ledger row moves goods in when it raises
that sum (receipts, returns, found goods) and out when it lowers it (issues, losses); a
state change or a reservation moves nothing in or out.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Uuid, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY

from adapters.postgres.inventory.costs import TIMES, closing_at, value_sql
from adapters.postgres.shared.rows import TenantRepository
from application.inventory.ports import IdleStock, Turnover, WarehousePosition
from domain.inventory.turnover import turnover_rates

# A day's position: the figures as they stood at the day's end — each level's figure less
# what the ledger recorded after it (none for today), read through stock_ledger_time — the
# bins that existed then, and those the ledger rows before it left holding stock.
_POSITION = text("""
WITH w AS (
    SELECT id, code FROM warehouses
    WHERE tenant_id = :tenant AND (CAST(:warehouse AS uuid) IS NULL OR id = :warehouse)
), later AS (
    SELECT warehouse_id, sku_id, sum(d_on_hand) AS on_hand, sum(d_reserved) AS reserved,
           sum(d_pick_locked) AS pick_locked, sum(d_non_sellable) AS non_sellable
    FROM stock_ledger WHERE tenant_id = :tenant AND occurred_at >= :day_end
    GROUP BY warehouse_id, sku_id
), at_end AS (
    SELECT s.warehouse_id, s.sku_id,
           s.on_hand - coalesce(later.on_hand, 0) AS on_hand,
           s.reserved - coalesce(later.reserved, 0) AS reserved,
           s.pick_locked - coalesce(later.pick_locked, 0) AS pick_locked,
           s.non_sellable - coalesce(later.non_sellable, 0) AS non_sellable
    FROM stock_levels s
    LEFT JOIN later ON later.warehouse_id = s.warehouse_id AND later.sku_id = s.sku_id
    WHERE s.tenant_id = :tenant
), lv AS (
    SELECT warehouse_id,
           count(DISTINCT sku_id) FILTER (WHERE on_hand + non_sellable > 0) AS skus,
           sum(on_hand) AS on_hand,
           sum(on_hand - reserved - pick_locked) AS available,
           sum(non_sellable) AS non_sellable
    FROM at_end GROUP BY warehouse_id
), b AS (
    SELECT warehouse_id, count(*) AS bins FROM warehouse_bins
    WHERE tenant_id = :tenant AND created_at < :day_end GROUP BY warehouse_id
), used AS (
    SELECT warehouse_id, count(*) AS used FROM (
        SELECT warehouse_id, bin_id FROM stock_ledger
        WHERE tenant_id = :tenant AND bin_id IS NOT NULL AND occurred_at < :day_end
        GROUP BY warehouse_id, bin_id
        HAVING sum(d_on_hand + d_non_sellable) > 0
    ) held GROUP BY warehouse_id
), today AS (
    SELECT warehouse_id,
           sum(greatest(d_on_hand + d_non_sellable, 0)) AS received,
           sum(greatest(-(d_on_hand + d_non_sellable), 0)) AS issued
    FROM stock_ledger
    WHERE tenant_id = :tenant AND occurred_at >= :day_start AND occurred_at < :day_end
    GROUP BY warehouse_id
)
SELECT w.id, w.code,
       coalesce(lv.skus, 0) AS skus, coalesce(lv.on_hand, 0) AS on_hand,
       coalesce(lv.available, 0) AS available, coalesce(lv.non_sellable, 0) AS non_sellable,
       coalesce(b.bins, 0) AS bins, coalesce(b.bins, 0) - coalesce(used.used, 0) AS free_bins,
       coalesce(today.received, 0) AS received, coalesce(today.issued, 0) AS issued
FROM w
LEFT JOIN lv ON lv.warehouse_id = w.id
LEFT JOIN b ON b.warehouse_id = w.id
LEFT JOIN used ON used.warehouse_id = w.id
LEFT JOIN today ON today.warehouse_id = w.id
ORDER BY w.code
""").bindparams(bindparam("warehouse", type_=Uuid))

_TURNOVER = """
WITH now_lv AS (
    SELECT sku_id, sum(on_hand + non_sellable) AS qty FROM stock_levels
    WHERE tenant_id = :tenant AND (CAST(:warehouse AS uuid) IS NULL OR warehouse_id = :warehouse)
    GROUP BY sku_id
), moves AS (
    SELECT sku_id,
           sum(d_on_hand + d_non_sellable) FILTER (WHERE occurred_at >= :end) AS after_end,
           sum(d_on_hand + d_non_sellable) FILTER (WHERE occurred_at < :end) AS within,
           -sum(d_on_hand + d_non_sellable)
               FILTER (WHERE kind = 'issue' AND occurred_at < :end) AS issued
    FROM stock_ledger
    WHERE tenant_id = :tenant AND occurred_at >= :start
      AND (CAST(:warehouse AS uuid) IS NULL OR warehouse_id = :warehouse)
    GROUP BY sku_id
), base AS (
    -- Every ledger row's SKU × warehouse has a level (a movement writes both), so the
    -- levels lead; a full join here made the planner expect a million rows and spill.
    SELECT n.sku_id,
           n.qty - coalesce(m.after_end, 0) AS closing,
           coalesce(m.within, 0) AS within,
           coalesce(m.issued, 0) AS issued
    FROM now_lv n LEFT JOIN moves m ON m.sku_id = n.sku_id
)
SELECT {key} AS key, {code} AS code,
       sum(base.issued) AS issued,
       sum(base.closing - base.within) AS opening,
       sum(base.closing) AS closing
FROM base
JOIN skus s ON s.tenant_id = :tenant AND s.id = base.sku_id
JOIN products p ON p.tenant_id = :tenant AND p.id = s.product_id
{category_join}
WHERE (CAST(:category AS uuid) IS NULL OR EXISTS (
    SELECT 1 FROM category_closure cc
    WHERE cc.tenant_id = :tenant AND cc.ancestor_id = :category
      AND cc.descendant_id = p.category_id))
{category_where}
GROUP BY {key}, {code}
ORDER BY sum(base.issued) DESC, {code}
LIMIT :limit
"""
_BY_SKU = text(
    _TURNOVER.format(key="s.id", code="s.code", category_join="", category_where="")
).bindparams(bindparam("warehouse", type_=Uuid), bindparam("category", type_=Uuid))
_BY_CATEGORY = text(
    _TURNOVER.format(
        key="c.id",
        code="c.name",
        category_join="JOIN categories c ON c.tenant_id = :tenant AND c.id = p.category_id",
        category_where="",
    )
).bindparams(bindparam("warehouse", type_=Uuid), bindparam("category", type_=Uuid))

_IDLE = text("""
WITH lv AS (
    SELECT sku_id, warehouse_id, sum(on_hand + non_sellable) AS qty FROM stock_levels
    WHERE tenant_id = :tenant AND (CAST(:warehouse AS uuid) IS NULL OR warehouse_id = :warehouse)
    GROUP BY sku_id, warehouse_id
    HAVING sum(on_hand + non_sellable) > 0
), dated AS (
    SELECT lv.*,
           (SELECT max(l.occurred_at) FROM stock_ledger l
            WHERE l.tenant_id = :tenant AND l.sku_id = lv.sku_id
              AND l.warehouse_id = lv.warehouse_id AND l.kind = 'issue') AS last_issue,
           (SELECT min(l.occurred_at) FROM stock_ledger l
            WHERE l.tenant_id = :tenant AND l.sku_id = lv.sku_id
              AND l.warehouse_id = lv.warehouse_id
              AND l.d_on_hand + l.d_non_sellable > 0) AS first_in
    FROM lv
)
SELECT d.sku_id, s.code AS sku_code, d.warehouse_id, w.code AS warehouse_code, d.qty,
       d.last_issue,
       floor(extract(epoch FROM
           (CAST(:now AS timestamptz) - coalesce(d.last_issue, d.first_in))) / 86400
       )::bigint AS idle_days
FROM dated d
JOIN skus s ON s.tenant_id = :tenant AND s.id = d.sku_id
JOIN warehouses w ON w.tenant_id = :tenant AND w.id = d.warehouse_id
WHERE coalesce(d.last_issue, d.first_in) < :since
ORDER BY coalesce(d.last_issue, d.first_in), s.code, w.code
LIMIT :limit
""").bindparams(bindparam("warehouse", type_=Uuid))

# Values (``StockValues``): the cost amount is costing's value of each SKU × warehouse
# (``cost_positions``, INV-7); the stock value = units × the SKU's list price, rounded to
# the fen; both summed per warehouse.
_VALUES = text("""
WITH lv AS (
    SELECT sku_id, warehouse_id, sum(on_hand + non_sellable) AS qty FROM stock_levels
    WHERE tenant_id = :tenant AND warehouse_id = ANY(CAST(:warehouses AS uuid[]))
    GROUP BY sku_id, warehouse_id
)
SELECT lv.warehouse_id,
       coalesce(sum(cp.value), 0) AS cost_amount,
       round(sum(lv.qty * coalesce(s.list_price, 0)), 2) AS stock_value
FROM lv
JOIN skus s ON s.tenant_id = :tenant AND s.id = lv.sku_id
LEFT JOIN cost_positions cp
       ON cp.tenant_id = :tenant AND cp.sku_id = lv.sku_id AND cp.warehouse_id = lv.warehouse_id
GROUP BY lv.warehouse_id
""").bindparams(bindparam("warehouses", type_=ARRAY(Uuid)))

# The same at a past instant (a past day's position): the valuation's quantity and value
# of each SKU × warehouse then (``value_sql``: the last closing and the movements since),
# the stock value at the SKU's list price (the catalog keeps no past prices).
_VALUES_AT = text(f"""
WITH lv AS ({value_sql(" AND warehouse_id = ANY(CAST(:warehouses AS uuid[]))")})
SELECT lv.warehouse_id,
       sum(lv.value) AS cost_amount,
       round(sum(lv.quantity * coalesce(s.list_price, 0)), 2) AS stock_value
FROM lv
JOIN skus s ON s.tenant_id = :tenant AND s.id = lv.sku_id
GROUP BY lv.warehouse_id
""").bindparams(
    bindparam("warehouses", type_=ARRAY(Uuid)),
    *(bindparam(name, type_=kind) for name, kind in TIMES.items()),
)


class PostgresStockAnalysis(TenantRepository):
    async def position(
        self, day_start: datetime, day_end: datetime, warehouse_id: UUID | None
    ) -> list[WarehousePosition]:
        rows = await self._conn.execute(
            _POSITION,
            {
                "tenant": self._tenant_id,
                "warehouse": warehouse_id,
                "day_start": day_start,
                "day_end": day_end,
            },
        )
        return [
            WarehousePosition(
                row.id,
                row.code,
                int(row.skus),
                int(row.on_hand),
                int(row.available),
                int(row.non_sellable),
                int(row.bins),
                int(row.free_bins),
                int(row.received),
                int(row.issued),
            )
            for row in rows
        ]

    async def turnover(
        self,
        start: datetime,
        end: datetime,
        by_category: bool,
        warehouse_id: UUID | None,
        category_id: UUID | None,
        limit: int,
    ) -> list[Turnover]:
        parameters: dict[str, Any] = {
            "tenant": self._tenant_id,
            "start": start,
            "end": end,
            "warehouse": warehouse_id,
            "category": category_id,
            "limit": limit,
        }
        rows = await self._conn.execute(_BY_CATEGORY if by_category else _BY_SKU, parameters)
        days = Decimal((end - start).total_seconds()) / Decimal(86400)
        found = []
        for row in rows:
            issued, opening, closing = int(row.issued), int(row.opening), int(row.closing)
            rates = turnover_rates(issued, opening, closing, days)
            found.append(
                Turnover(
                    row.key,
                    row.code,
                    issued,
                    opening,
                    closing,
                    rates.average,
                    rates.turnover,
                    rates.days_of_stock,
                )
            )
        return found

    async def idle(
        self, since: datetime, now: datetime, warehouse_id: UUID | None, limit: int
    ) -> list[IdleStock]:
        rows = await self._conn.execute(
            _IDLE,
            {
                "tenant": self._tenant_id,
                "warehouse": warehouse_id,
                "since": since,
                "now": now,
                "limit": limit,
            },
        )
        return [
            IdleStock(
                row.sku_id,
                row.sku_code,
                row.warehouse_id,
                row.warehouse_code,
                int(row.qty),
                row.last_issue,
                int(row.idle_days),
            )
            for row in rows
        ]


class PostgresStockValues(TenantRepository):
    """``StockValues``: the cost amount is what costing holds (``cost_positions``: FIFO or
    moving average, INV-7); the stock value is list price × units."""

    async def values(self, warehouse_ids: list[UUID]) -> dict[UUID, tuple[Decimal, Decimal]]:
        if not warehouse_ids:
            return {}
        rows = await self._conn.execute(
            _VALUES, {"tenant": self._tenant_id, "warehouses": warehouse_ids}
        )
        return {row.warehouse_id: (row.cost_amount, row.stock_value) for row in rows}

    async def values_at(
        self, at: datetime, warehouse_ids: list[UUID]
    ) -> dict[UUID, tuple[Decimal, Decimal]]:
        if not warehouse_ids:
            return {}
        rows = await self._conn.execute(
            _VALUES_AT,
            {
                "tenant": self._tenant_id,
                "warehouses": warehouse_ids,
                "at": at,
                "closing": await closing_at(self._conn, self._tenant_id, at),
            },
        )
        return {row.warehouse_id: (row.cost_amount, row.stock_value) for row in rows}
