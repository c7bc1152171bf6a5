"""Value by SKU × warehouse at a date (INV-7), with millions of ledger rows: through the
use case (``ExportValuation``: the last closing at or before the date plus the valued
movements since it) beside the baseline that sums all history up to the date, printed
side by side. Goal: p95 under 1 s at 5,000,000 ledger rows across 20,000 SKUs.

    .tools/bin/uv run --frozen python -m bench.inventory_valuation [--rows N] [--skus N]

The rows span one year; closings are written by the closing job's own statement
(``StockCosts.close``) at every midnight, as the scheduled job does (``--period day``, the
default), or only at each month's start (``--period month``: a date is then up to a month
of movements past its closing). Dates are drawn at random in the year, plus the last
instant before a month's closing. Creates its own migrated database and drops it at the
end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from application.inventory.costing.queries import ExportValuation
from application.inventory.ports import INVENTORY
from bench._costing_data import make_ledger, make_skus, write_closings
from bench._figures import Figure, record, scale
from bench._setup import BenchTenant, bench_tenant
from bootstrap.event_loop import use_uvloop
from bootstrap.heap import freeze_heap

GOAL_SECONDS = 1.0
JOB_CLOSINGS = 7  # the last week's closings by the job itself, timed
START = datetime(2025, 1, 1, tzinfo=UTC)
END = datetime(2026, 1, 1, tzinfo=UTC)
BASELINE = """
SELECT sku_id, warehouse_id, sum(d_on_hand + d_non_sellable) AS quantity,
       sum(cost_amount) AS value
FROM stock_ledger
WHERE tenant_id = $1 AND cost_amount IS NOT NULL AND effective_at < $2
GROUP BY sku_id, warehouse_id
HAVING sum(d_on_hand + d_non_sellable) <> 0 OR sum(cost_amount) <> 0
"""


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def boundaries(period: str) -> list[datetime]:
    if period == "month":
        return [datetime(2025, month, 1, tzinfo=UTC) for month in range(2, 13)]
    return [START + timedelta(days=d) for d in range(1, 365)]


async def close_periods(bench: BenchTenant, period: str) -> list[float]:
    """The year's closings, in order: the last ``JOB_CLOSINGS`` by the closing job (through
    the unit of work, timed: what a night's closing costs), the ones before them by the
    job's own statement as the superuser with foreign-key triggers off, as the ledger was
    written, two runs of days at once (``write_closings``: the same rows; the checks were
    half of a closing's time)."""
    seconds: list[float] = []
    every = boundaries(period)
    generated = every[:-JOB_CLOSINGS]
    await write_closings(bench.admin_url, bench.tenant_id, generated)
    previous = generated[-1] if generated else None
    for boundary in every[len(generated) :]:
        begun = time.perf_counter()
        async with bench.container.uow_factory.for_tenant(bench.ctx) as uow:
            await uow.of(INVENTORY).costs.close(previous, boundary)
            await uow.commit()
        seconds.append(time.perf_counter() - begun)
        previous = boundary
    return seconds


async def run(rows: int, skus: int, samples: int, baseline_samples: int, period: str) -> bool:
    async with bench_tenant("valuation", 2) as bench:
        begun = time.perf_counter()
        await make_skus(bench, "v", skus)
        await make_ledger(bench, "v", skus, rows, START, END)
        generated = time.perf_counter() - begun
        closing_seconds = await close_periods(bench, period)
        freeze_heap()  # as a built server does (the HTTP app, a worker): decision 82
        rng = random.Random(11)
        dates = [START + timedelta(seconds=rng.uniform(0, 365 * 86400)) for _ in range(samples)]
        dates.append(datetime(2025, 12, 1, tzinfo=UTC) - timedelta(microseconds=1))  # worst
        ours, levels, total = [], 0, None
        for at in dates:
            started = time.perf_counter()
            valuation = await bench.container.use_cases.query(bench.ctx, ExportValuation(at))
            ours.append(time.perf_counter() - started)
            levels, total = len(valuation.levels), valuation.total
        conn = await asyncpg.connect(bench.app_url)
        theirs, check = [], None
        try:
            await conn.execute(
                "SELECT set_config('app.tenant_id', $1, false)", str(bench.ctx.tenant_id)
            )
            for at in [dates[-1], *dates[: baseline_samples - 1]]:
                started = time.perf_counter()
                found = await conn.fetch(BASELINE, bench.ctx.tenant_id, at)
                theirs.append(time.perf_counter() - started)
                if check is None:
                    check = (len(found), sum(r["value"] for r in found))
        finally:
            await conn.close()
    agrees = check == (levels, total)
    return report(period, rows, skus, generated, closing_seconds, ours, theirs, levels, agrees)


def report(
    period: str,
    rows: int,
    skus: int,
    generated: float,
    closings: list[float],
    ours: list[float],
    theirs: list[float],
    levels: int,
    agrees: bool,
) -> bool:
    print(
        f"valuation by SKU × warehouse at a date: {rows:,} ledger rows, {skus:,} SKUs × 2"
        f" warehouses over a year (generated in {generated:.0f} s); {levels:,} levels valued"
    )
    print(
        f"{len(boundaries(period))} closings, one per {period}; the last {len(closings)} by"
        f" the closing job: {statistics.mean(closings):.2f} s each on average"
    )
    print(f"{'query':<44}{'samples':>8}{'p50 s':>9}{'p95 s':>9}{'max s':>9}")
    for label, found in (
        ("closing + movements since (ExportValuation)", ours),
        ("baseline: sum all history to the date", theirs),
    ):
        print(
            f"{label:<44}{len(found):>8}{statistics.median(found):>9.3f}"
            f"{p95(found):>9.3f}{max(found):>9.3f}"
        )
    print(f"both give the same levels and total at the worst date: {'yes' if agrees else 'NO'}")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average (1, 5, 15 min) at the end: {load} on {os.cpu_count()} cores")
    met = p95(ours) < GOAL_SECONDS and agrees
    print(f"goal (p95 under {GOAL_SECONDS:.0f} s, same answer): {'met' if met else 'MISSED'}")
    record(
        Figure(
            "P7",
            f"stock valuation at {rows:,} ledger rows, p95 (baseline: summing all history)",
            round(p95(ours) * 1000),
            "ms",
            round(p95(theirs) * 1000),
            round(p95(theirs) / p95(ours), 2),
            f"p95 < {GOAL_SECONDS * 1000:.0f} ms, same answer",
            met,
            {"p50_ms": round(statistics.median(ours) * 1000), "samples": len(ours)},
        )
    )
    return met


def main() -> Any:
    """For ``python -m bench``: 5,000,000 rows × ``BENCH_SCALE``."""
    return run(
        max(100_000, round(5_000_000 * scale())), max(1000, round(20_000 * scale())), 60, 5, "day"
    )


if __name__ == "__main__":
    use_uvloop()  # the loop the deployed processes run on (bootstrap/event_loop.py)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--skus", type=int, default=20_000)
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--baseline-samples", type=int, default=5)
    parser.add_argument("--period", choices=["day", "month"], default="day")
    args = parser.parse_args()
    ok = asyncio.run(run(args.rows, args.skus, args.samples, args.baseline_samples, args.period))
    raise SystemExit(0 if ok else 1)
