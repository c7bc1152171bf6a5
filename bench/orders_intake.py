"""The 双11 burst (ORD-9, CHN-2, PLT-9): marketplace orders pulled through the connector path
— the simulated marketplace's pages over HTTP, the channel intake placing each order
(SKU mappings, reservation through inventory's port, review, audit, events) one page a
transaction — beside a raw batch insert of the same rows (the rows the intake wrote, copied
again page by page as the superuser, with COPY, into the same tables). Goal: the intake
reaches at least 0.3 of the raw rate.

    .tools/bin/uv run --frozen python -m bench.orders_intake [--orders N] [--history N]

100,000 orders at full scale (``BENCH_SCALE`` for ``python -m bench``). The burst lands in
a database that already holds the shop's earlier orders (``--history``, a tenth of the
burst; pulled the same way, untimed) with statistics, as autovacuum keeps a live one; the
process's heap is frozen before the burst, as the scheduler's is at its start. Creates its
own migrated database on the local PostgreSQL and drops it at the end; the simulated
marketplace runs in a thread of this process on a free port.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
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
from bench._cpu import cpu_seconds
from bench._figures import Figure, record, scale
from bench._quiet import quiet_http_logs
from bench._setup import bench_tenant, seed_stocked_skus
from bench.orders_place import OPENING, SKUS
from bootstrap.event_loop import use_uvloop
from bootstrap.heap import freeze_heap

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


async def raw_copy(
    admin_url: str, tenant_id: uuid.UUID, pages: int, since_xid: int
) -> tuple[float, int, float | None]:
    """The rows the burst wrote (transactions after ``since_xid``: not the history's)
    copied again, as another tenant, in ``pages`` transactions of a page's share of each
    table (COPY as the superuser, triggers and foreign keys off: nothing but the writes);
    seconds, rows and the server's CPU seconds."""
    conn = await asyncpg.connect(admin_url)
    try:
        copies: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
        other = uuid.uuid4()
        for table in TABLES:
            rows = await conn.fetch(
                f"SELECT * FROM {table} WHERE tenant_id = $1 AND age(xmin) < txid_current() - $2",
                tenant_id,
                since_xid,
            )
            if not rows:
                continue
            columns = list(rows[0].keys())
            at = columns.index("tenant_id")
            copies[table] = (
                columns,
                [tuple(other if i == at else v for i, v in enumerate(r.values())) for r in rows],
            )
        await conn.execute("SET session_replication_role = replica")
        server = cpu_seconds(conn.get_server_pid())
        started = time.perf_counter()
        for page in range(pages):
            async with conn.transaction():
                for table, (columns, rows) in copies.items():
                    share = rows[page::pages]
                    if share:
                        await conn.copy_records_to_table(table, records=share, columns=columns)
        seconds = time.perf_counter() - started
        after = cpu_seconds(conn.get_server_pid())
        cpu = after - server if after is not None and server is not None else None
        return seconds, sum(len(rows) for _, rows in copies.values()), cpu
    finally:
        await conn.close()


async def analyze(admin_url: str) -> int:
    """Statistics for the tables the intake writes, as autovacuum keeps them on a live
    database; answers the transaction id the burst's writes come after. Without them a
    pooled connection plans its foreign-key checks (and prepared reads) while the tables
    are nearly empty, and keeps a plan that scans the whole table per row until an
    ANALYZE invalidates it — whenever autovacuum gets to it (bench/README.md)."""
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f"ANALYZE {', '.join(TABLES)}")
        return int(await conn.fetchval("SELECT txid_current()"))
    finally:
        await conn.close()


class Backends:
    """The PostgreSQL backends the application's pool hands out, and the CPU each has
    used since it was first seen (``/proc``: the server on this machine)."""

    def __init__(self) -> None:
        self.first: dict[int, float] = {}

    def checkout(self, dbapi_conn: Any, record: Any, proxy: Any) -> None:
        pid = dbapi_conn.driver_connection.get_server_pid()
        if pid not in self.first:
            used = cpu_seconds(pid)
            if used is not None:
                self.first[pid] = used

    def used(self) -> float | None:
        now = {pid: cpu_seconds(pid) for pid in self.first}
        if not now or any(v is None for v in now.values()):
            return None
        return sum((now[pid] or 0.0) - used for pid, used in self.first.items())


async def run(
    count: int, profile: bool = False, history: int | None = None, freeze: bool = True
) -> bool:
    """``history``: earlier orders pulled (untimed) and analyzed before the burst (None:
    a tenth of it, at least 1,000; 0: a brand-new database, without statistics)."""
    history = max(1_000, count // 10) if history is None else history
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
            bodies = platform_orders(history + count, codes, start)
            for first in range(0, len(bodies), 10_000):  # the control API's bulk put
                chunk = {"orders": bodies[first : first + 10_000]}
                market.control.put(f"/sim/shops/{SHOP}/orders", json=chunk).raise_for_status()
            await run_(
                call,
                ConfigureChannelConnector(
                    channel.id, "simulated", market.url, start - timedelta(minutes=1)
                ),
            )
            intake = container.get(ChannelIntake)
            earlier = 0
            while earlier < history:  # the shop's earlier orders, as a live database has
                earlier += (await intake.pull(call, channel.id, max_pages=1)).taken.placed
            count -= earlier - history  # the last earlier page took some of the burst's
            since_xid = await analyze(admin) if history else 0
            if freeze:
                freeze_heap()  # built, as the scheduler freezes its heap at start
            seen: Counter[str] = Counter()
            backends = Backends()
            pool = container.app_engine.sync_engine.pool
            event.listen(pool, "checkout", backends.checkout)

            def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
                seen[" ".join(statement.split())[:70]] += 1

            event.listen(container.app_engine.sync_engine, "before_cursor_execute", note)
            profiler = cProfile.Profile() if profile else None
            cpu, main_cpu = time.process_time(), time.thread_time()
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            pulled = await intake.pull(call, channel.id, max_pages=10 * count)
            if profiler:
                profiler.disable()
            intake_seconds = time.perf_counter() - started
            cpu, main_cpu = time.process_time() - cpu, time.thread_time() - main_cpu
            server_cpu = backends.used()
            event.remove(container.app_engine.sync_engine, "before_cursor_execute", note)
            event.remove(pool, "checkout", backends.checkout)
            pages, placed = pulled.pages, pulled.taken.placed
            assert placed == count, pulled
            raw_seconds, rows, raw_cpu = await raw_copy(admin, bench.tenant_id, pages, since_xid)
    gc.unfreeze()
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(25)
    print(f"SQL statements of the pull: {sum(seen.values()) / count:.2f} an order; the most run:")
    for statement, times in seen.most_common(12):
        print(f"  {times / count:5.2f} an order  {statement}")
    frozen = "frozen" if freeze else "not frozen"
    print(f"after {earlier:,} earlier orders (analyzed when any); the heap {frozen}")
    print(
        f"CPU ms an order: this process {1000 * cpu / count:.2f} (the intake's thread"
        f" {1000 * main_cpu / count:.2f}, the simulated marketplace and other threads"
        f" {1000 * (cpu - main_cpu) / count:.2f}); PostgreSQL"
        f" {_ms(server_cpu, count)} for the intake, {_ms(raw_cpu, count)} for the COPY"
    )
    return report(count, pages, intake_seconds, raw_seconds, rows)


def _ms(seconds: float | None, count: int) -> str:
    return "n/a" if seconds is None else f"{1000 * seconds / count:.2f}"


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
    use_uvloop()  # the loop the deployed processes run on (bootstrap/event_loop.py)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument(
        "--profile",
        action="store_true",
        help="cProfile the pull: top 30 by cumulative, 25 by own time",
    )
    parser.add_argument(
        "--history",
        type=int,
        default=None,
        help="earlier orders in the database before the burst, analyzed (default: a tenth"
        " of the burst, at least 1,000; 0: a brand-new database without statistics)",
    )
    parser.add_argument(
        "--no-freeze", action="store_true", help="leave the process's heap unfrozen"
    )
    args = parser.parse_args()
    quiet_http_logs()
    done = asyncio.run(run(args.orders, args.profile, args.history, not args.no_freeze))
    raise SystemExit(0 if done else 1)
