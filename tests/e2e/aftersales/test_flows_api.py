"""Each after-sales kind's flow end to end over HTTP (ORD-6): a return's goods into the
returns warehouse exactly as received (resellable → available, damaged → non-sellable),
refunds against the order's payment exact to the fen and once per key, the exchange's and
the resend's orders with their lines at no charge, and the moves the flows refuse."""

from __future__ import annotations

import uuid

import httpx

from tests.conftest import TenantHandle
from tests.e2e.aftersales.support import (
    BASE,
    figures,
    open_case,
    order_of,
    paid_order,
    returns_warehouse,
    step,
)


async def test_return_and_refund_end_to_end(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    order = await paid_order(client, owner, (3, "99.50"))
    sku, payment = order["lines"][0]["skuId"], order["payments"][0]["id"]
    returns = await returns_warehouse(client, owner)
    case = await open_case(
        client, owner, order, "return_refund", (0, 2), reasonText="开线", trackingNo="SF123"
    )
    assert case["status"] == "review" and case["refundAmount"] == "199.00"
    assert case["nextActions"] == ["approve", "reject"]
    assert case["lines"][0]["quantity"] == 2 and case["trackingNo"] == "SF123"
    case = await step(client, owner, case, "approve", {"reason": "质量问题属实"})
    assert case["status"] == "awaiting_return" and case["nextActions"] == ["receive"]
    assert [e["action"] for e in case["timeline"]] == ["opened", "approved", "awaiting_return"]
    assert case["timeline"][1]["reason"] == "质量问题属实"
    assert case["timeline"][1]["actor"].startswith("user:")
    # a refund before the goods are inspected is refused, nothing recorded
    early = {"paymentId": payment, "amount": "199.00", "key": "RF-1"}
    await step(client, owner, case, "refunds", early, status=409)
    # partial receipt: one resellable unit, then one damaged
    receipt = {"warehouseId": returns, "lines": [{"lineNo": 1, "resellable": 1}]}
    case = await step(client, owner, case, "receipts", receipt)
    assert case["status"] == "partly_received" and case["lines"][0]["outstanding"] == 1
    assert case["nextActions"] == ["receive", "inspect"]
    stock = await figures(client, owner, sku, returns)
    assert (stock["onHand"], stock["available"], stock["nonSellable"]) == (1, 1, 0)
    too_many = {"warehouseId": returns, "lines": [{"lineNo": 1, "damaged": 2}]}
    refused = await step(client, owner, case, "receipts", too_many, status=409)
    assert refused["code"] == "aftersales_receipt_refused"
    damaged = {"warehouseId": returns, "lines": [{"lineNo": 1, "damaged": 1}]}
    case = await step(client, owner, case, "receipts", damaged)
    assert case["status"] == "received"
    assert case["lines"][0]["resellable"] == 1 and case["lines"][0]["damaged"] == 1
    stock = await figures(client, owner, sku, returns)
    assert (stock["onHand"], stock["available"], stock["nonSellable"]) == (1, 1, 1)
    case = await step(client, owner, case, "inspect", {"reason": "一件可二次销售"})
    assert case["status"] == "inspected" and case["nextActions"] == ["refund"]
    # refunds: at most the agreed amount, to the fen, once per key
    above = {"paymentId": payment, "amount": "199.01", "key": "RF-0"}
    refused = await step(client, owner, case, "refunds", above, status=409)
    assert refused["code"] == "aftersales_refund_refused"
    part = {"paymentId": payment, "amount": "99.99", "key": "RF-1"}
    case = await step(client, owner, case, "refunds", part)
    case = await step(client, owner, case, "refunds", part)  # the same refund again
    assert case["status"] == "inspected" and case["refunded"] == "99.99"
    assert len(case["refunds"]) == 1
    rest = {"paymentId": payment, "amount": "99.01", "key": "RF-2"}
    case = await step(client, owner, case, "refunds", rest)
    assert case["status"] == "refunded" and case["refunded"] == "199.00"
    after = await order_of(client, owner, order["id"])
    assert [r["amount"] for r in after["refunds"]] == ["99.99", "99.01"]
    assert after["paidAmount"] == "99.50"
    case = await step(client, owner, case, "complete")
    assert case["status"] == "completed" and case["nextActions"] == []
    refused = await step(client, owner, case, "approve", status=409)
    assert refused["code"] == "aftersales_transition_refused"


async def test_a_case_never_claims_more_than_was_sold_less_earlier_cases(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    order = await paid_order(client, owner, (3, "10.00"))
    await open_case(client, owner, order, "return_refund", (0, 2))
    body = {
        "orderId": order["id"],
        "kind": "exchange",
        "reason": "size_or_fit",
        "lines": [{"orderLineId": order["lines"][0]["id"], "quantity": 2}],
    }
    refused = await client.post(BASE, json=body, headers={**owner, "Accept-Language": "en"})
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["code"] == "more_than_returnable"
    body["lines"][0]["quantity"] = 1
    assert (await client.post(BASE, json=body, headers=owner)).status_code == 201
    # a refund never above what the payments hold
    too_much = {
        "orderId": order["id"],
        "kind": "refund_only",
        "reason": "other",
        "refundAmount": "30.01",
    }
    refused = await client.post(BASE, json=too_much, headers=owner)
    assert refused.status_code == 422 and refused.json()["errors"][0]["code"] == "more_than_paid"
    listed = (await client.get(BASE, headers=owner)).json()["items"]
    assert len(listed) == 2


async def test_refund_only_to_the_fen_and_idempotent(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    order = await paid_order(client, owner, (1, "20.02"))
    payment = order["payments"][0]["id"]
    body = {
        "orderId": order["id"],
        "kind": "refund_only",
        "reason": "not_received",
        "refundAmount": "10.01",
    }
    case = (await client.post(BASE, json=body, headers=owner)).json()
    case = await step(client, owner, case, "approve")
    assert case["status"] == "approved"
    fen = {"paymentId": payment, "amount": "10.005", "key": "R-0"}
    await step(client, owner, case, "refunds", fen, status=422)
    first = {"paymentId": payment, "amount": "10.00", "key": "R-1"}
    headers = {**owner, "Idempotency-Key": uuid.uuid4().hex}
    for _ in range(2):
        answer = await client.post(f"{BASE}/{case['id']}/refunds", json=first, headers=headers)
        assert answer.status_code == 200, answer.text
    case = await step(client, owner, answer.json(), "refunds", first)  # a new request, same key
    assert case["refunded"] == "10.00" and case["status"] == "approved"
    over = {"paymentId": payment, "amount": "0.02", "key": "R-2"}
    await step(client, owner, case, "refunds", over, status=409)
    last = {"paymentId": payment, "amount": "0.01", "key": "R-3"}
    case = await step(client, owner, case, "refunds", last)
    assert case["status"] == "refunded" and case["refunded"] == "10.01"
    after = await order_of(client, owner, order["id"])
    assert [r["amount"] for r in after["refunds"]] == ["10.00", "0.01"]
    case = await step(client, owner, case, "complete")
    assert case["status"] == "completed"


async def test_exchange_places_a_held_replacement_released_when_the_goods_arrive(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    order = await paid_order(client, owner, (2, "59.00"))
    sku = order["lines"][0]["skuId"]
    returns = await returns_warehouse(client, owner)
    case = await open_case(client, owner, order, "exchange", (0, 1))
    assert case["refundAmount"] == "0.00"
    case = await step(client, owner, case, "approve")
    assert case["status"] == "awaiting_return" and case["replacementOrderId"]
    replacement = await order_of(client, owner, case["replacementOrderId"])
    assert replacement["status"] == "held" and replacement["total"] == "0.00"
    assert [(li["skuId"], li["quantity"], li["unitPrice"]) for li in replacement["lines"]] == [
        (sku, 1, "0.00")
    ]
    assert replacement["reserved"] == {sku: 1}
    receipt = {"warehouseId": returns, "lines": [{"lineNo": 1, "resellable": 1}]}
    case = await step(client, owner, case, "receipts", receipt)
    assert case["status"] == "received"
    released = await order_of(client, owner, case["replacementOrderId"])
    assert released["status"] == "awaiting_review"
    case = await step(client, owner, case, "inspect")
    refused = await step(
        client,
        owner,
        case,
        "refunds",
        {"paymentId": order["payments"][0]["id"], "amount": "1.00", "key": "X"},
        status=409,
    )
    assert refused["code"] == "aftersales_transition_refused"
    case = await step(client, owner, case, "complete")
    assert case["status"] == "completed"


async def test_exchange_ships_first_by_the_tenants_policy(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    settings = "/api/v1/aftersales/settings"
    current = await client.get(settings, headers=owner)
    assert current.json() == {"shipExchangeFirst": False, "version": 0}
    put = await client.put(
        settings, json={"shipExchangeFirst": True}, headers={**owner, "If-Match": '"v0"'}
    )
    assert put.status_code == 200, put.text
    assert put.headers["etag"] == '"v1"'
    stale = await client.put(
        settings, json={"shipExchangeFirst": False}, headers={**owner, "If-Match": '"v0"'}
    )
    assert stale.status_code == 412
    order = await paid_order(client, owner, (1, "30.00"))
    case = await open_case(client, owner, order, "exchange", (0, 1))
    case = await step(client, owner, case, "approve")
    replacement = await order_of(client, owner, case["replacementOrderId"])
    assert replacement["status"] == "awaiting_review" and replacement["total"] == "0.00"


async def test_resend_places_a_zero_amount_order_at_the_merchants_cost(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    order = await paid_order(client, owner, (2, "15.00"), (1, "8.00"))
    case = await open_case(client, owner, order, "resend", (1, 1))
    assert case["refundAmount"] == "0.00"
    case = await step(client, owner, case, "approve")
    assert case["status"] == "approved"
    resend = await order_of(client, owner, case["replacementOrderId"])
    assert resend["status"] == "awaiting_review"
    assert resend["total"] == "0.00" and resend["balanceDue"] == "0.00"
    assert [(li["skuId"], li["quantity"]) for li in resend["lines"]] == [
        (order["lines"][1]["skuId"], 1)
    ]
    assert resend["receiver"]["name"] == order["receiver"]["name"]
    case = await step(client, owner, case, "complete")
    assert case["status"] == "completed"


async def test_complaint_and_rejection(tenant: TenantHandle, client: httpx.AsyncClient) -> None:
    owner = await tenant.headers("owner")
    order = await paid_order(client, owner, (1, "5.00"))
    body = {
        "orderId": order["id"],
        "kind": "complaint",
        "reason": "other",
        "reasonText": "客服态度差",
        "evidence": ["聊天截图 1", "聊天截图 2"],
    }
    case = (await client.post(BASE, json=body, headers=owner)).json()
    assert case["evidence"] == ["聊天截图 1", "聊天截图 2"]
    refused = await step(client, owner, case, "complete", status=409)
    assert refused["code"] == "aftersales_transition_refused"
    case = await step(client, owner, case, "approve")
    case = await step(client, owner, case, "complete")
    assert [e["status"] for e in case["timeline"]] == ["review", "approved", "completed"]
    other = await open_case(client, owner, order, "return_refund", (0, 1))
    missing = await step(client, owner, other, "reject", status=400)
    assert missing["status"] == 400
    other = await step(client, owner, other, "reject", {"reason": "超过七天"})
    assert other["status"] == "rejected"
    # a rejected case claims nothing: the unit may be claimed again
    await open_case(client, owner, order, "return_refund", (0, 1))
