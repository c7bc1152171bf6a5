"""The 双11 burst (ORD-9, CHN-2, PLT-9): marketplace orders pulled through the connector path
— the simulated marketplace's pages over HTTP, the channel intake placing each order
(SKU mappings, reservation through inventory's port, review, audit, events) one page a
transaction — beside a raw batch insert of the same rows (the rows the intake wrote, copied
again page by page as the superuser, with COPY, into the same tables). Goal: the intake
reaches at least 0.3 of the raw rate.

    .tools/bin/uv run --frozen python -m bench.orders_intake [--orders N]

100,000 orders at full scale (``BENCH_SCALE`` for ``python -m bench``). Creates its own
migrated database on the local PostgreSQL and drops it at the end; the simulated
marketplace runs in a thread of this process on a free port.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import random
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
from sqlalchemy import event
from tests.support.marketplace import simulated_marketplace

from application.catalog.channels.create import CreateChannel
from application.orders.channels.intake import ChannelIntake, ConfigureChannelConnector
from bench._figures import Figure, record, scale
from bench._setup import bench_tenant, seed_stocked_skus
from bench.orders_place import OPENING, SKUS

GOAL = 0.3
SHOP = "tmall_11"
# What the intake writes for an order: the tables the raw side copies again.
TABLES = (
    "orders",
    "order_lines",
    "order_discounts",
    "order_payments",
    "order_timeline",
    "order_platform_ids",
    "reservations",
    "reservation_lines",
    "stock_ledger",
    "audit_log",
    "outbox",
)


def platform_orders(count: int, codes: list[str], at: datetime) -> list[dict[str, Any]]:
    """``count`` paid orders of 1–3 lines, modified a millisecond apart."""
    rng = random.Random(11)
    orders = []
    for i in range(count):
        lines: list[dict[str, Any]] = [
            {
                "subOrderId": f"T{i}-{n}",
                "channelSkuCode": rng.choice(codes),
                "quantity": rng.randint(1, 3),
                "unitPrice": f"{rng.randint(990, 29900) / 100:.2f}",
                "title": "双11 爆款",
            }
            for n in range(rng.randint(1, 3))
        ]
        paid = sum(float(s["unitPrice"]) * int(s["quantity"]) for s in lines)
        modified = (at + timedelta(milliseconds=i)).isoformat()
        orders.append(
            {
                "platformOrderId": f"T{i:08d}",
                "subOrders": lines,
                "receiver": {
                    "name": "张三",
                    "phone": f"138{i % 100_000_000:08d}",
                    "province": "浙江省",
                    "city": "杭州市",
                    "district": "西湖区",
                    "address": f"文三路 {i % 999 + 1} 号",
                },
                "paidAmount": f"{paid:.2f}",
                "paidAt": modified,
                "modifiedAt": modified,
            }
        )
    return orders


async def raw_copy(admin_url: str, tenant_id: uuid.UUID, pages: int) -> tuple[float, int]:
    """The intake's rows copied again, as another tenant, in ``pages`` transactions of a
    page's share of each table (COPY as the superuser, triggers and foreign keys off:
    nothing but the writes); seconds and rows."""
    conn = await asyncpg.connect(admin_url)
    try:
        copies: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
        other = uuid.uuid4()
        for table in TABLES:
            rows = await conn.fetch(f"SELECT * FROM {table} WHERE tenant_id = $1", tenant_id)
            if not rows:
                continue
            columns = list(rows[0].keys())
            at = columns.index("tenant_id")
            copies[table] = (
                columns,
                [tuple(other if i == at else v for i, v in enumerate(r.values())) for r in rows],
            )
        await conn.execute("SET session_replication_role = replica")
        started = time.perf_counter()
        for page in range(pages):
            async with conn.transaction():
                for table, (columns, rows) in copies.items():
                    share = rows[page::pages]
                    if share:
                        await conn.copy_records_to_table(table, records=share, columns=columns)
        seconds = time.perf_counter() - started
        return seconds, sum(len(rows) for _, rows in copies.values())
    finally:
        await conn.close()


async def analyze(admin_url: str) -> None:
    """Statistics for the tables the intake writes. A fresh database's tables are empty
    when a session first checks a foreign key into them; that check's plan (kept for the
    session) then scans the table, and the page's insert grows from ~60 ms to ~450 ms
    over 2,000 orders until autovacuum analyzes (bench/README.md). A live database has
    statistics; this gives the run them after its first page."""
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f"ANALYZE {', '.join(TABLES)}")
    finally:
        await conn.close()


async def run(count: int, profile: bool = False, analyzed: bool = True) -> bool:
    async with bench_tenant("intake") as bench:
        with simulated_marketplace() as market:
            container, call = bench.container, bench.ctx
            run_ = container.use_cases.run
            admin = bench.admin_url
            skus = await seed_stocked_skus(bench, SKUS, OPENING)
            channel = await run_(call, CreateChannel(SHOP, "天猫旗舰店", "marketplace", "tmall"))
            codes = [f"TM-{i:04d}" for i in range(len(skus))]
            conn = await asyncpg.connect(admin)
            try:
                await conn.executemany(
                    "INSERT INTO channel_sku_mappings (tenant_id, channel_id,"
                    " channel_sku_code, sku_id, updated_at) VALUES ($1, $2, $3, $4, now())",
                    [(bench.tenant_id, channel.id, c, s) for c, s in zip(codes, skus, strict=True)],
                )
            finally:
                await conn.close()
            start = datetime.now(UTC) - timedelta(hours=1)
            for body in platform_orders(count, codes, start):
                path = f"/sim/shops/{SHOP}/orders/{body['platformOrderId']}"
                market.control.put(path, json=body).raise_for_status()
            await run_(
                call,
                ConfigureChannelConnector(
                    channel.id, "simulated", market.url, start - timedelta(minutes=1)
                ),
            )
            intake = container.get(ChannelIntake)
            seen: Counter[str] = Counter()

            def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
                seen[" ".join(statement.split())[:70]] += 1

            event.listen(container.app_engine.sync_engine, "before_cursor_execute", note)
            profiler = cProfile.Profile() if profile else None
            intake_seconds, pages, placed = 0.0, 0, 0
            for part in ("first page", "the rest"):
                started = time.perf_counter()
                if profiler:
                    profiler.enable()
                pages_wanted = 1 if part == "first page" else 10 * count
                pulled = await intake.pull(call, channel.id, max_pages=pages_wanted)
                if profiler:
                    profiler.disable()
                intake_seconds += time.perf_counter() - started
                pages, placed = pages + pulled.pages, placed + pulled.taken.placed
                if analyzed and part == "first page":
                    await analyze(admin)  # untimed: the statistics a live database has
            event.remove(container.app_engine.sync_engine, "before_cursor_execute", note)
            assert placed == count, pulled
            raw_seconds, rows = await raw_copy(admin, bench.tenant_id, pages)
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(25)
    print(f"SQL statements of the pull: {sum(seen.values()) / count:.1f} an order; the most run:")
    for statement, times in seen.most_common(12):
        print(f"  {times / count:5.2f} an order  {statement}")
    return report(count, pages, intake_seconds, raw_seconds, rows)


def report(count: int, pages: int, intake: float, raw: float, rows: int) -> bool:
    print(f"双11 burst: {count:,} marketplace orders in {pages:,} pages; {rows:,} rows written")
    print(f"{'path':<44}{'seconds':>10}{'orders/s':>12}")
    for label, seconds in (
        ("connector pull (pages, intake, reservation)", intake),
        ("raw batch insert of the same rows (COPY)", raw),
    ):
        print(f"{label:<44}{seconds:>10.2f}{count / seconds:>12,.0f}")
    ratio = raw / intake
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"intake / raw: {ratio:.3f}; load average at the end: {load} on {os.cpu_count()} cores")
    met = ratio >= GOAL
    print(f"goal (the intake at least {GOAL:.2f} of the raw rate): {'met' if met else 'MISSED'}")
    record(
        Figure(
            "P8",
            f"双11 burst of {count:,} marketplace orders (connector path) vs raw batch insert",
            round(count / intake),
            "orders/s",
            round(count / raw),
            round(ratio, 3),
            f"ratio >= {GOAL:.2f}",
            met,
            {"seconds": round(intake, 1), "raw_seconds": round(raw, 1), "rows": rows},
        )
    )
    return met


def main() -> Any:
    """For ``python -m bench``: 100,000 orders times ``BENCH_SCALE``."""
    return run(max(100, round(100_000 * scale())))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument(
        "--profile",
        action="store_true",
        help="cProfile the pull: top 30 by cumulative, 25 by own time",
    )
    parser.add_argument(
        "--no-analyze",
        action="store_true",
        help="leave the written tables without statistics after the first page",
    )
    args = parser.parse_args()
    raise SystemExit(0 if asyncio.run(run(args.orders, args.profile, not args.no_analyze)) else 1)
