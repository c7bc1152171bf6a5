"""Helpers of the orders e2e tests: a SKU with a list price, a warehouse holding its stock,
a channel, an order body, and warehouses with their stock levels."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

BASE = "/api/v1/orders"
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

_CODES: dict[str, str] = {}


async def stocked_sku(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    stock: int,
    price: str = "99.00",
    warehouse: str | None = None,
) -> str:
    code = f"O-{uuid.uuid4().hex[:8]}"
    body = {
        "code": code,
        "name": f"商品 {code}",
        "skus": [{"code": f"{code}-A", "listPrice": price}],
    }
    response = await client.post("/api/v1/catalog/products", json=body, headers=headers)
    assert response.status_code == 201, response.text
    sku = str(response.json()["skus"][0]["id"])
    _CODES[sku] = f"{code}-A"
    if warehouse is None:
        made = await client.post(
            "/api/v1/inventory/warehouses",
            json={"code": f"W-{uuid.uuid4().hex[:6]}", "name": "杭州仓"},
            headers=headers,
        )
        assert made.status_code == 201, made.text
        warehouse = str(made.json()["id"])
    if stock:
        receipt = {"skuId": sku, "warehouseId": warehouse, "quantity": stock}
        done = await client.post("/api/v1/inventory/receipts", json=receipt, headers=headers)
        assert done.status_code == 201, done.text
    return sku


def sku_code(sku: str) -> str:
    """The code ``stocked_sku`` gave the SKU (what a merchant reads in a message)."""
    return _CODES[sku]


async def channel(client: httpx.AsyncClient, headers: dict[str, str], code: str = "tmall") -> str:
    response = await client.post(
        "/api/v1/catalog/channels",
        json={"code": code, "name": f"渠道 {code}", "kind": "marketplace", "platform": "tmall"},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def order_body(*lines: tuple[str, int], **extra: Any) -> dict[str, Any]:
    return {
        "lines": [{"skuId": sku, "quantity": quantity} for sku, quantity in lines],
        "receiver": RECEIVER,
        **extra,
    }


async def available(client: httpx.AsyncClient, headers: dict[str, str], sku: str) -> int:
    response = await client.get("/api/v1/inventory/stock", params={"skuId": sku}, headers=headers)
    assert response.status_code == 200, response.text
    return sum(level["figures"]["available"] for level in response.json()["items"])


async def all_orders(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    """Every order of the tenant, page after page."""
    orders: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {"limit": 200, **({"cursor": cursor} if cursor else {})}
        response = await client.get(BASE, params=params, headers=headers)
        assert response.status_code == 200, response.text
        orders += response.json()["items"]
        cursor = response.json()["nextCursor"]
        if not cursor:
            return orders


async def warehouse(client: httpx.AsyncClient, owner: dict[str, str], name: str) -> str:
    made = await client.post(
        "/api/v1/inventory/warehouses",
        json={"code": f"W-{uuid.uuid4().hex[:6]}", "name": name},
        headers=owner,
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def receive(
    client: httpx.AsyncClient, owner: dict[str, str], sku: str, warehouse: str, units: int
) -> None:
    receipt = {"skuId": sku, "warehouseId": warehouse, "quantity": units}
    done = await client.post("/api/v1/inventory/receipts", json=receipt, headers=owner)
    assert done.status_code == 201, done.text


async def levels(
    client: httpx.AsyncClient, owner: dict[str, str], sku: str
) -> dict[str, dict[str, int]]:
    """The SKU's stock per warehouse: on hand, reserved and available."""
    response = await client.get("/api/v1/inventory/stock", params={"skuId": sku}, headers=owner)
    assert response.status_code == 200, response.text
    return {
        level["warehouseId"]: {k: level["figures"][k] for k in ("onHand", "reserved", "available")}
        for level in response.json()["items"]
    }


async def two_warehouses(client: httpx.AsyncClient, owner: dict[str, str]) -> tuple[str, str]:
    """Two new warehouses of the tenant: Hangzhou, then Beijing."""
    return await warehouse(client, owner, "杭州仓"), await warehouse(client, owner, "北京仓")
