"""The tenant's risk policy over HTTP (ORD-5): the defaults, set by who may change the
rules, refused whole with each field named, audited, and used by the review."""

from __future__ import annotations

import httpx

from tests.conftest import TenantHandle
from tests.e2e.orders.support import BASE, order_body, stocked_sku

URL = f"{BASE}/settings/risk-policy"
DEFAULTS = {
    "farAboveFactor": "5",
    "farAbovePoints": 40,
    "manyOrders": 5,
    "manyOrdersPoints": 30,
    "highAmount": "2000.00",
    "newCustomerPoints": 35,
    "suspectFrom": 60,
    "windowHours": 24,
}
FRAUD_RULES = [
    {
        "id": "risky",
        "name": "可疑订单",
        "priority": 1,
        "conditions": [{"kind": "risk_score_at_least", "score": 30}],
        "actions": [{"kind": "mark_abnormal", "type": "suspected_fraud"}],
    }
]


async def test_ord5_the_risk_policy_is_the_tenants_own_and_the_review_uses_it(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    assert (await client.get(URL, headers=owner)).json() == DEFAULTS
    service = await tenant.headers("customer_service")
    assert (await client.get(URL, headers=service)).status_code == 403
    assert (await client.put(URL, json={}, headers=service)).status_code == 403
    bad = await client.put(
        URL,
        json={"manyOrders": 0, "highAmount": "0.001"},
        headers={**owner, "Accept-Language": "en"},
    )
    assert bad.status_code == 422, bad.text
    assert {e["field"] for e in bad.json()["errors"]} == {"manyOrders", "highAmount"}
    assert (await client.get(URL, headers=owner)).json() == DEFAULTS  # nothing changed

    saved = await client.put(
        f"{BASE}/rules", json={"rules": FRAUD_RULES}, headers={**owner, "If-Match": '"v0"'}
    )
    assert saved.status_code == 200, saved.text
    sku = await stocked_sku(client, owner, 10, "500.00")
    customer = (
        await client.post("/api/v1/customers", json={"name": "周九"}, headers=owner)
    ).json()["id"]

    async def paid_order() -> dict[str, object]:
        placed = await client.post(
            BASE, json=order_body((sku, 1), customerId=customer), headers=owner
        )
        assert placed.status_code == 201, placed.text
        paid = await client.post(
            f"{BASE}/{placed.json()['id']}/payments",
            json={"method": "cash", "amount": "500.00"},
            headers=owner,
        )
        assert paid.status_code == 201, paid.text
        result: dict[str, object] = paid.json()
        return result

    calm = await paid_order()  # a new customer's 500.00 is below the default 2,000.00
    assert calm["status"] == "awaiting_review"

    tuned = await client.put(URL, json={"highAmount": "300.00", "windowHours": 6}, headers=owner)
    assert tuned.status_code == 200, tuned.text
    assert tuned.json() == {**DEFAULTS, "highAmount": "300.00", "windowHours": 6}
    assert (await client.get(URL, headers=owner)).json() == tuned.json()
    audit = await client.get(
        "/api/v1/audit", params={"action": "order_settings.update"}, headers=owner
    )
    assert audit.status_code == 200, audit.text
    outcomes = sorted(r["outcome"] for r in audit.json()["items"])
    assert outcomes.count("success") == 1, outcomes  # the refused attempts are not changes
    (done,) = [r for r in audit.json()["items"] if r["outcome"] == "success"]
    assert "300.00" in str(done["changes"]) and "2000.00" in str(done["changes"])

    # the customer has one earlier order now: no longer new; a fresh customer is
    customer = (
        await client.post("/api/v1/customers", json={"name": "吴十"}, headers=owner)
    ).json()["id"]
    suspected = await paid_order()
    assert suspected["status"] == "abnormal"
    (fraud,) = suspected["abnormalities"]  # type: ignore[misc]
    assert fraud["type"] == "suspected_fraud" and fraud["riskScore"] == 35
    assert fraud["riskReasons"] == ["new_customer_high_amount"]
