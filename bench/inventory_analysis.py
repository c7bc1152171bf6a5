"""Turnover over a period and the daily position (INV-9, INV-10) on a long ledger: the
application's queries (``GetTurnover``, ``GetDailyPosition`` through the dispatcher, as
``shopkeeper_app`` under RLS) beside a baseline that sums the whole history, printed side
by side. Goal: turnover for the last 30 days, p95 under 1 s, and faster than the baseline.

    .tools/bin/uv run --frozen python -m bench.inventory_analysis [--rows N] [--skus N]

Data: one tenant, one warehouse, SKUs in 20 categories, an opening receipt per SKU three
years back, then ``rows`` ledger rows (a third receipts of 2, two thirds issues of 1)
spread evenly over the last two years; the levels equal their ledger. Creates its own
migrated database and drops it at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from datetime import time as clock
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

from application.inventory.analysis.queries import GetDailyPosition, GetTurnover
from bench._setup import bench_tenant
from bootstrap.event_loop import use_uvloop

GOAL_SECONDS = 1.0
RUNS = 20

# The baseline: the same answer, opening and closing summed over the whole history.
BASELINE = """
WITH sums AS (
    SELECT sku_id,
           sum(d_on_hand + d_non_sellable) FILTER (WHERE occurred_at < $2) AS opening,
           sum(d_on_hand + d_non_sellable) FILTER (WHERE occurred_at < $3) AS closing,
           -sum(d_on_hand + d_non_sellable)
               FILTER (WHERE kind = 'issue' AND occurred_at >= $2 AND occurred_at < $3) AS issued
    FROM stock_ledger WHERE tenant_id = $1 GROUP BY sku_id
)
SELECT s.id, s.code, sums.issued, sums.opening, sums.closing
FROM sums JOIN skus s ON s.tenant_id = $1 AND s.id = sums.sku_id
ORDER BY sums.issued DESC NULLS LAST, s.code LIMIT 100
"""


async def seed(
    admin_url: str, tenant_id: uuid.UUID, warehouse_id: uuid.UUID, skus: int, rows: int
) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        categories = [uuid.uuid4() for _ in range(20)]
        for i, category in enumerate(categories):
            await conn.execute(
                "INSERT INTO categories (tenant_id, id, name, name_key, created_at, updated_at)"
                " VALUES ($1, $2, $3, $3, now(), now())",
                tenant_id,
                category,
                f"类目{i}",
            )
            await conn.execute(
                "INSERT INTO category_closure VALUES ($1, $2, $2, 0)", tenant_id, category
            )
        await conn.execute(
            """
            WITH p AS (
                INSERT INTO products (tenant_id, id, code, code_key, name, kind, lifecycle,
                                      category_id, created_at, updated_at)
                SELECT $1, gen_random_uuid(), 'P' || g, 'P' || g, 'P' || g, 'physical',
                       'active', ($2::uuid[])[1 + g % 20], now(), now()
                FROM generate_series(1, $3) g RETURNING id, code
            )
            INSERT INTO skus (tenant_id, id, product_id, position, code, code_key, list_price)
            SELECT $1, gen_random_uuid(), p.id, 0, p.code || '-1', p.code || '-1', 10 FROM p
            """,
            tenant_id,
            categories,
            skus,
        )
        await conn.execute(
            """
            INSERT INTO stock_ledger (tenant_id, sku_id, warehouse_id, kind, d_on_hand,
                                      unit_cost, source_type, actor, occurred_at)
            SELECT $1, id, $2, 'receipt', 1000000, 5, 'opening_stock', 'bench',
                   now() - interval '3 years'
            FROM skus WHERE tenant_id = $1
            """,
            tenant_id,
            warehouse_id,
        )
        await conn.execute(
            """
            WITH s AS (SELECT array_agg(id ORDER BY id) AS ids FROM skus WHERE tenant_id = $1)
            INSERT INTO stock_ledger (tenant_id, sku_id, warehouse_id, kind, d_on_hand,
                                      source_type, actor, occurred_at)
            SELECT $1, s.ids[1 + (g::bigint * 7919) % array_length(s.ids, 1)], $2,
                   CASE WHEN g % 3 = 0 THEN 'receipt' ELSE 'issue' END,
                   CASE WHEN g % 3 = 0 THEN 2 ELSE -1 END, 'bench', 'bench',
                   now() - interval '730 days' + (g * interval '730 days') / $3
            FROM s, generate_series(1, $3) g
            """,
            tenant_id,
            warehouse_id,
            rows,
        )
        await conn.execute(
            """
            INSERT INTO stock_levels (tenant_id, sku_id, warehouse_id, on_hand)
            SELECT $1, sku_id, $2, sum(d_on_hand) FROM stock_ledger
            WHERE tenant_id = $1 GROUP BY sku_id
            """,
            tenant_id,
            warehouse_id,
        )
        for table in ("stock_ledger", "stock_levels", "skus", "products", "categories"):
            await conn.execute(f"VACUUM ANALYZE {table}")
    finally:
        await conn.close()


async def timings(runs: int, one: Callable[[], Awaitable[Any]]) -> tuple[float, float]:
    """(median, p95) in seconds."""
    await one()  # warm
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        await one()
        seconds.append(time.perf_counter() - started)
    seconds.sort()
    return statistics.median(seconds), seconds[max(0, round(0.95 * len(seconds)) - 1)]


async def run(rows: int, skus: int) -> bool:
    results: dict[str, tuple[tuple[float, float], tuple[float, float] | None]] = {}
    async with bench_tenant("analysis") as bench:
        container, call = bench.container, bench.ctx
        started = time.perf_counter()
        await seed(bench.admin_url, bench.tenant_id, bench.warehouses[0], skus, rows)
        seconds = time.perf_counter() - started
        print(f"seeded {rows:,} ledger rows over {skus:,} SKUs in {seconds:.1f} s")
        position = await container.use_cases.query(call, GetDailyPosition())
        today = position.day
        start, end = today - timedelta(days=29), today

        async def turnover() -> Any:
            return await container.use_cases.query(call, GetTurnover(start, end))

        async def daily() -> Any:
            return await container.use_cases.query(call, GetDailyPosition())

        conn = await asyncpg.connect(bench.app_url)
        try:
            results["turnover, last 30 days"] = (
                await timings(RUNS, turnover),
                await timings(
                    RUNS, baseline_only(conn, bench.tenant_id, today, position.time_zone)
                ),
            )
            results["daily position"] = (await timings(RUNS, daily), None)
        finally:
            await conn.close()
    return report(rows, skus, results)


def position_start(day: date, zone: str) -> datetime:
    """Midnight of ``day`` in the company's time zone (as the queries take it)."""
    return datetime.combine(day, clock(), ZoneInfo(zone))


def baseline_only(
    conn: asyncpg.Connection, tenant_id: uuid.UUID, today: date, zone: str
) -> Callable[[], Awaitable[Any]]:
    async def one() -> Any:
        async with conn.transaction():
            await conn.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant_id))
            low = position_start(today - timedelta(days=29), zone)
            high = position_start(today + timedelta(days=1), zone)
            return await conn.fetch(BASELINE, tenant_id, low, high)

    return one


def report(
    rows: int, skus: int, results: dict[str, tuple[tuple[float, float], tuple[float, float] | None]]
) -> bool:
    print(f"{rows:,} ledger rows, {skus:,} SKUs, {RUNS} runs each (median / p95, ms):")
    print(f"{'query':<26}{'Shopkeeper':>20}{'whole-history sum':>22}")
    met = True
    for label, (ours, theirs) in results.items():
        mine = f"{ours[0] * 1000:,.0f} / {ours[1] * 1000:,.0f}"
        other = f"{theirs[0] * 1000:,.0f} / {theirs[1] * 1000:,.0f}" if theirs else "—"
        print(f"{label:<26}{mine:>20}{other:>22}")
        if theirs is not None:
            met = met and ours[1] < GOAL_SECONDS and ours[0] <= theirs[0]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average (1, 5, 15 min) at the end: {load} on {os.cpu_count()} cores")
    print(
        f"goal (turnover p95 < {GOAL_SECONDS:.0f} s and not slower than the baseline): "
        f"{'met' if met else 'MISSED'}"
    )
    return met


def main() -> Any:
    """For ``python -m bench``: 2,000,000 ledger rows, 20,000 SKUs, times ``BENCH_SCALE``."""
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    return run(max(10_000, round(2_000_000 * scale)), max(100, round(20_000 * scale)))


if __name__ == "__main__":
    use_uvloop()  # the loop the deployed processes run on (bootstrap/event_loop.py)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--skus", type=int, default=20_000)
    args = parser.parse_args()
    raise SystemExit(0 if asyncio.run(run(args.rows, args.skus)) else 1)
