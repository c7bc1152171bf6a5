"""Order analytics from the rollups (ORD-10): one query over a period's cells, summed by
dimension value and by day; and the rollups computed again from the orders table,
counting as ``adapters/postgres/orders/rollups.py`` does."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import text

from adapters.postgres.shared.rows import AnyRow, TenantRepository
from application.orders.queue.ports import CHANNEL, HOUR, PROVINCE, Breakdown, Figures

_SUMS = (
    "sum(orders) AS orders, sum(amount) AS amount,"
    " sum(paid_orders) AS paid_orders, sum(paid_amount) AS paid_amount"
)
_PERIOD = "tenant_id = CAST(:tenant_id AS uuid) AND day BETWEEN :first_day AND :last_day"
# By value for every dimension; by day from the channel cells alone (each counted order is
# in exactly one channel cell a day).
_BREAKDOWN = text(
    f"SELECT dimension, value, NULL AS day, {_SUMS} FROM order_rollups WHERE {_PERIOD}"
    " GROUP BY dimension, value"
    f" UNION ALL SELECT 'day', NULL, day, {_SUMS} FROM order_rollups"
    f" WHERE {_PERIOD} AND dimension = 'channel' GROUP BY day"
)

_CLEAR = text("DELETE FROM order_rollups WHERE tenant_id = CAST(:tenant_id AS uuid)")
_REBUILD = text("""
    INSERT INTO order_rollups (tenant_id, day, dimension, value, slot,
                               orders, amount, paid_orders, paid_amount)
    SELECT o.tenant_id, CAST(l.local AS date), d.dimension,
           CASE d.dimension WHEN 'hour' THEN to_char(l.local, 'HH24')
                            WHEN 'channel' THEN COALESCE(CAST(o.channel_id AS text), '')
                            ELSE o.province END,
           0, count(*), sum(o.total), count(o.paid_at),
           COALESCE(sum(COALESCE(p.received, 0) - COALESCE(r.refunded, 0))
                    FILTER (WHERE o.paid_at IS NOT NULL), 0)
    FROM orders o
    JOIN tenants t ON t.id = o.tenant_id
    CROSS JOIN LATERAL (SELECT o.placed_at AT TIME ZONE t.time_zone AS local) AS l
    LEFT JOIN (SELECT order_id, sum(amount) AS received FROM order_payments
               WHERE tenant_id = CAST(:tenant_id AS uuid) GROUP BY order_id) p
           ON p.order_id = o.id
    LEFT JOIN (SELECT order_id, sum(amount) AS refunded FROM order_refunds
               WHERE tenant_id = CAST(:tenant_id AS uuid) GROUP BY order_id) r
           ON r.order_id = o.id
    CROSS JOIN (VALUES ('channel'), ('hour'), ('province')) AS d(dimension)
    WHERE o.tenant_id = CAST(:tenant_id AS uuid) AND o.status <> 'cancelled'
      AND o.merged_into IS NULL AND cardinality(o.split_into) = 0
    GROUP BY 1, 2, 3, 4
""")


def _figures(row: AnyRow) -> Figures:
    return Figures(
        int(row.orders), Decimal(row.amount), int(row.paid_orders), Decimal(row.paid_amount)
    )


class PostgresOrderAnalytics(TenantRepository):
    async def breakdown(self, first_day: date, last_day: date) -> Breakdown:
        parameters = {"tenant_id": self._tenant_id, "first_day": first_day, "last_day": last_day}
        by: dict[str, dict[Any, Figures]] = {"day": {}, CHANNEL: {}, HOUR: {}, PROVINCE: {}}
        for row in await self._conn.execute(_BREAKDOWN, parameters):
            if row.dimension == "day":
                key: Any = row.day
            elif row.dimension == CHANNEL:
                key = UUID(row.value) if row.value else None
            else:
                key = row.value
            by[row.dimension][key] = _figures(row)
        days = _sorted(by["day"])
        return Breakdown(
            sum(days.values(), Figures()),
            days,
            _sorted(by[HOUR]),
            dict(sorted(by[CHANNEL].items(), key=lambda kv: (-kv[1].orders, str(kv[0])))),
            dict(sorted(by[PROVINCE].items(), key=lambda kv: (-kv[1].orders, kv[0]))),
        )

    async def rebuild(self) -> None:
        parameters = {"tenant_id": self._tenant_id}
        await self._conn.execute(_CLEAR, parameters)
        await self._conn.execute(_REBUILD, parameters)


def _sorted(found: Mapping[Any, Figures]) -> dict[Any, Figures]:
    return dict(sorted(found.items()))
