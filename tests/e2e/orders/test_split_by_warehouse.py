"""Split by the warehouses that hold the stock, over HTTP on the real database (ORD-4):
inventory's view says which warehouse can serve which line; each part ships from one
warehouse and reserves its stock there, the quantities, money, payments and platform ids
conserved. A rule's ``split`` action really splits an order once it is paid — and when the
split is refused (one warehouse holds everything), the order stays whole, its stock still
held, and its timeline says why."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.conftest import TenantHandle
from tests.e2e.orders.support import BASE, RECEIVER, channel, stocked_sku


async def _levels(client: httpx.AsyncClient, headers: dict[str, str], sku: str) -> dict[str, Any]:
    response = await client.get("/api/v1/inventory/stock", params={"skuId": sku}, headers=headers)
    assert response.status_code == 200, response.text
    return {level["warehouseId"]: level["figures"] for level in response.json()["items"]}


async def _warehouse(client: httpx.AsyncClient, headers: dict[str, str], sku: str) -> str:
    (only,) = (await _levels(client, headers, sku)).keys()
    return str(only)


def _marketplace(shop: str, platform_id: str, *lines: tuple[str, int, str]) -> dict[str, Any]:
    total = sum(int(q) * float(p) for _, q, p in lines)
    return {
        "lines": [
            {
                "skuId": sku,
                "quantity": quantity,
                "unitPrice": price,
                "platformOrderId": platform_id,
                "platformSubOrderId": f"{platform_id}-{i}",
            }
            for i, (sku, quantity, price) in enumerate(lines, start=1)
        ],
        "receiver": RECEIVER,
        "source": "marketplace",
        "channelId": shop,
        "platformOrderIds": [platform_id],
        "payments": [
            {"method": "platform", "amount": f"{total:.2f}", "transactionId": platform_id}
        ],
    }


async def test_ord4_split_by_warehouse_worked_example(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """A only in 杭州 (W1), B only in W2, C in both: W1 serves A and C, W2 serves B."""
    owner = await tenant.headers("owner")
    shop = await channel(client, owner)
    a = await stocked_sku(client, owner, 5)
    w1 = await _warehouse(client, owner, a)
    b = await stocked_sku(client, owner, 2)
    w2 = await _warehouse(client, owner, b)
    c = await stocked_sku(client, owner, 1, warehouse=w1)
    receipt = {"skuId": c, "warehouseId": w2, "quantity": 9}
    assert (await client.post("/api/v1/inventory/receipts", json=receipt, headers=owner)).is_success
    body = _marketplace(shop, "TB-W1", (a, 3, "10.00"), (b, 2, "10.00"), (c, 1, "5.00"))
    placed = await client.post(BASE, json=body, headers=owner)
    assert placed.status_code == 201, placed.text
    order = placed.json()
    split = await client.post(
        f"{BASE}/{order['id']}/split",
        json={"by": "warehouse", "reason": "按仓拆单"},
        headers={**owner, "If-Match": placed.headers["etag"]},
    )
    assert split.status_code == 200, split.text
    first, second = split.json()
    assert [x["skuId"] for x in first["lines"]] == [a, c]
    assert [x["skuId"] for x in second["lines"]] == [b]
    assert {x["warehouseId"] for x in first["lines"]} == {w1}
    assert {x["warehouseId"] for x in second["lines"]} == {w2}
    assert float(first["total"]) + float(second["total"]) == float(order["total"]) == 55.0
    assert {p["transactionId"] for part in (first, second) for p in part["payments"]} == {"TB-W1"}
    assert first["platformOrderIds"] == second["platformOrderIds"] == ["TB-W1"]
    # the stock is held where each part ships from
    assert (await _levels(client, owner, a))[w1]["reserved"] == 3
    assert (await _levels(client, owner, b))[w2]["reserved"] == 2
    c_levels = await _levels(client, owner, c)
    assert (c_levels[w1]["reserved"], c_levels[w2]["reserved"]) == (1, 0)


async def test_ord4_a_rule_split_by_warehouse_splits_or_says_why_not(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    rule = {
        "id": "by-warehouse",
        "name": "按仓拆单",
        "priority": 10,
        "actions": [{"kind": "split", "by": "warehouse"}],
    }
    saved = await client.put(
        f"{BASE}/rules", json={"rules": [rule]}, headers={**owner, "If-Match": '"v0"'}
    )
    assert saved.status_code == 200, saved.text
    shop = await channel(client, owner)
    a = await stocked_sku(client, owner, 4)
    b = await stocked_sku(client, owner, 4)  # another warehouse
    w1 = await _warehouse(client, owner, a)
    together = await stocked_sku(client, owner, 4, warehouse=w1)

    two = await client.post(
        BASE, json=_marketplace(shop, "TB-R1", (a, 1, "8.00"), (b, 1, "9.00")), headers=owner
    )
    assert two.status_code == 201, two.text
    original = (await client.get(f"{BASE}/{two.json()['id']}", headers=owner)).json()
    assert original["status"] == "awaiting_review" and len(original["splitInto"]) == 2
    parts = [(await client.get(f"{BASE}/{i}", headers=owner)).json() for i in original["splitInto"]]
    assert sorted(len(p["lines"]) for p in parts) == [1, 1]
    timeline = (await client.get(f"{BASE}/{parts[0]['id']}/timeline", headers=owner)).json()
    entry = timeline[-1]
    assert (entry["kind"], entry["actor"], entry["rule"]) == (
        "split_from",
        "rule_engine",
        "by-warehouse@v1",
    )

    one = await client.post(
        BASE,
        json=_marketplace(shop, "TB-R2", (a, 1, "8.00"), (together, 1, "9.00")),
        headers=owner,
    )
    assert one.status_code == 201, one.text
    whole = (await client.get(f"{BASE}/{one.json()['id']}", headers=owner)).json()
    assert whole["splitInto"] == [] and whole["reserved"] == {a: 1, together: 1}
    timeline = (await client.get(f"{BASE}/{whole['id']}/timeline", headers=owner)).json()
    refused = timeline[-1]
    assert refused["kind"] == "split_refused" and refused["rule"] == "by-warehouse@v1"
    assert refused["detail"]["reason"] == "needs_two_parts"
    assert (await _levels(client, owner, together))[w1]["reserved"] == 1
    assert uuid.UUID(whole["id"])
