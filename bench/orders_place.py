"""Order placements per second (ORD-1, PLT-9): through HTTP with the full pipeline (token,
permission, idempotency key, pricing, number, reservation through inventory's port, the
order's rows, audit, outbox, commit) on the server as deployed (``shopkeeper serve`` in a
process of its own, driven by a light keep-alive client: ``bench/_served_api.py``) and
through the use case in this process, beside the same transaction's SQL run directly on
asyncpg — the statements one placement through the use case sent, captured and replayed
with fresh ids (``bench/_replay.py``) — at the same client count; for many SKUs and for
one hot SKU, printed side by side with the server's CPU a placement. Goal: HTTP reaches
at least 0.4 of the raw rate.

    .tools/bin/uv run --frozen python -m bench.orders_place [--orders N] [--concurrency C]

Creates its own migrated database on the local PostgreSQL and drops it at the end; the
server's Redis keys live under a prefix of the run's own, deleted at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import uuid
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import asyncpg

from application.orders.placing import NewLine, NewOrder, PlaceOrder
from bench._replay import Replay, capturing
from bench._served_api import KeepAliveClient, served_api
from bench._setup import PASSWORD, bench_tenant, scenarios, seed_stocked_skus
from bench.inventory_reserve import rate
from domain.orders.values import Receiver, ShippingAddress

GOAL = 0.4
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


async def run(count: int, concurrency: int) -> bool:
    results: dict[str, tuple[float, float, float]] = {}
    server_cpu: dict[str, float] = {}
    async with bench_tenant("orders", uses_redis=True) as bench:
        container, call = bench.container, bench.ctx
        skus = await seed_stocked_skus(bench, SKUS, OPENING, Decimal("99.00"))
        receiver = Receiver(
            "张三", "13800001234", ShippingAddress("浙江省", "杭州市", "西湖区", "文三路 1 号")
        )

        def new_order(sku: uuid.UUID) -> PlaceOrder:
            return PlaceOrder(NewOrder((NewLine(sku, 1),), receiver))

        # The raw side: one placement's statements as the use case sends them, captured.
        await container.use_cases.run(call, new_order(skus[-1]))  # the number block
        with capturing(container.ids) as (sent, generated):
            placed = await container.use_cases.run(call, new_order(skus[-1]))
        replay = Replay.of(sent, generated, container.ids, (placed.number.value,))
        print(f"raw SQL: the use case's {len(replay.statements)} statements, replayed")
        pool = await asyncpg.create_pool(bench.app_url, min_size=concurrency, max_size=concurrency)
        try:
            async with served_api(container.settings) as api:
                login = await KeepAliveClient.open(api.port)
                status, body = await login.request(
                    "POST",
                    "/api/v1/auth/login",
                    {"tenant": bench.slug, "email": bench.owner_email, "password": PASSWORD},
                )
                await login.close()
                assert status == 200, body
                headers = {"Authorization": f"Bearer {json.loads(body)['accessToken']}"}
                for label, picks in scenarios(skus, count).items():

                    async def over_http(n: int, picks: list[uuid.UUID] = picks) -> float:
                        # connections opened for the run (the server closes idle ones)
                        idle = [await KeepAliveClient.open(api.port) for _ in range(concurrency)]

                        async def place(i: int) -> None:
                            client = idle.pop()
                            try:
                                status, answer = await client.request(
                                    "POST",
                                    "/api/v1/orders",
                                    {
                                        "lines": [{"skuId": str(picks[i]), "quantity": 1}],
                                        "receiver": RECEIVER,
                                    },
                                    {**headers, "Idempotency-Key": uuid.uuid4().hex},
                                )
                            finally:
                                idle.append(client)
                            assert status == 201, answer

                        try:
                            return await rate(n, concurrency, place)
                        finally:
                            for client in idle:
                                await client.close()

                    async def through_use_case(i: int, picks: list[uuid.UUID] = picks) -> None:
                        await container.use_cases.run(call, new_order(picks[i]))

                    def picked(
                        i: int, picks: list[uuid.UUID] = picks
                    ) -> dict[uuid.UUID, uuid.UUID]:
                        return {skus[-1]: picks[i]}

                    async def raw(i: int, picked: Callable[[int], Any] = picked) -> None:
                        async with pool.acquire() as conn:
                            await replay.send(conn, picked(i))

                    warm = max(20, count // 20)
                    await over_http(warm)
                    await rate(warm, concurrency, through_use_case)
                    await rate(warm, concurrency, raw)
                    # The three ways take turns, in ROUNDS rounds each in another order, so
                    # a shared machine's load swings fall on all three alike.
                    each = max(1, count // ROUNDS)
                    ways: dict[str, Callable[[int], Awaitable[Any]]] = {
                        "http": over_http,
                        "use case": through_use_case,
                        "raw": raw,
                    }
                    took = dict.fromkeys(ways, 0.0)
                    cpu = 0.0
                    for turn in range(ROUNDS):
                        for way in [*ways][turn:] + [*ways][:turn]:
                            if way == "http":
                                before = api.cpu_seconds()
                                took[way] += each / await over_http(each)
                                cpu += api.cpu_seconds() - before
                            else:
                                took[way] += each / await rate(each, concurrency, ways[way])
                    done = each * ROUNDS
                    server_cpu[label] = cpu / done * 1000
                    http, use_case, by_raw = (done / took[way] for way in ways)
                    results[label] = (http, use_case, by_raw)
        finally:
            await pool.close()
    return report(count, concurrency, results, server_cpu)


def report(
    count: int,
    concurrency: int,
    results: dict[str, tuple[float, float, float]],
    server_cpu: dict[str, float],
) -> bool:
    print(f"order placements of one line, {count:,} per run, {concurrency} concurrent clients:")
    print(
        f"{'scenario':<22}{'HTTP /s':>10}{'use case /s':>13}{'raw SQL /s':>12}{'HTTP/raw':>10}"
        f"{'server CPU ms':>15}"
    )
    met = True
    for label, (http, use_case, raw) in results.items():
        ratio = http / raw
        met = met and ratio >= GOAL
        print(
            f"{label:<22}{http:>10,.0f}{use_case:>13,.0f}{raw:>12,.0f}{ratio:>10.2f}"
            f"{server_cpu[label]:>15.1f}"
        )
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average (1, 5, 15 min) at the end: {load} on {os.cpu_count()} cores")
    print(f"goal (HTTP at least {GOAL:.2f} of raw SQL's rate): {'met' if met else 'MISSED'}")
    return met


def main() -> Any:
    """For ``python -m bench``: 1,000 placements per run times ``BENCH_SCALE``."""
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    return run(max(100, round(1000 * scale)), 8)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    raise SystemExit(0 if asyncio.run(run(args.orders, args.concurrency)) else 1)
