"""Bulk review over HTTP (ORD-5, ORD-8): approve, hold and cancel many orders at once, each
in its own transaction, with a result per order — a refusal (a move the table forbids, an
unknown order) reported with its code and message, the others done; a caller without
``orders:review`` is refused once."""

from __future__ import annotations

import uuid

import httpx

from tests.conftest import TenantHandle
from tests.e2e.orders.support import BASE, available, order_body, stocked_sku


async def test_bulk_actions_report_a_result_per_order(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    sku = await stocked_sku(client, owner, 10, "10.00")
    ids = []
    for _ in range(3):
        order = (await client.post(BASE, json=order_body((sku, 1)), headers=owner)).json()
        paid = await client.post(
            f"{BASE}/{order['id']}/payments",
            json={"method": "cash", "amount": "10.00"},
            headers=owner,
        )
        assert paid.json()["status"] == "awaiting_review"
        ids.append(order["id"])
    unpaid = (await client.post(BASE, json=order_body((sku, 2)), headers=owner)).json()["id"]
    missing = str(uuid.uuid4())
    approved = await client.post(
        f"{BASE}/bulk",
        json={"action": "approve", "orderIds": [ids[0], ids[1], unpaid, missing]},
        headers={**owner, "Accept-Language": "en"},
    )
    assert approved.status_code == 200, approved.text
    results = {r["orderId"]: r for r in approved.json()}
    assert results[ids[0]]["done"] and results[ids[0]]["status"] == "approved"
    assert results[ids[1]]["done"]
    assert not results[unpaid]["done"] and results[unpaid]["code"] == "order_transition_refused"
    assert "pending_payment" in results[unpaid]["message"]
    assert results[missing]["code"] == "not_found"
    held = await client.post(
        f"{BASE}/bulk",
        json={"action": "hold", "orderIds": ids, "reason": "盘点暂停发货"},
        headers=owner,
    )
    assert [r["status"] for r in held.json()] == ["held", "held", "held"]
    cancelled = await client.post(
        f"{BASE}/bulk",
        json={"action": "cancel", "orderIds": [*ids, unpaid], "reason": "缺货"},
        headers=owner,
    )
    assert all(r["done"] and r["status"] == "cancelled" for r in cancelled.json())
    assert await available(client, owner, sku) == 10  # every cancel released its stock
    no_reason = await client.post(
        f"{BASE}/bulk", json={"action": "cancel", "orderIds": ids}, headers=owner
    )
    assert no_reason.status_code == 422
    warehouse = await tenant.headers("warehouse")
    denied = await client.post(
        f"{BASE}/bulk", json={"action": "approve", "orderIds": ids}, headers=warehouse
    )
    assert denied.status_code == 403
