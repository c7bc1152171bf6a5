"""Reservations per second (INV-2): through the use case (``ReserveStock`` via the
dispatcher: permission, allocation, the conditional update with its ledger row, the
reservation and its line, audit record, events, availability and threshold checks, commit)
beside the raw SQL of the same statements on asyncpg — every statement the use case sent in
a warm-up call, captured at the driver and replayed with fresh ids (``bench/_replay.py``) —
for many SKUs and for one hot SKU, printed side by side. Goal: the use case reaches at least
0.5 of the raw SQL's rate. The earlier raw figure, of the stock statements only (tenant,
conditional update + ledger row, the reservation with its line, commit), is printed beside.

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
from dataclasses import dataclass
from typing import Any

import asyncpg

from application.inventory.ports import ReservationRequest
from application.inventory.reservations.commands import ReserveStock
from bench._replay import Replay, capturing
from bench._setup import BenchTenant, bench_tenant, scenarios, seed_stocked_skus
from bootstrap.event_loop import use_uvloop
from domain.inventory.reservation import RequestedLine

GOAL = 0.5
SKUS = 1000
OPENING = 1_000_000  # units per SKU: nothing runs out during the run

# The stock-only raw side (the baseline before the replay; orders_place.py uses them too):
# the stock statement the adapter builds with SQLAlchemy Core (adapters/postgres/inventory/
# stock.py), written out by hand.
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


Call = Callable[[int], Awaitable[Any]]
ROUNDS = 10  # each side's calls in this many turns, the sides alternating


async def rate(count: int, concurrency: int, one: Call) -> float:
    """Reservations per second: ``count`` calls of ``one`` by ``concurrency`` workers."""
    wall, _ = await _calls(range(count), concurrency, one)
    return count / wall


async def _calls(indices: range, concurrency: int, one: Call) -> tuple[float, float]:
    """Seconds of wall clock and of this process's CPU for calls ``indices`` of ``one``."""
    queue = iter(indices)

    async def worker() -> None:
        for i in queue:
            await one(i)

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, time.process_time() - cpu


@dataclass(frozen=True)
class Timed:
    rate: float  # calls a second
    cpu_ms: float  # this process's CPU a call (the database's is not in it)


async def alternating(count: int, concurrency: int, sides: list[Call]) -> list[Timed]:
    """``count`` calls of each side, in ``ROUNDS`` turns taken side after side, so the
    shared machine's load, which drifts over a run, weighs on every side alike."""
    walls, cpus = [0.0] * len(sides), [0.0] * len(sides)
    for turn in range(ROUNDS):
        calls = range(turn * count // ROUNDS, (turn + 1) * count // ROUNDS)
        for k, side in enumerate(sides):
            wall, cpu = await _calls(calls, concurrency, side)
            walls[k] += wall
            cpus[k] += cpu
    return [Timed(count / wall, cpu / count * 1000) for wall, cpu in zip(walls, cpus, strict=True)]


async def reserve(bench: BenchTenant, sku: uuid.UUID) -> None:
    """One unit of ``sku`` through the use case."""
    request = ReservationRequest((RequestedLine(sku, 1),))
    await bench.container.use_cases.run(bench.ctx, ReserveStock(request))


async def captured(bench: BenchTenant, sku: uuid.UUID) -> Replay:
    """What one reservation of ``sku`` through the use case sends, to replay."""
    with capturing(bench.container.ids) as (sent, generated):
        await reserve(bench, sku)
    return Replay.of(sent, generated, bench.container.ids)


async def run(count: int, concurrency: int) -> bool:
    results: dict[str, tuple[Timed, Timed, Timed]] = {}
    async with bench_tenant("reserve") as bench:
        warehouse = bench.warehouses[0]
        skus = await seed_stocked_skus(bench, SKUS, OPENING)
        pool = await asyncpg.create_pool(bench.app_url, min_size=concurrency, max_size=concurrency)
        # The replay's connections, one per caller: the use case's pool sends nothing on
        # checkout or return, where asyncpg's pool would send its reset query each time.
        replaying = [await asyncpg.connect(bench.app_url) for _ in range(concurrency)]
        free: asyncio.Queue[asyncpg.Connection] = asyncio.Queue()
        for conn in replaying:
            free.put_nowait(conn)
        try:
            warm = max(20, count // 20)
            await rate(warm, concurrency, lambda i: reserve(bench, skus[i % (SKUS - 1)]))
            replay = await captured(bench, skus[-1])  # the last SKU: none of the picks
            print("one reservation through the use case sends, in order:")
            for n, summary in enumerate(replay.describe(), start=1):
                print(f"  {n:>2}. {summary}")
            for label, picks in scenarios(skus[:-1], count).items():

                async def through_use_case(i: int, picks: list[uuid.UUID] = picks) -> None:
                    await reserve(bench, picks[i])

                async def same_statements(i: int, picks: list[uuid.UUID] = picks) -> None:
                    conn = free.get_nowait()  # a caller's own: never more than there are
                    try:
                        await replay.send(conn, {skus[-1]: picks[i]})
                    finally:
                        free.put_nowait(conn)

                async def stock_only(i: int, picks: list[uuid.UUID] = picks) -> None:
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

                await rate(warm, concurrency, through_use_case)
                await rate(warm, concurrency, same_statements)
                await rate(warm, concurrency, stock_only)
                use_case, same, stock = await alternating(
                    count, concurrency, [through_use_case, same_statements, stock_only]
                )
                results[label] = (use_case, same, stock)
            # the replay writes what the use case writes: its audit records too
            expected = warm + 1 + 2 * len(results) * (warm + count)
            admin = await asyncpg.connect(bench.admin_url)
            try:
                audited = await admin.fetchval(
                    "SELECT count(*) FROM audit_log WHERE tenant_id = $1"
                    " AND action = 'reservation.create'",
                    bench.tenant_id,
                )
            finally:
                await admin.close()
        finally:
            for conn in replaying:
                await conn.close()
            await pool.close()
    print(f"reservations audited (use case and replay): {audited:,}, expected {expected:,}")
    return report(count, concurrency, results) and audited == expected


def report(count: int, concurrency: int, results: dict[str, tuple[Timed, Timed, Timed]]) -> bool:
    print(f"reservations of one unit, {count:,} per run, {concurrency} concurrent callers:")
    print(
        f"{'scenario':<20}{'use case /s':>12}{'raw, same statements /s':>25}{'ratio':>7}"
        f"{'raw, stock only /s':>20}{'ratio':>7}"
    )
    met = True
    for label, (use_case, same, stock) in results.items():
        ratio = use_case.rate / same.rate
        met = met and ratio >= GOAL
        print(
            f"{label:<20}{use_case.rate:>12,.0f}{same.rate:>25,.0f}{ratio:>7.2f}"
            f"{stock.rate:>20,.0f}{use_case.rate / stock.rate:>7.2f}"
        )
    print("this process's CPU a reservation (ms; the database's own is not counted):")
    for label, (use_case, same, stock) in results.items():
        print(
            f"{label:<20}{use_case.cpu_ms:>12.2f}{same.cpu_ms:>25.2f}{'':>7}{stock.cpu_ms:>20.2f}"
        )
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average (1, 5, 15 min) at the end: {load} on {os.cpu_count()} cores")
    print(
        f"goal (use case at least {GOAL:.2f} of the raw SQL of the same statements): "
        f"{'met' if met else 'MISSED'}"
    )
    return met


def main() -> Any:
    """For ``python -m bench``: 2,000 reservations per run times ``BENCH_SCALE``."""
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    return run(max(100, round(2000 * scale)), 8)


if __name__ == "__main__":
    use_uvloop()  # the loop the deployed processes run on (bootstrap/event_loop.py)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reservations", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    raise SystemExit(0 if asyncio.run(run(args.reservations, args.concurrency)) else 1)
