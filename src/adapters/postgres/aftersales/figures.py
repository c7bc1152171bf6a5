"""The return analysis' figures (LOG-4) in a query each.

Hand-written SQL (``text()``): the units sold are counted on orders' tables and named
through the catalog's SKUs and products — other modules' tables, read by name as their
foreign keys are (decisions.md, section 29), without importing their code.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import text

from adapters.postgres.shared.rows import TenantRepository
from application.aftersales.ports import CaseFigures
from domain.aftersales.analysis import SkuFigures

# Sold: lines of orders placed in the period, not cancelled, not a merged or split
# original (the order that replaced it counts), not an after-sales replacement.
# Returned: lines of return-and-refund and exchange cases opened in the period, not
# rejected.
_SKUS = text("""
    WITH sold AS (
        SELECT l.sku_id, sum(l.quantity) AS units
        FROM order_lines l
        JOIN orders o ON o.tenant_id = l.tenant_id AND o.id = l.order_id
        WHERE o.tenant_id = :tenant AND o.placed_at >= :start AND o.placed_at < :end
          AND o.status <> 'cancelled' AND o.merged_into IS NULL
          AND cardinality(o.split_into) = 0
          AND NOT EXISTS (
              SELECT 1 FROM aftersales_cases r
              WHERE r.tenant_id = o.tenant_id AND r.replacement_order_id = o.id)
        GROUP BY l.sku_id
    ), returned AS (
        SELECT cl.sku_id, sum(cl.quantity) AS units
        FROM aftersales_case_lines cl
        JOIN aftersales_cases c ON c.tenant_id = cl.tenant_id AND c.id = cl.case_id
        WHERE c.tenant_id = :tenant AND c.created_at >= :start AND c.created_at < :end
          AND c.kind IN ('return_refund', 'exchange') AND c.status <> 'rejected'
        GROUP BY cl.sku_id
    ), touched AS (
        SELECT sku_id FROM sold UNION SELECT sku_id FROM returned
    )
    SELECT s.id AS sku_id, s.code AS sku_code, p.id AS product_id, p.name AS product_name,
           coalesce(sold.units, 0) AS sold, coalesce(returned.units, 0) AS returned
    FROM touched t
    JOIN skus s ON s.tenant_id = :tenant AND s.id = t.sku_id
    JOIN products p ON p.tenant_id = :tenant AND p.id = s.product_id
    LEFT JOIN sold ON sold.sku_id = t.sku_id
    LEFT JOIN returned ON returned.sku_id = t.sku_id
""")

# Cases opened in the period (rejected ones left out): per reason, the refunds recorded
# against them and their shipping-insurance claims.
_CASES = text("""
    SELECT c.reason, count(*) AS cases,
           coalesce(sum((SELECT sum(r.amount) FROM aftersales_refunds r
                         WHERE r.tenant_id = c.tenant_id AND r.case_id = c.id)), 0) AS refunded,
           coalesce(sum(jsonb_array_length(c.claims)), 0) AS claims,
           coalesce(sum((SELECT sum((e->>'amount')::numeric)
                         FROM jsonb_array_elements(c.claims) e)), 0) AS insured
    FROM aftersales_cases c
    WHERE c.tenant_id = :tenant AND c.created_at >= :start AND c.created_at < :end
      AND c.status <> 'rejected'
    GROUP BY c.reason
""")


class PostgresReturnFigures(TenantRepository):
    async def skus(self, start: datetime, end: datetime) -> list[SkuFigures]:
        rows = await self._conn.execute(
            _SKUS, {"tenant": self._tenant_id, "start": start, "end": end}
        )
        return [
            SkuFigures(
                r.sku_id, r.sku_code, r.product_id, r.product_name, int(r.sold), int(r.returned)
            )
            for r in rows
        ]

    async def cases(self, start: datetime, end: datetime) -> CaseFigures:
        rows = list(
            await self._conn.execute(
                _CASES, {"tenant": self._tenant_id, "start": start, "end": end}
            )
        )
        return CaseFigures(
            cases=sum(int(r.cases) for r in rows),
            reasons={r.reason: int(r.cases) for r in rows},
            refund_total=sum((Decimal(r.refunded) for r in rows), Decimal("0.00")),
            insurance_claims=sum(int(r.claims) for r in rows),
            insurance_total=sum((Decimal(r.insured) for r in rows), Decimal("0.00")),
        )
