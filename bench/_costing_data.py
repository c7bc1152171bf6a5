"""What the costing benchmarks share (INV-7), on a tenant from ``bench._setup.bench_tenant``:
SKUs and valued ledger rows made in SQL with ``generate_series`` (written as the superuser
with foreign-key triggers off and the ledger's secondary indexes built after the load:
millions of rows in seconds, not the hours the use cases would take).

A SKU × warehouse's rows run forward in time: every fourth a receipt of 8 units at a cost
that changes from receipt to receipt (1 to 97 yuan), the others issues of 2 posted at a
flat cost — never below zero. The issues' posted amounts are deliberately not what FIFO
or the average would give: a re-valuation over them corrects nearly every one (its worst
case for writes).
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime

import asyncpg

from bench._bulk import indexes_rebuilt
from bench._setup import BenchTenant, insert_product

SKUS_SQL = """
INSERT INTO skus (tenant_id, id, product_id, position, code, code_key)
SELECT $1, md5($3 || i)::uuid, $2, i, 'B-' || $3 || i, 'b-' || $3 || i
FROM generate_series(0, $4 - 1) AS i
"""
# Row g of n: SKU g % skus, warehouse by (g / skus) % warehouses, its k-th row of that
# level is k = g / (skus × warehouses); effective times spread evenly over [start, end).
LEDGER_SQL = """
INSERT INTO stock_ledger (tenant_id, sku_id, warehouse_id, kind, d_on_hand, unit_cost,
                          cost_amount, source_type, actor, occurred_at, effective_at)
SELECT $1, md5($2 || (g % $3))::uuid, ($4::uuid[])[1 + (g / $3) % cardinality($4::uuid[])],
       CASE WHEN k % 4 = 0 THEN 'receipt' ELSE 'issue' END,
       CASE WHEN k % 4 = 0 THEN 8 ELSE -2 END,
       CASE WHEN k % 4 = 0 THEN 1 + ((g % $3) + k) % 97 END,
       CASE WHEN k % 4 = 0 THEN 8 * (1 + ((g % $3) + k) % 97) ELSE -2 * (1 + (g % $3) % 97) END,
       'bench', 'bench', at, at
FROM generate_series($5::bigint, $6::bigint - 1) AS g,
     LATERAL (SELECT g / ($3 * cardinality($4::uuid[])) AS k,
                     $7::timestamptz + (g::float8 / $8) * ($9::timestamptz - $7::timestamptz)
                     AS at) AS row
"""


async def make_skus(bench: BenchTenant, prefix: str, count: int) -> None:
    conn = await asyncpg.connect(bench.admin_url)
    try:
        product = await insert_product(conn, bench.tenant_id, f"BENCH-{prefix}")
        await conn.execute(SKUS_SQL, bench.ctx.tenant_id, product, prefix, count)
    finally:
        await conn.close()


def sku_id(prefix: str, index: int) -> uuid.UUID:
    """The id ``make_skus`` gave SKU ``index`` (``md5(prefix || index)::uuid``)."""
    return uuid.UUID(hashlib.md5(f"{prefix}{index}".encode()).hexdigest())


async def make_ledger(
    bench: BenchTenant,
    prefix: str,
    skus: int,
    rows: int,
    start: datetime,
    end: datetime,
    warehouses: list[uuid.UUID] | None = None,
    batch: int = 500_000,
) -> None:
    """``rows`` valued ledger rows over ``skus`` SKUs (made by ``make_skus``), the ledger's
    secondary indexes built after the load (``bench._bulk``: 286 s for 5,000,000 rows into
    nine indexes on a quiet box before)."""
    conn = await asyncpg.connect(bench.admin_url)
    try:
        await conn.execute("SET session_replication_role = replica")  # no FK triggers
        async with indexes_rebuilt(conn, "stock_ledger"):
            for first in range(0, rows, batch):
                await conn.execute(
                    LEDGER_SQL,
                    bench.ctx.tenant_id,
                    prefix,
                    skus,
                    warehouses or bench.warehouses,
                    first,
                    min(rows, first + batch),
                    start,
                    float(rows),
                    end,
                )
        await conn.execute("VACUUM ANALYZE stock_ledger")
    finally:
        await conn.close()
