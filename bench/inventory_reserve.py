"""Reservations per second (INV-2): through the use case (``ReserveStock`` via the
dispatcher: permission, allocation, the conditional update with its ledger row, the
reservation and its line, audit record, events, availability check, commit) beside the raw
SQL of the same stock statements on asyncpg (tenant, conditional update + ledger row,
the reservation with its line, commit), for many SKUs and for one hot SKU, printed side by side.
Goal: the use case reaches at least 0.5 of the raw SQL's rate.

    .tools/bin/uv run --frozen python -m bench.inventory_reserve [--reservations N]

Creates its own migrated database on the local PostgreSQL and drops it at the end; needs
no Redis (events wait in the outbox).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg

from application.inventory.ports import ReservationRequest
from application.inventory.reservations.commands import ReserveStock
from bench._setup import bench_tenant, scenarios, seed_stocked_skus
from domain.inventory.reservation import RequestedLine

GOAL = 0.5
SKUS = 1000
OPENING = 1_000_000  # units per SKU: nothing runs out during the run

# The stock statement the adapter builds with SQLAlchemy Core (adapters/postgres/inventory/
# stock.py), written out by hand for the raw side.
MOVE = """
WITH moved AS (
    UPDATE stock_levels SET reserved = reserved + $4, updated_at = now()
    WHERE tenant_id = $1 AND sku_id = $2 AND warehouse_id = $3 AND batch_id IS NULL
      AND on_hand - reserved - pick_locked >= $4 AND reserved >= 0
    RETURNING *
), logged AS (
    INSERT INTO stock_ledger (tenant_id, sku_id, warehouse_id, batch_id, kind, d_reserved,
                              source_type, source_id, actor)
    SELECT tenant_id, sku_id, warehouse_id, batch_id, 'reservation', $4, 'reservation', $5,
           'bench'
    FROM moved RETURNING seq
)
SELECT moved.on_hand, moved.reserved, logged.seq FROM moved, logged
"""
# The reservation with its line, one statement as the adapter writes it
# (adapters/postgres/inventory/reservations.py): $3 the source type, $4 its id.
RESERVATION = """
WITH header AS (
    INSERT INTO reservations (tenant_id, id, source_type, source_id, status, version,
                              created_by, created_at, updated_at)
    VALUES ($1, $2, $3, $4, 'active', 1, 'bench', now(), now())
)
INSERT INTO reservation_lines (tenant_id, reservation_id, line_no, sku_id, warehouse_id, quantity)
VALUES ($1, $2, 1, $5, $6, 1)
"""


async def rate(count: int, concurrency: int, one: Callable[[int], Awaitable[Any]]) -> float:
    """Reservations per second: ``count`` calls of ``one`` by ``concurrency`` workers."""
    queue = iter(range(count))

    async def worker() -> None:
        for i in queue:
            await one(i)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return count / (time.perf_counter() - started)


async def run(count: int, concurrency: int) -> bool:
    results: dict[str, tuple[float, float]] = {}
    async with bench_tenant("reserve") as bench:
        container, call, warehouse = bench.container, bench.ctx, bench.warehouses[0]
        skus = await seed_stocked_skus(bench, SKUS, OPENING)
        pool = await asyncpg.create_pool(bench.app_url, min_size=concurrency, max_size=concurrency)
        try:
            for label, picks in scenarios(skus, count).items():

                async def through_use_case(i: int, picks: list[uuid.UUID] = picks) -> None:
                    request = ReservationRequest((RequestedLine(picks[i], 1),))
                    await container.use_cases.run(call, ReserveStock(request))

                async def raw(i: int, picks: list[uuid.UUID] = picks) -> None:
                    reservation = uuid.uuid4()
                    async with pool.acquire() as conn, conn.transaction():
                        await conn.execute(
                            "SELECT set_config('app.tenant_id', $1, true)", str(bench.tenant_id)
                        )
                        moved = await conn.fetchrow(
                            MOVE, bench.tenant_id, picks[i], warehouse, 1, reservation
                        )
                        assert moved is not None
                        await conn.execute(
                            RESERVATION,
                            bench.tenant_id,
                            reservation,
                            "bench",
                            None,
                            picks[i],
                            warehouse,
                        )

                warm = max(20, count // 20)
                await rate(warm, concurrency, through_use_case)
                await rate(warm, concurrency, raw)
                results[label] = (
                    await rate(count, concurrency, through_use_case),
                    await rate(count, concurrency, raw),
                )
        finally:
            await pool.close()
    return report(count, concurrency, results)


def report(count: int, concurrency: int, results: dict[str, tuple[float, float]]) -> bool:
    print(f"reservations of one unit, {count:,} per run, {concurrency} concurrent callers:")
    print(f"{'scenario':<24}{'use case /s':>14}{'raw SQL /s':>14}{'ratio':>8}")
    met = True
    for label, (use_case, raw) in results.items():
        ratio = use_case / raw
        met = met and ratio >= GOAL
        print(f"{label:<24}{use_case:>14,.0f}{raw:>14,.0f}{ratio:>8.2f}")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average (1, 5, 15 min) at the end: {load} on {os.cpu_count()} cores")
    print(f"goal (use case at least {GOAL:.2f} of raw SQL's rate): {'met' if met else 'MISSED'}")
    return met


def main() -> Any:
    """For ``python -m bench``: 2,000 reservations per run times ``BENCH_SCALE``."""
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    return run(max(100, round(2000 * scale)), 8)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reservations", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    raise SystemExit(0 if asyncio.run(run(args.reservations, args.concurrency)) else 1)
