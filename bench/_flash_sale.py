"""P2: a flash sale of one hot SKU over HTTP — ``count`` buyers for half as many units,
``concurrency`` at a time, on the served API — beside the single-row SQL ceiling: pgbench
sending only the conditional stock update of one row (the statement every sale of that SKU
must wait its turn for) at the same client count, as the superuser, on a row with stock
to spare. Oversold must be 0: units sold (201s, orders in the database, the level's
reserved units) never beyond the stock, and every refusal a 409.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

import asyncpg

from bench._figures import Figure, record
from bench._pgbench import pgbench
from bench._served_api import KeepAliveClient, drive
from bench._setup import NUMBERED, BenchTenant, seed_stocked_skus

GOAL = 0.8
CEILING_STOCK = 100_000_000


async def flash_sale(
    bench: BenchTenant, port: int, headers: dict[str, str], count: int, concurrency: int
) -> bool:
    stock = max(concurrency, count // 2)
    sale, spare = (uuid.UUID(f"00000000-0000-4000-9000-{NUMBERED + i}") for i in range(2))
    await seed_stocked_skus(bench, 1, stock, Decimal("9.90"), [sale])
    await seed_stocked_skus(bench, 1, CEILING_STOCK, Decimal("9.90"), [spare])
    body = {
        "lines": [{"skuId": str(sale), "quantity": 1}],
        "receiver": {
            "name": "李四",
            "phone": "13900001234",
            "address": {
                "province": "上海市",
                "city": "上海市",
                "district": "浦东新区",
                "line": "世纪大道 1 号",
            },
        },
    }

    def buy(client: KeepAliveClient, i: int) -> object:
        return client.request(
            "POST", "/api/v1/orders", body, {**headers, "Idempotency-Key": uuid.uuid4().hex}
        )

    sold = await drive(port, count, concurrency, buy)  # type: ignore[arg-type]
    ceiling_sql = (
        "UPDATE stock_levels SET reserved = reserved + 1, updated_at = now()"
        f" WHERE tenant_id = '{bench.tenant_id}' AND sku_id = '{spare}'"
        f" AND warehouse_id = '{bench.warehouses[0]}' AND batch_id IS NULL"
        " AND 1 <= on_hand - reserved - pick_locked;\n"
    )
    ceiling = await pgbench(bench.admin_url, ceiling_sql, concurrency, count)
    conn = await asyncpg.connect(bench.admin_url)
    try:
        orders, reserved = await conn.fetchrow(
            "SELECT (SELECT count(*) FROM order_lines WHERE tenant_id = $1 AND sku_id = $2),"
            " (SELECT sum(reserved) FROM stock_levels WHERE tenant_id = $1 AND sku_id = $2)",
            bench.tenant_id,
            sale,
        )
    finally:
        await conn.close()
    oversold = max(sold.statuses[201], orders, reserved) - stock
    other = count - sold.statuses[201] - sold.statuses[409]
    ratio = sold.rate / ceiling.rate
    print(
        f"P2 flash sale: {count:,} buyers ({concurrency} at a time) for {stock:,} units:"
        f" sold {sold.statuses[201]:,}, refused 409 {sold.statuses[409]:,}, other {other},"
        f" orders {orders:,}, reserved {reserved:,}; {sold.rate:,.0f} answers/s, p50 / p95 /"
        f" p99 {sold.percentile(50):.1f} / {sold.percentile(95):.1f} /"
        f" {sold.percentile(99):.1f} ms; single-row UPDATE ceiling {ceiling.rate:,.0f} /s"
    )
    met = ratio >= GOAL and oversold <= 0 and other == 0
    record(
        Figure(
            "P2",
            "flash sale of one hot SKU over HTTP vs the single-row UPDATE ceiling (pgbench)",
            round(sold.rate, 1),
            "buyers answered/s",
            round(ceiling.rate, 1),
            round(ratio, 3),
            f"ratio >= {GOAL:.2f}, oversold 0",
            met,
            {
                "oversold": max(0, oversold),
                "stock": stock,
                "sold": sold.statuses[201],
                "refused_409": sold.statuses[409],
                "other_answers": other,
                "p50_ms": round(sold.percentile(50), 1),
                "p95_ms": round(sold.percentile(95), 1),
                "p99_ms": round(sold.percentile(99), 1),
            },
        )
    )
    return met
