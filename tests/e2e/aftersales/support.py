"""Helpers of the after-sales e2e tests: a paid order, a returns warehouse, a case moved
along its flow, the stock of a SKU in a warehouse."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.e2e.orders.support import BASE as ORDERS
from tests.e2e.orders.support import order_body, stocked_sku

BASE = "/api/v1/aftersales/cases"


async def paid_order(
    client: httpx.AsyncClient, headers: dict[str, str], *lines: tuple[int, str]
) -> dict[str, Any]:
    """An own-API order of a new stocked SKU per (quantity, price), paid in full in cash
    (it then waits for review): the order as answered."""
    skus = [await stocked_sku(client, headers, quantity + 5, price) for quantity, price in lines]
    body = order_body(*((sku, quantity) for sku, (quantity, _) in zip(skus, lines, strict=True)))
    placed = await client.post(ORDERS, json=body, headers=headers)
    assert placed.status_code == 201, placed.text
    order = placed.json()
    payment = {"method": "cash", "amount": order["total"]}
    paid = await client.post(f"{ORDERS}/{order['id']}/payments", json=payment, headers=headers)
    assert paid.status_code == 201, paid.text
    assert paid.json()["status"] == "awaiting_review"
    return dict(paid.json())


async def returns_warehouse(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    body = {"code": f"RT-{uuid.uuid4().hex[:6]}", "name": "退货仓", "kind": "returns"}
    made = await client.post("/api/v1/inventory/warehouses", json=body, headers=headers)
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def open_case(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    order: dict[str, Any],
    kind: str,
    *lines: tuple[int, int],
    **extra: Any,
) -> dict[str, Any]:
    """A case of ``kind`` on ``order`` naming (line index, units)."""
    body = {
        "orderId": order["id"],
        "kind": kind,
        "reason": "quality_issue",
        "lines": [{"orderLineId": order["lines"][i]["id"], "quantity": n} for i, n in lines],
        **extra,
    }
    opened = await client.post(BASE, json=body, headers=headers)
    assert opened.status_code == 201, opened.text
    return dict(opened.json())


async def step(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    case: dict[str, Any],
    action: str,
    body: dict[str, Any] | None = None,
    status: int = 200,
) -> dict[str, Any]:
    """POST ``…/{id}/{action}`` at the case's version; answers the body."""
    answer = await client.post(
        f"{BASE}/{case['id']}/{action}",
        json=body or {},
        headers={**headers, "If-Match": f'"v{case["version"]}"'},
    )
    assert answer.status_code == status, answer.text
    return dict(answer.json())


async def figures(
    client: httpx.AsyncClient, headers: dict[str, str], sku: str, warehouse: str
) -> dict[str, int]:
    response = await client.get(
        "/api/v1/inventory/stock", params={"skuId": sku, "warehouseId": warehouse}, headers=headers
    )
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    return dict(items[0]["figures"]) if items else {}


async def order_of(
    client: httpx.AsyncClient, headers: dict[str, str], order_id: str
) -> dict[str, Any]:
    response = await client.get(f"{ORDERS}/{order_id}", headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())
