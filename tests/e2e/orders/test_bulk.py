"""Bulk review over HTTP (ORD-5, ORD-8): approve, hold, cancel and release an abnormal
type on many orders at once, each in its own transaction, with a result per order — a
refusal (a move the table forbids, an unknown order, the type not open) reported with its
code and message, the others done; a caller without ``orders:review`` is refused once."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.conftest import TenantHandle
from tests.e2e.orders.support import (
    BASE,
    RECEIVER,
    available,
    channel,
    order_body,
    receive,
    stocked_sku,
    warehouse,
)


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


READ_MESSAGES = [
    {
        "id": "read-message",
        "name": "留言待处理",
        "priority": 5,
        "conditions": [{"kind": "buyer_message_present"}],
        "actions": [{"kind": "mark_abnormal", "type": "message_to_read"}],
    }
]


async def _paid(
    client: httpx.AsyncClient, owner: dict[str, str], sku: str, **extra: Any
) -> dict[str, Any]:
    order = (await client.post(BASE, json=order_body((sku, 1), **extra), headers=owner)).json()
    paid = await client.post(
        f"{BASE}/{order['id']}/payments", json={"method": "cash", "amount": "10.00"}, headers=owner
    )
    assert paid.status_code == 201, paid.text
    return dict(paid.json())


async def _order(client: httpx.AsyncClient, owner: dict[str, str], order_id: str) -> Any:
    return (await client.get(f"{BASE}/{order_id}", headers=owner)).json()


async def test_ord5_bulk_releases_an_abnormal_type_with_a_result_per_order(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    saved = await client.put(
        f"{BASE}/rules", json={"rules": READ_MESSAGES}, headers={**owner, "If-Match": '"v0"'}
    )
    assert saved.status_code == 200, saved.text
    sku = await stocked_sku(client, owner, 10, "10.00")
    marked = [
        await _paid(client, owner, sku, buyerMessage=m) for m in ("周末送", "开发票", "别敲门")
    ]
    assert {o["status"] for o in marked} == {"abnormal"}
    assert all([a["type"] for a in o["abnormalities"]] == ["message_to_read"] for o in marked)
    ids = [o["id"] for o in marked]
    plain = await _paid(client, owner, sku)  # no message: not marked
    assert plain["status"] == "awaiting_review" and plain["abnormalities"] == []
    missing = str(uuid.uuid4())
    body = {
        "action": "resolve_abnormal",
        "orderIds": [*ids, plain["id"], missing],
        "abnormalType": "message_to_read",
        "reason": "已联系买家确认留言",
    }

    # without orders:review: refused once, nothing changed
    for role in ("warehouse", "finance"):
        denied = await client.post(f"{BASE}/bulk", json=body, headers=await tenant.headers(role))
        assert denied.status_code == 403, denied.text
    for order in marked:
        assert (await _order(client, owner, order["id"]))["version"] == order["version"]
    # the type and the reason are required
    for left_out in ("abnormalType", "reason"):
        partial = {k: v for k, v in body.items() if k != left_out}
        invalid = await client.post(f"{BASE}/bulk", json=partial, headers=owner)
        assert invalid.status_code == 422, invalid.text
        assert left_out in invalid.text
    unknown = await client.post(
        f"{BASE}/bulk", json={**body, "abnormalType": "lost"}, headers=owner
    )
    assert unknown.status_code == 400 and "abnormalType" in unknown.text  # not a type

    service = await tenant.headers("customer_service")
    released = await client.post(
        f"{BASE}/bulk", json=body, headers={**service, "Accept-Language": "en"}
    )
    assert released.status_code == 200, released.text
    results = released.json()
    assert [r["orderId"] for r in results] == [*ids, plain["id"], missing]
    for result, before in zip(results, marked, strict=False):
        assert result == {
            "orderId": before["id"],
            "done": True,
            "status": "awaiting_review",
            "version": before["version"] + 1,
            "code": None,
            "message": None,
        }
        after = await _order(client, owner, before["id"])
        assert after["status"] == "awaiting_review" and after["abnormalities"] == []
        timeline = (await client.get(f"{BASE}/{before['id']}/timeline", headers=owner)).json()
        entry = next(e for e in timeline if e["kind"] == "abnormal_resolved")
        assert entry["reason"] == "已联系买家确认留言"
        assert entry["detail"] == {"type": "message_to_read"} and entry["rule"] is None
        assert entry["actorName"] and entry["actor"].startswith("user:")
    lacking, unknown_order = results[3], results[4]
    assert not lacking["done"] and lacking["code"] == "order_abnormal_release_refused"
    assert lacking["message"] and lacking["status"] is None
    after_plain = await _order(client, owner, plain["id"])
    assert (after_plain["status"], after_plain["version"]) == ("awaiting_review", plain["version"])
    assert not unknown_order["done"] and unknown_order["code"] == "not_found"

    trail = await client.get(
        "/api/v1/audit", params={"action": "order.resolve_abnormal"}, headers=owner
    )
    outcomes = {(e["entityId"], e["outcome"]) for e in trail.json()["items"]}
    assert {(i, "success") for i in ids} <= outcomes
    assert (plain["id"], "success") not in outcomes
    # released, they take the approval an abnormal order is refused
    approved = await client.post(
        f"{BASE}/bulk", json={"action": "approve", "orderIds": ids}, headers=service
    )
    assert [r["status"] for r in approved.json()] == ["approved"] * 3


async def test_ord5_a_person_releases_an_automatic_type_in_bulk(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """address_incomplete and out_of_stock are released by the system, and by a person too;
    out_of_stock only once the stock is there (the order reserves it as it is released)."""
    owner = await tenant.headers("owner")
    store = await warehouse(client, owner, "杭州仓")
    sku = await stocked_sku(client, owner, 0, "10.00", warehouse=store)
    shop = await channel(client, owner)
    short = await client.post(
        BASE,
        json={
            "lines": [
                {"skuId": sku, "quantity": 1, "unitPrice": "10.00", "platformOrderId": "TB-1"}
            ],
            "receiver": RECEIVER,
            "source": "marketplace",
            "channelId": shop,
            "platformOrderIds": ["TB-1"],
            "payments": [{"method": "platform", "amount": "10.00"}],
        },
        headers=owner,
    )
    assert short.status_code == 201, short.text
    waiting = short.json()
    assert [a["type"] for a in waiting["abnormalities"]] == ["out_of_stock"]
    release = {
        "action": "resolve_abnormal",
        "orderIds": [waiting["id"]],
        "abnormalType": "out_of_stock",
        "reason": "到货，手动放行",
    }
    refused = await client.post(f"{BASE}/bulk", json=release, headers=owner)
    assert refused.status_code == 200, refused.text
    assert [(r["done"], r["code"]) for r in refused.json()] == [(False, "order_out_of_stock")]
    unchanged = (await client.get(f"{BASE}/{waiting['id']}", headers=owner)).json()
    assert (unchanged["status"], unchanged["version"]) == ("abnormal", waiting["version"])
    await receive(client, owner, sku, store, 1)
    released = await client.post(f"{BASE}/bulk", json=release, headers=owner)
    assert released.json()[0]["done"], released.text
    assert released.json()[0]["status"] == "awaiting_review"
    assert await available(client, owner, sku) == 0  # reserved by the released order

    sku = await stocked_sku(client, owner, 5, "10.00")
    partial = {**RECEIVER, "address": {**RECEIVER["address"], "line": " "}}
    placed = await client.post(
        BASE, json=order_body((sku, 1), receiver=partial, cashOnDelivery=True), headers=owner
    )
    order = placed.json()
    assert [a["type"] for a in order["abnormalities"]] == ["address_incomplete"]
    assert order["abnormalities"][0]["release"] == "automatic"
    released = await client.post(
        f"{BASE}/bulk",
        json={
            "action": "resolve_abnormal",
            "orderIds": [order["id"]],
            "abnormalType": "address_incomplete",
            "reason": "买家确认：快递点自提",
        },
        headers=owner,
    )
    assert released.status_code == 200, released.text
    assert released.json()[0]["done"] and released.json()[0]["status"] == "awaiting_review"
