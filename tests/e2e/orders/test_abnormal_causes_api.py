"""Over HTTP (ORD-5, ORD-2, ORD-3): the abnormal types the order's own figures decide.
An order placed with an incomplete receiver waits as ``address_incomplete`` (the empty
parts named) until an edit completes the address; an edit that changes a paid order's
total makes it ``paid_amount_mismatch`` (the balance named) until the difference is paid
or refunded — each released by the system with its reason on the timeline."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import TenantHandle
from tests.e2e.orders.support import BASE, RECEIVER, order_body, stocked_sku


def _types(order: dict[str, Any]) -> list[str]:
    return [a["type"] for a in order["abnormalities"]]


async def _resolved(client: httpx.AsyncClient, headers: dict[str, str], order_id: str) -> list[str]:
    timeline = (await client.get(f"{BASE}/{order_id}/timeline", headers=headers)).json()
    return [
        f"{e['detail']['type']}: {e['reason']}"
        for e in timeline
        if e["kind"] == "abnormal_resolved"
    ]


async def test_ord5_an_incomplete_receiver_waits_until_the_address_is_completed(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    sku = await stocked_sku(client, owner, 5, "20.00")
    partial = {**RECEIVER, "address": {**RECEIVER["address"], "district": "", "line": " "}}
    placed = await client.post(
        BASE, json=order_body((sku, 1), receiver=partial, cashOnDelivery=True), headers=owner
    )
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert order["status"] == "abnormal" and _types(order) == ["address_incomplete"]
    [found] = order["abnormalities"]
    assert found["release"] == "automatic" and found["detail"] == {"missing": "district,line"}
    assert found["note"] == "receiver incomplete"
    completed = await client.post(
        f"{BASE}/{order['id']}/edits",
        json={"reason": "买家补全地址", "edits": [{"op": "change_address", "receiver": RECEIVER}]},
        headers={**owner, "If-Match": placed.headers["etag"]},
    )
    assert completed.status_code == 200, completed.text
    assert completed.json()["status"] == "awaiting_review" and _types(completed.json()) == []
    assert await _resolved(client, owner, order["id"]) == ["address_incomplete: address completed"]


async def test_ord2_an_edited_paid_total_waits_until_the_balance_is_settled(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    sku = await stocked_sku(client, owner, 5, "20.00")
    order = (await client.post(BASE, json=order_body((sku, 2)), headers=owner)).json()
    url = f"{BASE}/{order['id']}"
    paid = await client.post(
        f"{url}/payments", json={"method": "cash", "amount": "40.00"}, headers=owner
    )
    assert paid.status_code == 201 and paid.json()["status"] == "awaiting_review"
    line = order["lines"][0]["id"]
    fewer = {
        "reason": "买家少要一件",
        "edits": [{"op": "change_quantity", "lineId": line, "quantity": 1}],
    }
    edited = await client.post(
        f"{url}/edits", json=fewer, headers={**owner, "If-Match": paid.headers["etag"]}
    )
    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert body["status"] == "abnormal" and _types(body) == ["paid_amount_mismatch"]
    assert body["abnormalities"][0]["detail"] == {"balance_due": "-20.00"}  # 20.00 to return
    payment = body["payments"][0]["id"]
    refunded = await client.post(
        f"{url}/refunds",
        json={"paymentId": payment, "amount": "20.00", "reason": "少发一件退差价"},
        headers=owner,
    )
    assert refunded.status_code == 201, refunded.text
    assert refunded.json()["status"] == "awaiting_review" and _types(refunded.json()) == []
    assert await _resolved(client, owner, order["id"]) == ["paid_amount_mismatch: balance settled"]
