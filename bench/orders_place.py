"""Order placements per second (ORD-1, PLT-9): through HTTP with the full pipeline (token,
permission, idempotency key, pricing, number, reservation through inventory's port, the
order's rows, audit, outbox, commit) on the server as deployed (``shopkeeper serve`` in a
process of its own, driven by a light keep-alive client: ``bench/_served_api.py``) and
through the use case in this process, beside the same SQL run directly — every statement
one HTTP placement sent (its token check, its transaction with the idempotency claim and
answer), captured and replayed with fresh ids (``bench/_replay.py``) by pgbench, a bare
handler and asyncpg in this process — at the same client count; for many SKUs and for one
hot SKU, printed side by side with the server's CPU a placement. Goal: HTTP reaches at
least 0.4 of pgbench's rate (P1) and 0.8 of the bare handler's (P1b).

    .tools/bin/uv run --frozen python -m bench.orders_place [--orders N] [--concurrency C]

Creates its own migrated database on the local PostgreSQL and drops it at the end; the
server's Redis keys live under a prefix of the run's own, deleted at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import asdict, astuple, dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import asyncpg

from application.orders.placing import NewLine, NewOrder, PlaceOrder
from bench._bare_server import save_replay
from bench._cpu import CpuSpent
from bench._figures import Figure, record, scale
from bench._flash_sale import flash_sale
from bench._pgbench import pgbench, script
from bench._replay import Replay, capturing
from bench._served_api import KeepAliveClient, drive, served_api, served_bare
from bench._setup import (
    NUMBERED,
    PASSWORD,
    BenchTenant,
    bench_tenant,
    numbered_skus,
    scenarios,
    seed_stocked_skus,
)
from bench._statement_count import capture_placement, count_statements
from bench.inventory_reserve import rate
from bootstrap.event_loop import use_uvloop
from domain.orders.values import Receiver, ShippingAddress

GOAL = 0.4  # of pgbench running the same transaction
BARE_GOAL = 0.8  # of a bare Litestar handler sending only that SQL
BASELINES = {"pgbench": "pgbench, same SQL", "bare": "bare Litestar + asyncpg, same SQL"}
USE_CASE_SQL = "pgbench, use case SQL"  # the way before decision 107: the use case's SQL alone
ROUNDS = 3  # turns each way takes, interleaved
SKUS = 1000
OPENING = 1_000_000  # units per SKU: nothing runs out during the run
RECEIVER = {
    "name": "张三",
    "phone": "13800001234",
    "address": {
        "province": "浙江省",
        "city": "杭州市",
        "district": "西湖区",
        "line": "文三路 1 号",
    },
}


@dataclass
class Way:
    """One way of placing orders, its seconds and answers summed over the turns."""

    seconds: float = 0.0
    done: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    cpu: CpuSpent = field(default_factory=CpuSpent)

    def add(self, count: int, rate: float, latencies: list[float] | None = None) -> None:
        self.seconds += count / rate
        self.done += count
        self.latencies_ms += latencies or []

    @property
    def rate(self) -> float:
        return self.done / self.seconds

    def cpu_ms(self) -> CpuSpent:
        """CPU milliseconds a placement, by whom."""
        return CpuSpent(*(seconds / self.done * 1000 for seconds in astuple(self.cpu)))

    def percentile(self, q: int) -> float | None:
        if len(self.latencies_ms) < 2:
            return None
        return statistics.quantiles(self.latencies_ms, n=100)[q - 1]


async def run(count: int, concurrency: int) -> bool:
    results: dict[str, dict[str, Way]] = {}
    async with bench_tenant("orders", uses_redis=True) as bench:
        container, call = bench.container, bench.ctx
        skus = await seed_stocked_skus(bench, SKUS, OPENING, Decimal("99.00"), numbered_skus(SKUS))
        receiver = Receiver(
            "张三", "13800001234", ShippingAddress("浙江省", "杭州市", "西湖区", "文三路 1 号")
        )

        def new_order(sku: uuid.UUID) -> PlaceOrder:
            return PlaceOrder(NewOrder((NewLine(sku, 1),), receiver))

        # The raw side: every statement one HTTP placement sends (its token check, its
        # transaction with the idempotency claim and answer), captured at the driver; the
        # use case's own statements, captured alone, are shown beside it (decision 107).
        await container.use_cases.run(call, new_order(skus[-1]))  # the number block
        with capturing(container.ids) as (sent, generated):
            placed = await container.use_cases.run(call, new_order(skus[-1]))
        use_case_sql = Replay.of(sent, generated, container.ids, (placed.number.value,))
        placement = await capture_placement(bench, receiver_body(skus[-1]))
        replay = Replay.of(placement.sent, placement.generated, container.ids, placement.unique)
        counted = count_statements(placement, len(use_case_sql.statements))
        print(
            f"raw SQL: the HTTP placement's {len(replay.before) + len(replay.statements)}"
            f" statements, replayed (the use case alone: {len(use_case_sql.statements)})"
        )
        pool = await asyncpg.create_pool(bench.app_url, min_size=concurrency, max_size=concurrency)
        scripts = await pgbench_scripts(pool, replay, skus)
        use_case_scripts = await pgbench_scripts(pool, use_case_sql, skus)
        with tempfile.TemporaryDirectory() as folder:
            saved = Path(folder) / "replay.pickle"
            save_replay(replay, saved)
            try:
                async with (
                    served_api(container.settings) as api,
                    served_bare(saved, str(skus[-1]), bench.app_url) as bare,
                ):
                    headers = await login(api.port, bench)
                    for label, picks in scenarios(skus, count).items():

                        def http_order(
                            client: KeepAliveClient, i: int, picks: list[uuid.UUID] = picks
                        ) -> Awaitable[tuple[int, bytes]]:
                            return client.request(
                                "POST",
                                "/api/v1/orders",
                                receiver_body(picks[i]),
                                {**headers, "Idempotency-Key": uuid.uuid4().hex},
                            )

                        def bare_order(
                            client: KeepAliveClient, i: int, picks: list[uuid.UUID] = picks
                        ) -> Awaitable[tuple[int, bytes]]:
                            return client.request("POST", "/orders", {"sku": str(picks[i])})

                        async def through_use_case(i: int, picks: list[uuid.UUID] = picks) -> None:
                            await container.use_cases.run(call, new_order(picks[i]))

                        async def raw(i: int, picks: list[uuid.UUID] = picks) -> None:
                            async with pool.acquire() as conn:
                                await replay.send(conn, {skus[-1]: picks[i]})

                        async def served(
                            way: Way,
                            n: int,
                            port: int,
                            request: Callable[[KeepAliveClient, int], Awaitable[Any]],
                        ) -> None:
                            driven = await drive(port, n, concurrency, request)
                            assert set(driven.statuses) <= {200, 201}, driven.statuses
                            way.add(n, driven.rate, driven.latencies_ms)

                        async def in_process(way: Way, n: int, one: Any) -> None:
                            way.add(n, await rate(n, concurrency, one))

                        async def by_pgbench(
                            way: Way, n: int, scripts: dict[str, str], label: str = label
                        ) -> None:
                            done = await pgbench(bench.app_url, scripts[label], concurrency, n)
                            way.add(n, done.rate, done.latencies_ms)

                        ways: dict[str, Callable[[Way, int], Awaitable[None]]] = {
                            "http": partial(served, port=api.port, request=http_order),
                            "bare": partial(served, port=bare.port, request=bare_order),
                            "use case": partial(in_process, one=through_use_case),
                            "raw": partial(in_process, one=raw),
                            "pgbench": partial(by_pgbench, scripts=scripts),
                            USE_CASE_SQL: partial(by_pgbench, scripts=use_case_scripts),
                        }
                        warm = max(20, count // 20)
                        for each_way in ways.values():
                            await each_way(Way(), warm)
                        # The ways take turns, in ROUNDS rounds each in another order, so a
                        # shared machine's load swings fall on all of them alike.
                        each = max(concurrency, count // ROUNDS)
                        took = {way: Way() for way in ways}
                        servers = {"http": api, "bare": bare}
                        for turn in range(ROUNDS):
                            for way in [*ways][turn:] + [*ways][:turn]:
                                meter = servers[way].cpu_seconds if way in servers else None
                                before = CpuSpent.now(meter)
                                await ways[way](took[way], each)
                                took[way].cpu += CpuSpent.now(meter) - before
                        results[label] = took
                    met = report(count, concurrency, results) and counted
                    return await flash_sale(bench, api.port, headers, count, concurrency) and met
            finally:
                await pool.close()


async def login(port: int, bench: BenchTenant) -> dict[str, str]:
    """The owner's bearer header."""
    client = await KeepAliveClient.open(port)
    status, body = await client.request(
        "POST",
        "/api/v1/auth/login",
        {"tenant": bench.slug, "email": bench.owner_email, "password": PASSWORD},
    )
    await client.close()
    assert status == 200, body
    return {"Authorization": f"Bearer {json.loads(body)['accessToken']}"}


def receiver_body(sku: uuid.UUID) -> dict[str, Any]:
    return {"lines": [{"skuId": str(sku), "quantity": 1}], "receiver": RECEIVER}


async def pgbench_scripts(
    pool: asyncpg.Pool, replay: Replay, skus: list[uuid.UUID]
) -> dict[str, str]:
    """Per scenario, the replayed placement as a pgbench script: a random SKU of the
    numbered ones, or the hot SKU (``bench/_setup.py``'s ``scenarios``)."""
    many = [f"\\set k random({NUMBERED}, {NUMBERED + len(skus) - 1})"]
    numbered = "E'00000000-0000-4000-8000-' || :k"
    async with pool.acquire() as conn:
        first, second = scenarios(skus, 1)
        return {
            first: await script(conn, replay, {skus[-1]: numbered}, many),
            second: await script(conn, replay, {skus[-1]: f"E'{skus[0]}'"}, []),
        }


def report(count: int, concurrency: int, results: dict[str, dict[str, Way]]) -> bool:
    print(f"order placements of one line, {count:,} a way, {concurrency} concurrent clients:")
    print("placements a second, and HTTP's rate over each baseline's:")
    for label, ways in results.items():
        rates = {name: way.rate for name, way in ways.items()}
        print(f"  {label}: " + ", ".join(f"{name} {rate:,.0f}" for name, rate in rates.items()))
        print(
            "    HTTP / "
            + ", ".join(f"{name} {rates['http'] / rates[name]:.2f}" for name in RATIOS)
            + f"; server CPU ms: API {ways['http'].cpu_ms().server:.1f}"
            f" / bare {ways['bare'].cpu_ms().server:.1f}"
        )
    print_cpu_budget(results)
    print("latency ms p50 / p95 / p99:")
    for label, ways in results.items():
        shown = "; ".join(
            f"{name} " + " / ".join(f"{way.percentile(q) or 0:.1f}" for q in (50, 95, 99))
            for name, way in ways.items()
            if way.latencies_ms
        )
        print(f"  {label}: {shown}")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average (1, 5, 15 min) at the end: {load} on {os.cpu_count()} cores")
    many = next(iter(results))  # P1 is the many-SKUs scenario (P2 the hot SKU's sale)
    ways = results[many]
    http = ways["http"]
    latency = {f"p{q}_ms": round(http.percentile(q) or 0, 1) for q in (50, 95, 99)}
    met = True
    for figure, baseline, goal in (("P1", "pgbench", GOAL), ("P1b", "bare", BARE_GOAL)):
        ratio = http.rate / ways[baseline].rate
        met = met and ratio >= goal
        detail = {
            **latency,
            "baseline_p50_ms": round(ways[baseline].percentile(50) or 0, 1),
            "baseline_p99_ms": round(ways[baseline].percentile(99) or 0, 1),
            "clients": concurrency,
            "cpu_ms": {way: budget(ways[way].cpu_ms()) for way in ("http", baseline)},
            "ceiling_ratio": round(ceiling(http) / ceiling(ways[baseline]), 3),
        }
        if baseline == "pgbench":  # the baseline before decision 107, for comparison
            detail["use_case_sql"] = {
                "baseline": round(ways[USE_CASE_SQL].rate, 1),
                "ratio": round(http.rate / ways[USE_CASE_SQL].rate, 3),
            }
        record(
            Figure(
                figure,
                f"HTTP order placement vs {BASELINES[baseline]}",
                round(http.rate, 1),
                "orders/s",
                round(ways[baseline].rate, 1),
                round(ratio, 3),
                f"ratio >= {goal:.2f}",
                ratio >= goal,
                detail,
            )
        )
    print(
        f"goal (HTTP at least {GOAL:.2f} of pgbench's rate and {BARE_GOAL:.2f} of the bare"
        f" handler's, many SKUs): {'met' if met else 'MISSED'}"
    )
    return met


RATIOS = ("pgbench", "bare", USE_CASE_SQL)


def print_cpu_budget(results: dict[str, dict[str, Way]]) -> None:
    """What each way's placement cost in CPU, by whom, and the rate that cost allows on
    this machine's cores with nothing else running: the ratio's ceiling (bench/README.md,
    "What limits the figures that miss")."""
    cores = os.cpu_count() or 1
    print(
        "CPU ms a placement: served process + PostgreSQL + this process (or pgbench) ="
        f" total -> at most /s on {cores} cores"
    )
    for label, ways in results.items():
        print(f"  {label}:")
        for name, way in ways.items():
            spent = way.cpu_ms()
            print(
                f"    {name:<22}{spent.server:>6.2f} + {spent.database:.2f} + {spent.client:.2f}"
                f" = {spent.total:.2f} -> {ceiling(way):,.0f}"
            )


def ceiling(way: Way) -> float:
    """Placements a second this way's CPU a placement allows on every core of the machine."""
    return (os.cpu_count() or 1) * 1000 / way.cpu_ms().total


def budget(spent: CpuSpent) -> dict[str, float]:
    return {part: round(ms, 2) for part, ms in asdict(spent).items()}


def main() -> Any:
    """For ``python -m bench``: 1,000 placements per run times ``BENCH_SCALE``."""
    return run(max(100, round(1000 * scale())), 8)


if __name__ == "__main__":
    use_uvloop()  # the loop the deployed processes run on (bootstrap/event_loop.py)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    raise SystemExit(0 if asyncio.run(run(args.orders, args.concurrency)) else 1)
