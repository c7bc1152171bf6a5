"""The work queue over HTTP on the real database (ORD-8, ORD-5): orders by priority,
amount, age and time left to their abnormality's target, with filters, page by page;
saved views (own and shared) with ETags; the abnormal queue by type; bulk assignment of a
warehouse and a carrier with a result per order."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.conftest import TenantHandle
from tests.e2e.orders.support import BASE, RECEIVER, channel, order_body, stocked_sku


async def _numbers(client: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> list[str]:
    response = await client.get(f"{BASE}/queue", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [o["number"] for o in response.json()["items"]]


async def _worked_example(
    client: httpx.AsyncClient, owner: dict[str, str]
) -> tuple[dict[str, Any], ...]:
    """Four orders placed in this order: A 10.00, B 30.00, C 20.00 (then priority 5), and M
    from a marketplace 100.00 with its SKU out of stock (abnormal, a 48-hour target)."""
    sku = await stocked_sku(client, owner, 10, "10.00")
    placed = []
    for units in (1, 3, 2):
        response = await client.post(BASE, json=order_body((sku, units)), headers=owner)
        assert response.status_code == 201, response.text
        placed.append(response.json())
    a, b, c = placed
    raised = await client.post(
        f"{BASE}/{c['id']}/priority",
        json={"priority": 5, "reason": "VIP"},
        headers={**owner, "If-Match": f'"v{c["version"]}"'},
    )
    assert raised.status_code == 200, raised.text
    assert raised.json()["priority"] == 5
    shop = await channel(client, owner, f"q{uuid.uuid4().hex[:6]}")
    scarce = await stocked_sku(client, owner, 0, "50.00")
    body = {
        "lines": [{"skuId": scarce, "quantity": 2, "unitPrice": "50.00"}],
        "receiver": RECEIVER,
        "source": "marketplace",
        "channelId": shop,
        "platformOrderIds": ["TB-QUEUE-1"],
    }
    m = (await client.post(BASE, json=body, headers=owner)).json()
    assert m["status"] == "abnormal" and m["dueAt"] is not None
    return a, b, c, m


async def test_ord8_queue_orders_and_filters_worked_example(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    a, b, c, m = await _worked_example(client, owner)
    n = {o["id"]: o["number"] for o in (a, b, c, m)}
    A, B, C, M = (n[o["id"]] for o in (a, b, c, m))
    assert await _numbers(client, owner) == [C, A, B, M]  # priority, then oldest
    assert await _numbers(client, owner, order="amount") == [M, B, C, A]
    assert await _numbers(client, owner, order="age") == [A, B, C, M]
    assert await _numbers(client, owner, order="time_left") == [M, A, B, C]  # no target last
    assert await _numbers(client, owner, amountMin="15", amountMax="30") == [C, B]
    assert await _numbers(client, owner, abnormalType="out_of_stock") == [M]
    assert await _numbers(client, owner, status=["pending_payment"], order="age") == [A, B, C]
    assert await _numbers(client, owner, q=A) == [A]
    assert await _numbers(client, owner, q="TB-QUEUE-1") == [M]
    assert await _numbers(client, owner, channelId=m["channelId"]) == [M]
    # keyset pages of one give the same queue in every ordering
    for ordering in ("priority", "amount", "age", "time_left"):
        seen, cursor = [], None
        while True:
            params = {"order": ordering, "limit": 1, **({"cursor": cursor} if cursor else {})}
            page = (await client.get(f"{BASE}/queue", params=params, headers=owner)).json()
            seen += [o["number"] for o in page["items"]]
            cursor = page["nextCursor"]
            if cursor is None:
                break
        assert seen == await _numbers(client, owner, order=ordering), ordering
    abnormal = (await client.get(f"{BASE}/abnormal", headers=owner)).json()
    assert abnormal == [
        {
            "type": "out_of_stock",
            "release": "automatic",
            "targetHours": 48.0,
            "orders": 1,
            "overdue": 0,
            "oldestSince": abnormal[0]["oldestSince"],
        }
    ]
    bad = await client.get(f"{BASE}/queue", params={"cursor": "bm90LWEta2V5"}, headers=owner)
    assert bad.status_code == 422


async def test_ord8_saved_views_crud_with_etags_and_who_sees_them(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    service = await tenant.headers("customer_service")
    warehouse = await tenant.headers("warehouse")
    _, b, c, m = await _worked_example(client, owner)
    body = {"name": "大额待付款", "order": "amount", "filters": {"amountMin": "15"}}
    made = await client.post(f"{BASE}/views", json=body, headers=warehouse)
    assert made.status_code == 201, made.text
    view = made.json()
    assert view["shared"] is False and view["filters"] == {"amountMin": "15"}
    assert made.headers["etag"] == '"v1"' and made.headers["location"].endswith(view["id"])
    queue = await _numbers(client, warehouse, view=view["id"])
    assert queue == [m["number"], b["number"], c["number"]]
    # filters given with a view narrow it; an ordering given replaces its own
    assert await _numbers(client, warehouse, view=view["id"], amountMax="30", order="age") == [
        b["number"],
        c["number"],
    ]
    # another user does not see it, and cannot read, use, change or delete it
    assert (await client.get(f"{BASE}/views/{view['id']}", headers=service)).status_code == 404
    assert (await client.get(f"{BASE}/views", headers=service)).json() == []
    used = await client.get(f"{BASE}/queue", params={"view": view["id"]}, headers=service)
    assert used.status_code == 404
    # only orders:review shares a view
    shared = {**body, "name": "异常单", "shared": True, "filters": {"abnormalType": "out_of_stock"}}
    refused = await client.post(f"{BASE}/views", json=shared, headers=warehouse)
    assert refused.status_code == 403
    shared_view = (await client.post(f"{BASE}/views", json=shared, headers=service)).json()
    listed = await client.get(f"{BASE}/views", headers=warehouse)
    assert [v["name"] for v in listed.json()] == ["大额待付款", "异常单"]
    assert await _numbers(client, warehouse, view=shared_view["id"]) == [m["number"]]
    # updates and deletes need If-Match
    change = {"name": "大额", "order": "age", "filters": {"amountMin": "25"}}
    url = f"{BASE}/views/{view['id']}"
    assert (await client.put(url, json=change, headers=warehouse)).status_code == 428
    stale = await client.put(url, json=change, headers={**warehouse, "If-Match": '"v7"'})
    assert stale.status_code == 412
    changed = await client.put(url, json=change, headers={**warehouse, "If-Match": '"v1"'})
    assert changed.status_code == 200, changed.text
    assert changed.headers["etag"] == '"v2"' and changed.json()["name"] == "大额"
    assert await _numbers(client, warehouse, view=view["id"]) == [b["number"], m["number"]]
    shared_url = f"{BASE}/views/{shared_view['id']}"
    not_theirs = await client.delete(shared_url, headers={**warehouse, "If-Match": '"v1"'})
    assert not_theirs.status_code == 403
    gone = await client.delete(url, headers={**warehouse, "If-Match": '"v2"'})
    assert gone.status_code == 204
    assert (await client.get(url, headers=warehouse)).status_code == 404


async def test_ord8_bulk_assign_warehouse_and_carrier_with_a_result_per_order(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    sku = await stocked_sku(client, owner, 10, "10.00")
    ids = [
        (await client.post(BASE, json=order_body((sku, 1)), headers=owner)).json()["id"]
        for _ in range(2)
    ]
    cancelled = (await client.post(BASE, json=order_body((sku, 1)), headers=owner)).json()
    done = await client.post(
        f"{BASE}/{cancelled['id']}/cancel",
        json={"reason": "不要了"},
        headers={**owner, "If-Match": f'"v{cancelled["version"]}"'},
    )
    assert done.status_code == 200
    made = await client.post(
        "/api/v1/inventory/warehouses", json={"code": "BJ-1", "name": "北京仓"}, headers=owner
    )
    beijing = made.json()["id"]
    receipt = {"skuId": sku, "warehouseId": beijing, "quantity": 2}  # the stock moves there
    assert (
        await client.post("/api/v1/inventory/receipts", json=receipt, headers=owner)
    ).status_code == 201
    missing = str(uuid.uuid4())
    assigned = await client.post(
        f"{BASE}/bulk",
        json={
            "action": "assign_warehouse",
            "orderIds": [*ids, cancelled["id"], missing],
            "warehouseId": beijing,
        },
        headers={**owner, "Accept-Language": "en"},
    )
    assert assigned.status_code == 200, assigned.text
    results = {r["orderId"]: r for r in assigned.json()}
    assert all(results[i]["done"] for i in ids)
    assert not results[cancelled["id"]]["done"]
    assert results[cancelled["id"]]["code"] == "order_not_editable"
    assert results[missing]["code"] == "not_found"
    for order_id in ids:
        order = (await client.get(f"{BASE}/{order_id}", headers=owner)).json()
        assert order["warehouseId"] == beijing
    assert await _numbers(client, owner, warehouseId=beijing, order="age") == [
        (await client.get(f"{BASE}/{i}", headers=owner)).json()["number"] for i in ids
    ]
    carriers = await client.post(
        f"{BASE}/bulk",
        json={"action": "assign_carrier", "orderIds": ids, "carrier": "sf"},
        headers=owner,
    )
    assert [r["done"] for r in carriers.json()] == [True, True]
    timeline = (await client.get(f"{BASE}/{ids[0]}/timeline", headers=owner)).json()
    assert [e["kind"] for e in timeline][-2:] == ["warehouse_assigned", "carrier_assigned"]
    unknown = await client.post(
        f"{BASE}/bulk",
        json={"action": "assign_warehouse", "orderIds": ids, "warehouseId": missing},
        headers=owner,
    )
    assert {r["code"] for r in unknown.json()} == {"not_found"}
    no_carrier = await client.post(
        f"{BASE}/bulk", json={"action": "assign_carrier", "orderIds": ids}, headers=owner
    )
    assert no_carrier.status_code == 422
    prioritised = await client.post(
        f"{BASE}/bulk",
        json={"action": "set_priority", "orderIds": [ids[1]], "priority": 9},
        headers=owner,
    )
    assert prioritised.json()[0]["done"]
    assert (await _numbers(client, owner))[0] == (
        await client.get(f"{BASE}/{ids[1]}", headers=owner)
    ).json()["number"]
