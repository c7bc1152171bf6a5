"""/api/v1/orders over HTTP (ORD-1, ORD-2, ORD-3, ORD-5, ORD-7): placing with the stock
reserved in the same transaction and the two intake policies, idempotent creation,
payments, review with ETags / If-Match, cancel releasing stock, edits re-reserving,
problem+json in the caller's language, the timeline."""

from __future__ import annotations

import uuid

import httpx

from tests.conftest import TenantFactory, TenantHandle
from tests.e2e.orders.support import (
    BASE,
    RECEIVER,
    available,
    channel,
    order_body,
    sku_code,
    stocked_sku,
)


async def test_ord1_api_order_reserves_stock_and_is_idempotent(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    sku = await stocked_sku(client, owner, 10, "99.50")
    headers = {**owner, "Idempotency-Key": uuid.uuid4().hex}
    first = await client.post(BASE, json=order_body((sku, 3)), headers=headers)
    assert first.status_code == 201, first.text
    order = first.json()
    assert order["status"] == "pending_payment" and order["source"] == "api"
    assert order["total"] == "298.50" and order["balanceDue"] == "298.50"
    assert order["number"].startswith("SO") and order["reserved"] == {sku: 3}
    assert order["receiver"]["name"] == "张三"
    assert first.headers["etag"] == f'"v{order["version"]}"'
    again = await client.post(BASE, json=order_body((sku, 3)), headers=headers)
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert again.json()["id"] == order["id"]
    assert await available(client, owner, sku) == 7  # reserved once, not twice
    listed = (await client.get(BASE, headers=owner)).json()["items"]
    assert [o["id"] for o in listed] == [order["id"]]


async def test_ord1_own_api_refuses_missing_stock_naming_the_skus(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    plenty = await stocked_sku(client, owner, 10)
    short = await stocked_sku(client, owner, 1)
    none = await stocked_sku(client, owner, 0)
    refused = await client.post(
        BASE,
        json=order_body((plenty, 2), (short, 2), (none, 1)),
        headers={**owner, "Accept-Language": "en"},
    )
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.json()
    assert problem["code"] == "order_out_of_stock"
    codes = {sku: sku_code(sku) for sku in (plenty, short, none)}
    assert codes[short] in problem["title"] and codes[none] in problem["title"]
    assert codes[plenty] not in problem["title"]
    first, second = (codes[sku] for sku in sorted((short, none)))
    assert problem["title"].endswith(f"short: {first} and {second}.")  # a list, said in English
    assert "skus" not in problem  # the body's fields as they were: ``short`` for programs
    assert problem["short"] == [
        {"skuId": sku, "skuCode": codes[sku]} for sku in sorted((short, none))
    ]
    # all lines or nothing: the stock of the line that could be served is untouched
    assert await available(client, owner, plenty) == 10
    assert (await client.get(BASE, headers=owner)).json()["items"] == []
    zh = await client.post(
        BASE, json=order_body((short, 2)), headers={**owner, "Accept-Language": "zh-CN"}
    )
    assert zh.status_code == 409 and zh.json()["title"] != problem["title"]


async def test_ord5_marketplace_order_is_accepted_out_of_stock_and_released_when_stock_arrives(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    from application.orders.sweeps import OrderSweeps
    from entrypoints.worker.tasks import worker_context

    owner = await tenant.headers("owner")
    shop = await channel(client, owner)
    warehouse = (
        await client.post(
            "/api/v1/inventory/warehouses", json={"code": "MK-1", "name": "仓"}, headers=owner
        )
    ).json()["id"]
    sku = await stocked_sku(client, owner, 1, warehouse=warehouse)
    body = {
        "lines": [{"skuId": sku, "quantity": 2, "unitPrice": "50.00", "platformOrderId": "TB1"}],
        "receiver": RECEIVER,
        "source": "marketplace",
        "channelId": shop,
        "platformOrderIds": ["TB1"],
        "payments": [{"method": "platform", "amount": "100.00", "transactionId": "ALI-1"}],
    }
    placed = await client.post(BASE, json=body, headers=owner)
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert order["status"] == "abnormal" and order["resumeStatus"] == "awaiting_review"
    assert [a["type"] for a in order["abnormalities"]] == ["out_of_stock"]
    assert order["abnormalities"][0]["release"] == "automatic"
    assert order["reserved"] == {} and order["paidAmount"] == "100.00"
    assert await available(client, owner, sku) == 1  # the savepoint undid the partial take
    # the same platform order pulled again creates nothing new
    again = await client.post(BASE, json=body, headers=owner)
    assert again.status_code == 201 and again.json()["id"] == order["id"]
    moved = {**RECEIVER, "address": {**RECEIVER["address"], "line": "文三路 2 号"}}
    edited = await client.post(
        f"{BASE}/{order['id']}/edits",
        json={"reason": "买家改地址", "edits": [{"op": "change_address", "receiver": moved}]},
        headers={**owner, "If-Match": placed.headers["etag"]},
    )
    assert edited.status_code == 200, edited.text  # waiting for stock does not block edits
    assert edited.json()["status"] == "abnormal" and edited.json()["reserved"] == {}
    sweeps = tenant.container.get(OrderSweeps)
    context = lambda tenant_id: worker_context(tenant_id, "orders.restock")  # noqa: E731
    assert (await sweeps.restock_everywhere(context)).get(tenant.id, 0) == 0  # still short
    receipt = {"skuId": sku, "warehouseId": warehouse, "quantity": 5}
    assert (
        await client.post("/api/v1/inventory/receipts", json=receipt, headers=owner)
    ).status_code == 201
    assert (await sweeps.restock_everywhere(context))[tenant.id] == 1
    released = (await client.get(f"{BASE}/{order['id']}", headers=owner)).json()
    assert released["status"] == "awaiting_review" and released["abnormalities"] == []
    assert released["reserved"] == {sku: 2}
    assert await available(client, owner, sku) == 4
    timeline = (await client.get(f"{BASE}/{order['id']}/timeline", headers=owner)).json()
    resolved = [e for e in timeline if e["kind"] == "abnormal_resolved"]
    assert resolved and resolved[0]["actor"] == "system:orders.restock"


async def test_ord3_payment_review_hold_release_cancel_with_etags(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    sku = await stocked_sku(client, owner, 5, "10.00")
    order = (await client.post(BASE, json=order_body((sku, 2)), headers=owner)).json()
    url = f"{BASE}/{order['id']}"
    part = await client.post(
        f"{url}/payments", json={"method": "alipay", "amount": "5.00"}, headers=owner
    )
    assert part.status_code == 201 and part.json()["status"] == "pending_payment"
    paid = await client.post(
        f"{url}/payments",
        json={"method": "wechat_pay", "amount": "15.00", "transactionId": "WX-9"},
        headers=owner,
    )
    assert paid.status_code == 201, paid.text
    assert paid.json()["status"] == "awaiting_review" and paid.json()["balanceDue"] == "0.00"
    etag = paid.headers["etag"]
    assert (await client.post(f"{url}/approve", headers=owner)).status_code == 428
    stale = await client.post(f"{url}/approve", headers={**owner, "If-Match": '"v1"'})
    assert stale.status_code == 412 and stale.headers["etag"] == etag
    held = await client.post(
        f"{url}/hold", json={"reason": "买家要求暂缓"}, headers={**owner, "If-Match": etag}
    )
    assert held.status_code == 200 and held.json()["status"] == "held"
    refused = await client.post(
        f"{url}/approve",
        headers={**owner, "If-Match": held.headers["etag"], "Accept-Language": "en"},
    )
    assert refused.status_code == 409 and refused.json()["code"] == "order_transition_refused"
    back = await client.post(f"{url}/release", headers={**owner, "If-Match": held.headers["etag"]})
    assert back.json()["status"] == "awaiting_review"
    refund = await client.post(
        f"{url}/refunds",
        json={"paymentId": paid.json()["payments"][1]["id"], "amount": "15.00", "reason": "缺货"},
        headers=owner,
    )
    assert refund.status_code == 201 and refund.json()["paidAmount"] == "5.00"
    cancelled = await client.post(
        f"{url}/cancel",
        json={"reason": "买家取消"},
        headers={**owner, "If-Match": refund.headers["etag"]},
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["reserved"] == {}
    assert await available(client, owner, sku) == 5  # cancel released the stock
    timeline = (await client.get(f"{url}/timeline", headers=owner)).json()
    kinds = [e["kind"] for e in timeline]
    assert kinds[0] == "created" and "payment_recorded" in kinds and "refund_recorded" in kinds
    cancel = next(e for e in timeline if e["toStatus"] == "cancelled")
    assert cancel["actor"].startswith("user:") and cancel["reason"] == "买家取消"
    # who, by name, as the audit trail says it; the module's own moves have no person
    assert cancel["actorName"].endswith(f"<{tenant.owner_email}>")
    assert all(e["actorName"] is None for e in timeline if not e["actor"].startswith("user:"))


async def test_ord1_an_order_says_what_it_allows_now_whatever_the_callers_role(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    sku, other = await stocked_sku(client, owner, 5, "10.00"), await stocked_sku(client, owner, 5)
    placed = await client.post(BASE, json=order_body((sku, 2), (other, 1)), headers=owner)
    order = placed.json()
    assert order["allowedActions"] == ["hold", "pay", "edit", "split"]
    url = f"{BASE}/{order['id']}"
    amount = {"method": "alipay", "amount": order["total"]}
    paid = await client.post(f"{url}/payments", json=amount, headers=owner)
    assert paid.json()["allowedActions"] == ["approve", "hold", "edit", "split"]
    etag = {**owner, "If-Match": paid.headers["etag"]}
    held = await client.post(f"{url}/hold", json={"reason": "买家要求暂缓"}, headers=etag)
    assert held.json()["allowedActions"] == ["release", "edit"]
    reader = await tenant.headers("finance")  # reads orders, may do none of it
    read = (await client.get(url, headers=reader)).json()
    listed = (await client.get(BASE, headers=reader)).json()["items"]
    assert read["allowedActions"] == listed[0]["allowedActions"] == ["release", "edit"]


async def test_ord2_edits_rereserve_and_price_adjustment_needs_its_permission(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    service = await tenant.headers("customer_service")
    sku = await stocked_sku(client, owner, 5, "20.00")
    other = await stocked_sku(client, owner, 1, "8.00")
    placed = await client.post(BASE, json=order_body((sku, 2)), headers=service)
    assert placed.status_code == 201, placed.text
    order, etag = placed.json(), placed.headers["etag"]
    url, line = f"{BASE}/{order['id']}", order["lines"][0]["id"]
    edits = {
        "reason": "买家改单",
        "edits": [
            {"op": "change_quantity", "lineId": line, "quantity": 4},
            {"op": "add_line", "skuId": other, "quantity": 1},
        ],
    }
    edited = await client.post(f"{url}/edits", json=edits, headers={**service, "If-Match": etag})
    assert edited.status_code == 200, edited.text
    assert edited.json()["total"] == "88.00" and edited.json()["reserved"] == {sku: 4, other: 1}
    assert await available(client, owner, sku) == 1 and await available(client, owner, other) == 0
    too_many = {"reason": "x", "edits": [{"op": "change_quantity", "lineId": line, "quantity": 6}]}
    short = await client.post(
        f"{url}/edits", json=too_many, headers={**service, "If-Match": edited.headers["etag"]}
    )
    assert short.status_code == 409 and short.json()["code"] == "order_out_of_stock"
    assert await available(client, owner, sku) == 1  # nothing changed
    adjust = {
        "reason": "老客户优惠",
        "edits": [{"op": "adjust_price", "lineId": line, "unitPrice": "18.00"}],
    }
    denied = await client.post(
        f"{url}/edits", json=adjust, headers={**service, "If-Match": edited.headers["etag"]}
    )
    assert denied.status_code == 403
    adjusted = await client.post(
        f"{url}/edits", json=adjust, headers={**owner, "If-Match": edited.headers["etag"]}
    )
    assert adjusted.status_code == 200 and adjusted.json()["total"] == "80.00"
    timeline = (await client.get(f"{url}/timeline", headers=owner)).json()
    price = next(e for e in timeline if e["kind"] == "price_adjusted")
    assert price["detail"]["from"] == "20.00" and price["detail"]["to"] == "18.00"


async def test_ord7_status_change_reaches_customer_service_inbox(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    service = await tenant.headers("customer_service")
    sku = await stocked_sku(client, owner, 5, "10.00")
    order = (await client.post(BASE, json=order_body((sku, 1)), headers=owner)).json()
    paid = await client.post(
        f"{BASE}/{order['id']}/payments", json={"method": "cash", "amount": "10.00"}, headers=owner
    )
    assert paid.status_code == 201
    inbox = (await client.get("/api/v1/inbox", headers=service)).json()["items"]
    assert any(
        m["topic"] == "order.status_changed" and order["number"] in m["title"] for m in inbox
    )


async def test_ord1_reading_needs_orders_read_and_other_tenants_see_nothing(
    tenant: TenantHandle, new_tenant: TenantFactory, client: httpx.AsyncClient
) -> None:
    """ORD-1, PLT-2: reading needs ``orders:read``; PLT-1: another tenant's owner (every
    permission) gets 404 for the order and finds it in none of its lists."""
    owner = await tenant.headers("owner")
    sku = await stocked_sku(client, owner, 2)
    order = (await client.post(BASE, json=order_body((sku, 1)), headers=owner)).json()
    staff = await tenant.headers("staff")
    assert (await client.get(f"{BASE}/{order['id']}", headers=staff)).status_code == 403
    warehouse = await tenant.headers("warehouse")
    assert (await client.get(f"{BASE}/{order['id']}", headers=warehouse)).status_code == 200
    assert (
        await client.post(BASE, json=order_body((sku, 1)), headers=warehouse)
    ).status_code == 403
    other = await (await new_tenant()).headers("owner")
    for path in (f"{BASE}/{order['id']}", f"{BASE}/{order['id']}/timeline"):
        hidden = await client.get(path, headers=other)
        assert hidden.status_code == 404, hidden.text
        assert order["number"] not in hidden.text
    for path, params in (
        (BASE, {}),
        (BASE, {"status": "pending_payment"}),
        (f"{BASE}/queue", {}),
        (f"{BASE}/queue", {"q": order["number"]}),
    ):
        listed = await client.get(path, params=params, headers=other)
        assert listed.status_code == 200, listed.text
        assert listed.json()["items"] == [], (path, params)
    # the order is still there for its own tenant's readers
    assert (await client.get(BASE, headers=warehouse)).json()["items"][0]["id"] == order["id"]


async def test_crm1_a_customers_orders_and_totals(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    made = await client.post(
        "/api/v1/customers", json={"name": "赵六", "phone": "13600002222"}, headers=owner
    )
    assert made.status_code == 201, made.text
    customer = made.json()["id"]
    sku = await stocked_sku(client, owner, 10, "12.50")
    bodies = [order_body((sku, n), customerId=customer) for n in (1, 2, 3)]
    placed = [(await client.post(BASE, json=b, headers=owner)).json() for b in bodies]
    await client.post(
        f"{BASE}/{placed[0]['id']}/payments",
        json={"method": "cash", "amount": "12.50"},
        headers=owner,
    )
    await client.post(
        f"{BASE}/{placed[2]['id']}/cancel",
        json={"reason": "不要了"},
        headers={**owner, "If-Match": f'"v{placed[2]["version"]}"'},
    )
    totals = (await client.get(f"{BASE}/customers/{customer}", headers=owner)).json()
    assert totals["orders"] == 2 and totals["total"] == "37.50" and totals["paid"] == "12.50"
    mine = (await client.get(BASE, params={"customerId": customer}, headers=owner)).json()
    assert len(mine["items"]) == 3
    unknown = await client.get(f"{BASE}/customers/{uuid.uuid4()}", headers=owner)
    assert unknown.status_code == 404


async def test_ord7_a_sweep_releasing_an_order_that_waited_for_stock_tells_customer_service(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """ORD-7 for the sweeps: the restock sweep moves an abnormal order back to review, and
    that status change reaches the customer service inbox like a person's change does."""
    from application.orders.sweeps import OrderSweeps
    from entrypoints.worker.tasks import worker_context

    owner = await tenant.headers("owner")
    service = await tenant.headers("customer_service")
    shop = await channel(client, owner)
    warehouse = (
        await client.post(
            "/api/v1/inventory/warehouses", json={"code": "MK-7", "name": "仓"}, headers=owner
        )
    ).json()["id"]
    sku = await stocked_sku(client, owner, 1, warehouse=warehouse)
    body = {
        "lines": [{"skuId": sku, "quantity": 2, "unitPrice": "50.00", "platformOrderId": "TB7"}],
        "receiver": RECEIVER,
        "source": "marketplace",
        "channelId": shop,
        "platformOrderIds": ["TB7"],
        "payments": [{"method": "platform", "amount": "100.00", "transactionId": "ALI-7"}],
    }
    order = (await client.post(BASE, json=body, headers=owner)).json()
    assert order["status"] == "abnormal"
    receipt = {"skuId": sku, "warehouseId": warehouse, "quantity": 5}
    assert (
        await client.post("/api/v1/inventory/receipts", json=receipt, headers=owner)
    ).status_code == 201

    async def told() -> list[str]:
        inbox = (await client.get("/api/v1/inbox", headers=service)).json()["items"]
        return [m["id"] for m in inbox if order["number"] in m["title"]]

    before = await told()
    context = lambda tenant_id: worker_context(tenant_id, "orders.restock")  # noqa: E731
    assert (await tenant.container.get(OrderSweeps).restock_everywhere(context))[tenant.id] == 1
    assert len(await told()) == len(before) + 1  # abnormal → awaiting review, told once
