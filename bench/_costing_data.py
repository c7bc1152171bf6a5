"""What the costing benchmarks share (INV-7), on a tenant from ``bench._setup.bench_tenant``:
SKUs and valued ledger rows made in SQL with ``generate_series`` (written as the superuser
with foreign-key triggers off and the ledger's secondary indexes built after the load:
millions of rows in seconds, not the hours the use cases would take), and a year of daily
closings written by the closing job's own statement in two chains side by side
(``write_closings``).

A SKU × warehouse's rows run forward in time: every fourth a receipt of 8 units at a cost
that changes from receipt to receipt (1 to 97 yuan), the others issues of 2 posted at a
flat cost — never below zero. The issues' posted amounts are deliberately not what FIFO
or the average would give: a re-valuation over them corrects nearly every one (its worst
case for writes).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from datetime import datetime

import asyncpg

from adapters.postgres.inventory.costs import CLOSING, numbered
from bench._bulk import Part, indexes_rebuilt, side_by_side
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
LOADERS = 2  # connections generating the ledger at once (one a core here)
CLOSING_CHAINS = 2  # runs of closings written at once (three took longer on two cores)
CLOSED_AT = "INSERT INTO stock_closings (tenant_id, closes_at) VALUES ($1, $2)"


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
    nine indexes on a quiet box before), the batches shared by ``LOADERS`` connections."""
    arguments = (bench.ctx.tenant_id, prefix, skus, warehouses or bench.warehouses)

    def loader(number: int) -> Part:
        async def load(conn: asyncpg.Connection) -> None:
            for first in range(number * batch, rows, LOADERS * batch):
                last = min(rows, first + batch)
                await conn.execute(LEDGER_SQL, *arguments, first, last, start, float(rows), end)

        return load

    conn = await asyncpg.connect(bench.admin_url)
    try:
        async with indexes_rebuilt(conn, "stock_ledger"):
            await side_by_side(bench.admin_url, [loader(n) for n in range(LOADERS)])
        await conn.execute("VACUUM ANALYZE stock_ledger")
    finally:
        await conn.close()


async def write_closings(
    admin_url: str, tenant_id: uuid.UUID, boundaries: Sequence[datetime]
) -> None:
    """The tenant's closings at ``boundaries`` (in order, none written yet), each by the
    closing job's own statement (``CLOSING``) as the superuser with foreign-key triggers off,
    in ``CLOSING_CHAINS`` runs of consecutive boundaries written side by side. A run's first
    closing sums all history before it, as a tenant's first closing does (from no closing);
    each later one adds its day's movements to the closing before it. Either way a closing is
    every level's quantity and value at its instant: the rows the job writes one night after
    another (tests/integration/inventory/test_bench_closings.py)."""
    size = -(-len(boundaries) // CLOSING_CHAINS)
    runs = [boundaries[first : first + size] for first in range(0, len(boundaries), size)]
    await side_by_side(admin_url, [_closing_run(tenant_id, run) for run in runs])


def _closing_run(tenant_id: uuid.UUID, boundaries: Sequence[datetime]) -> Part:
    async def close(conn: asyncpg.Connection) -> None:
        await conn.execute("SET work_mem = '64MB'")
        previous = None
        for boundary in boundaries:
            async with conn.transaction():
                await conn.execute(CLOSED_AT, tenant_id, boundary)
                await conn.execute(numbered(CLOSING), tenant_id, previous, boundary)
            previous = boundary

    return close
