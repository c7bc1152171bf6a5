"""Assigning a warehouse moves the order's reservation there in the same transaction
(ORD-8, INV-2): by hand — one order or in bulk — all lines or a 409 naming the SKUs short
with nothing changed; by a rule, or the stock stays where it was and the timeline says why."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import TenantHandle
from tests.e2e.orders.support import (
    BASE,
    levels,
    order_body,
    receive,
    sku_code,
    stocked_sku,
    two_warehouses,
)


async def _place(client: httpx.AsyncClient, owner: dict[str, str], *lines: Any) -> Any:
    placed = await client.post(BASE, json=order_body(*lines), headers=owner)
    assert placed.status_code == 201, placed.text
    return placed


async def test_ord8_assigning_a_warehouse_by_hand_moves_the_reservation_or_refuses_whole(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = {**await tenant.headers("owner"), "Accept-Language": "en"}
    hangzhou, beijing = await two_warehouses(client, owner)
    shirt = await stocked_sku(client, owner, 10, "20.00", warehouse=hangzhou)
    cap = await stocked_sku(client, owner, 10, "5.00", warehouse=hangzhou)
    placed = await _place(client, owner, (shirt, 2), (cap, 1))
    await receive(client, owner, shirt, beijing, 5)
    order = placed.json()
    url = f"{BASE}/{order['id']}/warehouse"
    before = {shirt: await levels(client, owner, shirt), cap: await levels(client, owner, cap)}
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
    assert {shirt: await levels(client, owner, shirt), cap: await levels(client, owner, cap)} == (
        before
    )

    await receive(client, owner, cap, beijing, 1)
    moved = await client.post(
        url,
        json={"warehouseId": beijing, "reason": "北方客户"},
        headers={**owner, "If-Match": placed.headers["etag"]},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["warehouseId"] == beijing
    assert {line["warehouseId"] for line in moved.json()["lines"]} == {beijing}
    shirts, caps = await levels(client, owner, shirt), await levels(client, owner, cap)
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
    assert (await levels(client, owner, shirt))[beijing] == {
        "onHand": 5,
        "reserved": 0,
        "available": 5,
    }


async def test_ord8_bulk_assignment_moves_each_orders_stock_with_a_result_per_order(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = {**await tenant.headers("owner"), "Accept-Language": "en"}
    hangzhou, beijing = await two_warehouses(client, owner)
    sku = await stocked_sku(client, owner, 10, "10.00", warehouse=hangzhou)
    first = (await _place(client, owner, (sku, 3))).json()
    second = (await _place(client, owner, (sku, 1))).json()
    await receive(client, owner, sku, beijing, 3)
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
    found = await levels(client, owner, sku)
    assert found[beijing]["reserved"] == 3 and found[hangzhou]["reserved"] == 1
    left = (await client.get(f"{BASE}/{second['id']}", headers=owner)).json()
    assert left["warehouseId"] is None and left["version"] == second["version"]


async def _ten_in_hangzhou(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> tuple[dict[str, str], str, str, str]:
    """The owner's headers, Hangzhou and Beijing, and a SKU with ten units in Hangzhou."""
    owner = await tenant.headers("owner")
    hangzhou, beijing = await two_warehouses(client, owner)
    return owner, hangzhou, beijing, await stocked_sku(client, owner, 10, "10.00", hangzhou)


async def _ship_north(client: httpx.AsyncClient, owner: dict[str, str], beijing: str) -> None:
    """The tenant's first rule set: rule ``north`` assigns every order to Beijing."""
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


async def _kept_and_moved(
    client: httpx.AsyncClient, owner: dict[str, str], kept: str, moved: str, sku: str
) -> None:
    """Order ``kept``'s timeline names the rule and the SKU its stock stayed for; ``moved``'s
    has no such entry."""
    timeline = (await client.get(f"{BASE}/{kept}/timeline", headers=owner)).json()
    entry = next(e for e in timeline if e["kind"] == "stock_not_moved")
    assert entry["rule"] == "north@v1"
    assert entry["detail"] == {"skus": sku_code(sku), "sku_ids": sku}
    fine = (await client.get(f"{BASE}/{moved}/timeline", headers=owner)).json()
    assert "stock_not_moved" not in [e["kind"] for e in fine]


async def test_ord8_a_rules_warehouse_moves_the_stock_when_it_can_else_says_why(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner, hangzhou, beijing, sku = await _ten_in_hangzhou(tenant, client)
    await _ship_north(client, owner, beijing)
    fits = (await _place(client, owner, (sku, 2))).json()
    too_many = (await _place(client, owner, (sku, 3))).json()
    assert (await levels(client, owner, sku))[hangzhou]["reserved"] == 5  # before payment
    await receive(client, owner, sku, beijing, 2)
    for order, amount in ((fits, "20.00"), (too_many, "30.00")):
        paid = await client.post(
            f"{BASE}/{order['id']}/payments",
            json={"method": "cash", "amount": amount},
            headers=owner,
        )
        assert paid.status_code == 201, paid.text
        assert paid.json()["warehouseId"] == beijing
    found = await levels(client, owner, sku)
    assert found[beijing]["reserved"] == 2 and found[hangzhou]["reserved"] == 3
    await _kept_and_moved(client, owner, too_many["id"], fits["id"], sku)


async def test_ord8_the_waiting_orders_page_review_moves_a_rules_warehouse_stock_or_says_why(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner, hangzhou, beijing, sku = await _ten_in_hangzhou(tenant, client)
    other = await stocked_sku(client, owner, 5, "10.00", warehouse=hangzhou)
    waiting = {}  # cash on delivery: awaiting review at once, before there are rules
    for name, lines in (("fits", [(sku, 2)]), ("too_many", [(sku, 3)]), ("none", [(other, 1)])):
        placed = await client.post(
            BASE, json=order_body(*lines, cashOnDelivery=True), headers=owner
        )
        assert placed.status_code == 201 and placed.json()["status"] == "awaiting_review"
        waiting[name] = placed.json()
    await receive(client, owner, sku, beijing, 2)
    await _ship_north(client, owner, beijing)
    reviewed = await client.post(f"{BASE}/rules/review-waiting", json={}, headers=owner)
    assert reviewed.status_code == 200, reviewed.text
    assert reviewed.json() == {"reviewed": 3, "changed": 3, "nextCursor": None}
    for order in waiting.values():
        now = (await client.get(f"{BASE}/{order['id']}", headers=owner)).json()
        assert now["warehouseId"] == beijing
    found = await levels(client, owner, sku)
    assert found[beijing] == {"onHand": 2, "reserved": 2, "available": 0}
    assert found[hangzhou] == {"onHand": 10, "reserved": 3, "available": 7}
    # Beijing holds none of the other SKU: that order's unit stays in Hangzhou too
    assert (await levels(client, owner, other))[hangzhou]["reserved"] == 1
    await _kept_and_moved(client, owner, waiting["too_many"]["id"], waiting["fits"]["id"], sku)
