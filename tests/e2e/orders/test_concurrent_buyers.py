"""A 双11 burst on one SKU (ORD-1, INV-2, PLT-9): 500 buyers at once through the real app
and database, stock 100 → exactly 100 units sold, every other request a clean 409
problem+json naming the SKU, no 5xx; the stock figures and the orders agree."""

from __future__ import annotations

import asyncio

import httpx

from tests.conftest import TenantHandle
from tests.e2e.orders.support import (
    BASE,
    all_orders,
    available,
    order_body,
    sku_code,
    stocked_sku,
)
from tests.reliability.figures import figure

BUYERS = 500
STOCK = 100


async def test_500_concurrent_buyers_of_100_units_buy_exactly_100(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    sku = await stocked_sku(client, owner, STOCK, "9.90")
    code = sku_code(sku)
    start = asyncio.Event()

    async def buy() -> httpx.Response:
        await start.wait()
        return await client.post(BASE, json=order_body((sku, 1)), headers=owner)

    tasks = [asyncio.create_task(buy()) for _ in range(BUYERS)]
    start.set()
    responses = await asyncio.gather(*tasks)
    statuses = [r.status_code for r in responses]
    sold = statuses.count(201)
    figure("R1", "sold", sold, STOCK)
    figure("R1", "oversold", max(0, sold - STOCK), 0)
    figure("R1", "5xx", sum(s >= 500 for s in statuses), 0)
    assert not [s for s in statuses if s >= 500], sorted(set(statuses))
    assert statuses.count(201) == STOCK, sorted(set(statuses))
    assert statuses.count(409) == BUYERS - STOCK
    for refused in (r for r in responses if r.status_code == 409):
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["code"] == "order_out_of_stock"
        assert refused.json()["short"] == [{"skuId": sku, "skuCode": code}]
        assert code in refused.json()["title"]
    numbers = {r.json()["number"] for r in responses if r.status_code == 201}
    assert len(numbers) == STOCK  # every order its own number
    assert await available(client, owner, sku) == 0
    stock = await client.get("/api/v1/inventory/stock", params={"skuId": sku}, headers=owner)
    (level,) = stock.json()["items"]
    figure("R1", "reserved beyond stock", max(0, level["figures"]["reserved"] - STOCK), 0)
    assert level["figures"]["onHand"] == STOCK and level["figures"]["reserved"] == STOCK
    orders = await all_orders(client, owner)
    assert len(orders) == STOCK and all(o["reserved"] == {sku: 1} for o in orders)
