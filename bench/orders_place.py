"""Order placements per second (ORD-1, PLT-9): through HTTP with the full pipeline (token,
permission, idempotency key, pricing, number, reservation through inventory's port, the
order's rows, audit, outbox, commit) and through the use case, beside the same
transaction's SQL run directly on asyncpg, statement for statement as the adapters send it
(tenant, pricing, the warehouses with the channel supply, the conditional update with its
ledger row, the reservation with its line, the order's rows, audit records with outbox
events, commit), at the same client count; for many SKUs and
for one hot SKU, printed side by side. Goal: HTTP reaches at least 0.4 of the raw rate.

    .tools/bin/uv run --frozen python -m bench.orders_place [--orders N] [--concurrency C]

Creates its own migrated database on the local PostgreSQL and drops it at the end; uses
Redis only under a key prefix of its own (the HTTP app's limiter), deleted at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import uuid
from decimal import Decimal
from typing import Any, cast

import asyncpg
import httpx

from application.orders.placing import NewLine, NewOrder, PlaceOrder
from bench._setup import PASSWORD, bench_tenant, scenarios, seed_stocked_skus
from bench.inventory_reserve import MOVE, RESERVATION, rate
from domain.orders.values import Receiver, ShippingAddress

GOAL = 0.4
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

# What the adapters send, written out by hand for the raw side (one line, no channel).
PRICES = """
SELECT s.list_price, (SELECT currency FROM tenants WHERE id = $1) AS currency, active.ids
FROM skus s, LATERAL (
    SELECT array_agg(p.id) AS ids, array_agg(p.amount) AS amounts FROM promotions p
    WHERE p.tenant_id = s.tenant_id AND p.sku_id = s.id AND p.starts_at <= now()
      AND (p.ends_at IS NULL OR p.ends_at > now()) AND p.channel_id IS NULL
) AS active
WHERE s.tenant_id = $1 AND s.id = $2
"""
WAREHOUSES = """
SELECT id, code, priority,
       (SELECT json_agg(channel_id) FROM channel_supply WHERE tenant_id = $1) AS supplies
FROM warehouses WHERE tenant_id = $1 AND closed_at IS NULL ORDER BY priority, code
"""
ORDER = """
WITH new_order AS (
    INSERT INTO orders (tenant_id, id, number, source, currency, status, receiver_enc,
                        receiver_bidx, phone_bidx, total, reserved, reservation_ids,
                        placed_at, version, created_at, updated_at)
    VALUES ($1, $2, $3, 'api', 'CNY', 'pending_payment', $4, $5, $6, $7,
            jsonb_build_object($8::text, 1), ARRAY[$9::uuid], now(), 1, now(), now())
), new_lines AS (
    INSERT INTO order_lines (tenant_id, order_id, id, position, sku_id, quantity, unit_price)
    VALUES ($1, $2, $10, 0, $11, 1, $7)
)
INSERT INTO order_timeline (tenant_id, order_id, seq, at, actor, kind, to_status)
VALUES ($1, $2, 1, now(), 'bench', 'created', 'pending_payment')
"""
AUDIT_AND_EVENTS = """
WITH audited AS (
    INSERT INTO audit_log (tenant_id, id, actor, action, entity_type, entity_id, outcome,
                           changes, detail, request_id)
    SELECT $1, v.id, 'bench', v.action, v.entity, v.entity_id, 'success', '[]', '{}', ''
    FROM unnest($2::uuid[], $3::text[], $4::text[], $5::uuid[]) AS v(id, action, entity, entity_id)
)
INSERT INTO outbox (tenant_id, id, event_type, entity_type, entity_id, data, request_id)
SELECT $1, v.id, v.event_type, v.entity, v.entity_id, '{}', ''
FROM unnest($6::uuid[], $7::text[], $4::text[], $5::uuid[]) AS v(id, event_type, entity, entity_id)
"""


async def run(count: int, concurrency: int) -> bool:
    from entrypoints.http.app import create_app

    results: dict[str, tuple[float, float, float]] = {}
    async with bench_tenant("orders", uses_redis=True) as bench:
        container, call, warehouse = bench.container, bench.ctx, bench.warehouses[0]
        skus = await seed_stocked_skus(bench, SKUS, OPENING, Decimal("99.00"))
        pool = await asyncpg.create_pool(bench.app_url, min_size=concurrency, max_size=concurrency)
        transport = httpx.ASGITransport(
            app=cast(Any, create_app(container)), client=("10.0.0.1", 1)
        )
        client = httpx.AsyncClient(transport=transport, base_url="http://bench")
        try:
            login = await client.post(
                "/api/v1/auth/login",
                json={"tenant": bench.slug, "email": bench.owner_email, "password": PASSWORD},
            )
            token = login.json()["accessToken"]
            receiver = Receiver(
                "张三",
                "13800001234",
                ShippingAddress("浙江省", "杭州市", "西湖区", "文三路 1 号"),
            )
            for label, picks in scenarios(skus, count).items():

                async def over_http(i: int, picks: list[uuid.UUID] = picks) -> None:
                    body = {
                        "lines": [{"skuId": str(picks[i]), "quantity": 1}],
                        "receiver": RECEIVER,
                    }
                    headers = {
                        "Authorization": f"Bearer {token}",
                        "Idempotency-Key": uuid.uuid4().hex,
                    }
                    response = await client.post("/api/v1/orders", json=body, headers=headers)
                    assert response.status_code == 201, response.text

                async def through_use_case(i: int, picks: list[uuid.UUID] = picks) -> None:
                    order = NewOrder((NewLine(picks[i], 1),), receiver)
                    await container.use_cases.run(call, PlaceOrder(order))

                async def raw(i: int, picks: list[uuid.UUID] = picks) -> None:
                    sku, order, reservation = picks[i], uuid.uuid4(), uuid.uuid4()
                    t = bench.tenant_id
                    async with pool.acquire() as conn, conn.transaction():
                        await conn.execute("SELECT set_config('app.tenant_id', $1, true)", str(t))
                        price = await conn.fetchrow(PRICES, t, sku)
                        assert price is not None
                        await conn.fetch(WAREHOUSES, t)
                        moved = await conn.fetchrow(MOVE, t, sku, warehouse, 1, reservation)
                        assert moved is not None
                        await conn.execute(
                            RESERVATION, t, reservation, "order", order, sku, warehouse
                        )
                        await conn.execute(
                            ORDER,
                            t,
                            order,
                            f"SO{i:012d}{uuid.uuid4().hex[:6].upper()}",
                            os.urandom(96),
                            os.urandom(32),
                            os.urandom(32),
                            price["list_price"],
                            str(sku),
                            reservation,
                            uuid.uuid4(),
                            sku,
                        )
                        await conn.execute(
                            AUDIT_AND_EVENTS,
                            t,
                            [uuid.uuid4(), uuid.uuid4()],
                            ["reservation.create", "order.create"],
                            ["reservation", "order"],
                            [reservation, order],
                            [uuid.uuid4(), uuid.uuid4()],
                            ["inventory.reservation_created", "order.created"],
                        )

                warm = max(20, count // 20)
                await rate(warm, concurrency, over_http)
                await rate(warm, concurrency, through_use_case)
                await rate(warm, concurrency, raw)
                results[label] = (
                    await rate(count, concurrency, over_http),
                    await rate(count, concurrency, through_use_case),
                    await rate(count, concurrency, raw),
                )
        finally:
            await client.aclose()
            await pool.close()
    return report(count, concurrency, results)


def report(count: int, concurrency: int, results: dict[str, tuple[float, float, float]]) -> bool:
    print(f"order placements of one line, {count:,} per run, {concurrency} concurrent clients:")
    print(f"{'scenario':<22}{'HTTP /s':>10}{'use case /s':>13}{'raw SQL /s':>12}{'HTTP/raw':>10}")
    met = True
    for label, (http, use_case, raw) in results.items():
        ratio = http / raw
        met = met and ratio >= GOAL
        print(f"{label:<22}{http:>10,.0f}{use_case:>13,.0f}{raw:>12,.0f}{ratio:>10.2f}")
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
