"""Assigning a warehouse moves the order's reservation there in the same transaction
(ORD-8, INV-2): by hand — one order or in bulk — all lines or a 409 naming the SKUs short
with nothing changed; by a rule, or the stock stays where it was and the timeline says why."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.conftest import TenantHandle
from tests.e2e.orders.support import BASE, order_body, sku_code, stocked_sku


async def _warehouse(client: httpx.AsyncClient, owner: dict[str, str], name: str) -> str:
    made = await client.post(
        "/api/v1/inventory/warehouses",
        json={"code": f"W-{uuid.uuid4().hex[:6]}", "name": name},
        headers=owner,
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def _receive(
    client: httpx.AsyncClient, owner: dict[str, str], sku: str, warehouse: str, units: int
) -> None:
    receipt = {"skuId": sku, "warehouseId": warehouse, "quantity": units}
    done = await client.post("/api/v1/inventory/receipts", json=receipt, headers=owner)
    assert done.status_code == 201, done.text


async def _levels(
    client: httpx.AsyncClient, owner: dict[str, str], sku: str
) -> dict[str, dict[str, int]]:
    """Per warehouse: on hand, reserved and available."""
    response = await client.get("/api/v1/inventory/stock", params={"skuId": sku}, headers=owner)
    assert response.status_code == 200, response.text
    return {
        level["warehouseId"]: {k: level["figures"][k] for k in ("onHand", "reserved", "available")}
        for level in response.json()["items"]
    }


async def _place(client: httpx.AsyncClient, owner: dict[str, str], *lines: Any) -> Any:
    placed = await client.post(BASE, json=order_body(*lines), headers=owner)
    assert placed.status_code == 201, placed.text
    return placed


async def test_ord8_assigning_a_warehouse_by_hand_moves_the_reservation_or_refuses_whole(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = {**await tenant.headers("owner"), "Accept-Language": "en"}
    hangzhou = await _warehouse(client, owner, "杭州仓")
    beijing = await _warehouse(client, owner, "北京仓")
    shirt = await stocked_sku(client, owner, 10, "20.00", warehouse=hangzhou)
    cap = await stocked_sku(client, owner, 10, "5.00", warehouse=hangzhou)
    placed = await _place(client, owner, (shirt, 2), (cap, 1))
    await _receive(client, owner, shirt, beijing, 5)
    order = placed.json()
    url = f"{BASE}/{order['id']}/warehouse"
    before = {shirt: await _levels(client, owner, shirt), cap: await _levels(client, owner, cap)}
    assert before[shirt][hangzhou]["reserved"] == 2 and before[cap][hangzhou]["reserved"] == 1

    short = await client.post(
        url, json={"warehouseId": beijing}, headers={**owner, "If-Match": placed.headers["etag"]}
    )
    assert short.status_code == 409, short.text
    assert short.json()["code"] == "order_out_of_stock"
    assert short.json()["short"] == [{"skuId": cap, "skuCode": sku_code(cap)}]
    assert sku_code(cap) in short.json()["title"] and sku_code(shirt) not in short.json()["title"]
    unchanged = (await client.get(f"{BASE}/{order['id']}", headers=owner)).json()
    assert unchanged["version"] == order["version"] and unchanged["warehouseId"] is None
    assert {shirt: await _levels(client, owner, shirt), cap: await _levels(client, owner, cap)} == (
        before
    )

    await _receive(client, owner, cap, beijing, 1)
    moved = await client.post(
        url,
        json={"warehouseId": beijing, "reason": "北方客户"},
        headers={**owner, "If-Match": placed.headers["etag"]},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["warehouseId"] == beijing
    assert {line["warehouseId"] for line in moved.json()["lines"]} == {beijing}
    shirts, caps = await _levels(client, owner, shirt), await _levels(client, owner, cap)
    assert shirts[hangzhou]["reserved"] == 0 and shirts[hangzhou]["available"] == 10
    assert shirts[beijing]["reserved"] == 2 and shirts[beijing]["available"] == 3
    assert caps[hangzhou]["reserved"] == 0 and caps[beijing]["reserved"] == 1
    assert caps[beijing]["available"] == 0
    # cancelling gives back the stock where it now is
    cancelled = await client.post(
        f"{BASE}/{order['id']}/cancel",
        json={"reason": "不要了"},
        headers={**owner, "If-Match": moved.headers["etag"]},
    )
    assert cancelled.status_code == 200, cancelled.text
    assert (await _levels(client, owner, shirt))[beijing] == {
        "onHand": 5,
        "reserved": 0,
        "available": 5,
    }


async def test_ord8_bulk_assignment_moves_each_orders_stock_with_a_result_per_order(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = {**await tenant.headers("owner"), "Accept-Language": "en"}
    hangzhou = await _warehouse(client, owner, "杭州仓")
    beijing = await _warehouse(client, owner, "北京仓")
    sku = await stocked_sku(client, owner, 10, "10.00", warehouse=hangzhou)
    first = (await _place(client, owner, (sku, 3))).json()
    second = (await _place(client, owner, (sku, 1))).json()
    await _receive(client, owner, sku, beijing, 3)
    assigned = await client.post(
        f"{BASE}/bulk",
        json={
            "action": "assign_warehouse",
            "orderIds": [first["id"], second["id"]],
            "warehouseId": beijing,
        },
        headers=owner,
    )
    assert assigned.status_code == 200, assigned.text
    results = {r["orderId"]: r for r in assigned.json()}
    assert results[first["id"]]["done"]
    assert not results[second["id"]]["done"]  # Beijing's 3 went to the first
    assert results[second["id"]]["code"] == "order_out_of_stock"
    levels = await _levels(client, owner, sku)
    assert levels[beijing]["reserved"] == 3 and levels[hangzhou]["reserved"] == 1
    left = (await client.get(f"{BASE}/{second['id']}", headers=owner)).json()
    assert left["warehouseId"] is None and left["version"] == second["version"]


async def test_ord8_a_rules_warehouse_moves_the_stock_when_it_can_else_says_why(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    hangzhou = await _warehouse(client, owner, "杭州仓")
    beijing = await _warehouse(client, owner, "北京仓")
    sku = await stocked_sku(client, owner, 10, "10.00", warehouse=hangzhou)
    rules = [
        {
            "id": "north",
            "name": "北方仓",
            "priority": 10,
            "conditions": [],
            "actions": [{"kind": "assign_warehouse", "warehouse_id": beijing}],
        }
    ]
    saved = await client.put(
        f"{BASE}/rules", json={"rules": rules}, headers={**owner, "If-Match": '"v0"'}
    )
    assert saved.status_code == 200, saved.text
    fits = (await _place(client, owner, (sku, 2))).json()
    too_many = (await _place(client, owner, (sku, 3))).json()
    assert (await _levels(client, owner, sku))[hangzhou]["reserved"] == 5  # before payment
    await _receive(client, owner, sku, beijing, 2)
    for order, amount in ((fits, "20.00"), (too_many, "30.00")):
        paid = await client.post(
            f"{BASE}/{order['id']}/payments",
            json={"method": "cash", "amount": amount},
            headers=owner,
        )
        assert paid.status_code == 201, paid.text
        assert paid.json()["warehouseId"] == beijing
    levels = await _levels(client, owner, sku)
    assert levels[beijing]["reserved"] == 2 and levels[hangzhou]["reserved"] == 3
    timeline = (await client.get(f"{BASE}/{too_many['id']}/timeline", headers=owner)).json()
    kept = next(e for e in timeline if e["kind"] == "stock_not_moved")
    assert kept["rule"] == "north@v1"
    assert kept["detail"] == {"skus": sku_code(sku), "sku_ids": sku}
    moved = (await client.get(f"{BASE}/{fits['id']}/timeline", headers=owner)).json()
    assert "stock_not_moved" not in [e["kind"] for e in moved]
