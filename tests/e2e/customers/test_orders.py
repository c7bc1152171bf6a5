"""A customer's orders and totals on their profile (CRM-1), read from the customers
module's own route through the orders module's port."""

from __future__ import annotations

import uuid
from decimal import Decimal

import httpx

from tests.conftest import TenantHandle
from tests.e2e.orders.support import BASE, order_body, stocked_sku

CUSTOMERS = "/api/v1/customers"


async def test_crm1_the_profile_shows_the_customers_orders_totals_and_last_order(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    made = await client.post(
        CUSTOMERS, json={"name": "赵六", "phone": "13600002222"}, headers=owner
    )
    assert made.status_code == 201, made.text
    customer = made.json()["id"]
    other = (await client.post(CUSTOMERS, json={"name": "钱七"}, headers=owner)).json()["id"]
    sku = await stocked_sku(client, owner, 20, "12.50")
    second = await stocked_sku(client, owner, 20, "0.01")
    placed = [
        (await client.post(BASE, json=order_body((sku, n), customerId=customer), headers=owner))
        for n in (1, 2, 3)
    ]
    assert all(p.status_code == 201 for p in placed), [p.text for p in placed]
    first, _, third = (p.json() for p in placed)
    await client.post(
        f"{BASE}/{first['id']}/payments", json={"method": "cash", "amount": "12.50"}, headers=owner
    )
    cancelled = await client.post(
        f"{BASE}/{third['id']}/cancel",
        json={"reason": "不要了"},
        headers={**owner, "If-Match": placed[2].headers["etag"]},
    )
    assert cancelled.status_code == 200, cancelled.text
    # an order split in two: the parts stand for it, the original is not listed nor counted
    two_lines = await client.post(
        BASE, json=order_body((sku, 1), (second, 3), customerId=customer), headers=owner
    )
    whole = two_lines.json()
    split = await client.post(
        f"{BASE}/{whole['id']}/split",
        json={"by": "lines", "lineIds": [whole["lines"][1]["id"]], "reason": "分开发"},
        headers={**owner, "If-Match": two_lines.headers["etag"]},
    )
    assert split.status_code == 200, split.text
    parts = {p["id"] for p in split.json()}
    await client.post(BASE, json=order_body((sku, 1), customerId=other), headers=owner)

    profile = await client.get(f"{CUSTOMERS}/{customer}", headers=owner)
    assert profile.headers["link"] == f'<{CUSTOMERS}/{customer}/orders>; rel="orders"'
    response = await client.get(f"{CUSTOMERS}/{customer}/orders", headers=owner)
    assert response.status_code == 200, response.text
    found = response.json()
    # 12.50 + 25.00 + the parts (12.50 and 0.03); the cancelled 37.50 is not counted
    assert (found["orders"], found["total"], found["paid"]) == (4, "50.03", "12.50")
    assert Decimal(found["total"]) == Decimal("12.50") + Decimal("25.00") + Decimal("12.53")
    listed = [o["id"] for o in found["recent"]["items"]]
    assert set(listed) == {first["id"], placed[1].json()["id"], third["id"], *parts}
    assert whole["id"] not in listed
    statuses = {o["id"]: o["status"] for o in found["recent"]["items"]}
    assert statuses[third["id"]] == "cancelled"
    assert found["lastOrder"]["id"] == listed[0]
    assert found["lastPlacedAt"] is not None and found["firstPlacedAt"] == first["placedAt"]

    # a page at a time: the last order stays the newest, the pages add up to the list
    page = (await client.get(f"{CUSTOMERS}/{customer}/orders?limit=2", headers=owner)).json()
    assert [o["id"] for o in page["recent"]["items"]] == listed[:2]
    rest = await client.get(
        f"{CUSTOMERS}/{customer}/orders",
        params={"limit": 10, "cursor": page["recent"]["nextCursor"]},
        headers=owner,
    )
    assert [o["id"] for o in rest.json()["recent"]["items"]] == listed[2:]
    assert rest.json()["lastOrder"]["id"] == listed[0]
    assert rest.json()["recent"]["nextCursor"] is None


async def test_crm1_a_customer_without_orders_and_an_unknown_customer(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    made = await client.post(CUSTOMERS, json={"name": "孙八"}, headers=owner)
    empty = (await client.get(f"{CUSTOMERS}/{made.json()['id']}/orders", headers=owner)).json()
    assert (empty["orders"], empty["total"], empty["paid"]) == (0, "0.00", "0.00")
    assert empty["lastOrder"] is None and empty["recent"]["items"] == []
    unknown = await client.get(f"{CUSTOMERS}/{uuid.uuid4()}/orders", headers=owner)
    assert unknown.status_code == 404
    staff = await tenant.headers("staff")
    refused = await client.get(f"{CUSTOMERS}/{made.json()['id']}/orders", headers=staff)
    assert refused.status_code == 403
