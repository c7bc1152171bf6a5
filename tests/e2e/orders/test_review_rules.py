"""Review by the tenant's rule set over HTTP (审单; ORD-1, ORD-5): the rule set saved with
If-Match and versioned per rule; a dry-run against the orders awaiting review reports what
would change and why and changes nothing; a payment is then reviewed by the rules, and the
order's timeline names the rule, its version and the reason."""

from __future__ import annotations

import httpx

from tests.conftest import TenantHandle
from tests.e2e.orders.support import BASE, order_body, stocked_sku

RULES = [
    {
        "id": "big",
        "name": "大额订单人工复核",
        "priority": 10,
        "conditions": [{"kind": "amount_between", "min": "100"}],
        "actions": [{"kind": "hold", "hours": 4, "reason": "大额订单人工复核"}],
    },
    {"id": "rest", "name": "其余自动审核", "priority": 900, "actions": [{"kind": "approve"}]},
]


async def _pay(client: httpx.AsyncClient, headers: dict[str, str], order: dict) -> dict:  # type: ignore[type-arg]
    paid = await client.post(
        f"{BASE}/{order['id']}/payments",
        json={"method": "alipay", "amount": order["total"]},
        headers=headers,
    )
    assert paid.status_code == 201, paid.text
    return paid.json()  # type: ignore[no-any-return]


async def test_rules_review_paid_orders_and_a_dry_run_changes_nothing(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    sku = await stocked_sku(client, owner, 20, "30.00")
    # paid before any rule: it waits for a person
    waiting = await _pay(
        client, owner, (await client.post(BASE, json=order_body((sku, 4)), headers=owner)).json()
    )
    assert waiting["status"] == "awaiting_review"

    assert (await client.get(f"{BASE}/rules", headers=owner)).json() == {"version": 0, "rules": []}
    draft = await client.post(f"{BASE}/rules/dry-run", json={"rules": RULES}, headers=owner)
    assert draft.status_code == 200, draft.text
    (result,) = draft.json()
    assert result["orderId"] == waiting["id"]
    assert "status: awaiting_review → held" in result["changes"]
    hold = next(a for a in result["actions"] if a["rule"] == "big@v1")
    assert "120.00" in hold["because"][0]
    approve = next(a for a in result["actions"] if a["rule"] == "rest@v1")
    assert approve["skipped"]  # the hold wins
    unchanged = (await client.get(f"{BASE}/{waiting['id']}", headers=owner)).json()
    assert unchanged["status"] == "awaiting_review" and unchanged["version"] == waiting["version"]

    service = await tenant.headers("customer_service")
    denied = await client.put(
        f"{BASE}/rules", json={"rules": RULES}, headers={**service, "If-Match": '"v0"'}
    )
    assert denied.status_code == 403  # orders:rules stays with owner and admin
    assert (
        await client.put(f"{BASE}/rules", json={"rules": RULES}, headers=owner)
    ).status_code == 428
    bad = await client.put(
        f"{BASE}/rules",
        json={"rules": [{**RULES[0], "conditions": [{"kind": "amount_between", "min": "x"}]}]},
        headers={**owner, "If-Match": '"v0"', "Accept-Language": "en"},
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "rules[0].conditions[0].min"
    saved = await client.put(
        f"{BASE}/rules", json={"rules": RULES}, headers={**owner, "If-Match": '"v0"'}
    )
    assert saved.status_code == 200 and saved.headers["etag"] == '"v1"'
    assert [r["version"] for r in saved.json()["rules"]] == [1, 1]

    small = await _pay(
        client, owner, (await client.post(BASE, json=order_body((sku, 1)), headers=owner)).json()
    )
    assert small["status"] == "approved"
    big = await _pay(
        client, owner, (await client.post(BASE, json=order_body((sku, 5)), headers=owner)).json()
    )
    assert big["status"] == "held" and big["hold"]["reason"].startswith("大额订单人工复核 — ")
    timeline = (await client.get(f"{BASE}/{big['id']}/timeline", headers=owner)).json()
    why = timeline[-1]
    assert why["actor"] == "rule_engine" and why["rule"] == "big@v1"
    assert why["toStatus"] == "held" and "150.00" in why["reason"]

    # a changed rule gets a new version; the unchanged one keeps its own
    changed = [{**RULES[0], "conditions": [{"kind": "amount_between", "min": "200"}]}, RULES[1]]
    again = await client.put(
        f"{BASE}/rules", json={"rules": changed}, headers={**owner, "If-Match": '"v1"'}
    )
    assert again.status_code == 200 and again.headers["etag"] == '"v2"'
    assert [(r["id"], r["version"]) for r in again.json()["rules"]] == [("big", 2), ("rest", 1)]


FRAUD = [
    {
        "id": "fraud",
        "name": "疑似欺诈",
        "priority": 1,
        "conditions": [{"kind": "risk_score_at_least", "score": 60}],
        "actions": [{"kind": "mark_abnormal", "type": "suspected_fraud"}],
    }
]


async def test_the_risk_score_counts_orders_to_one_address_and_phone(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    sku = await stocked_sku(client, owner, 20, "10.00")
    saved = await client.put(
        f"{BASE}/rules", json={"rules": FRAUD}, headers={**owner, "If-Match": '"v0"'}
    )
    assert saved.status_code == 200, saved.text
    first = await _pay(
        client, owner, (await client.post(BASE, json=order_body((sku, 1)), headers=owner)).json()
    )
    assert first["status"] == "awaiting_review"  # one earlier order: no risk
    for _ in range(4):
        assert (
            await client.post(BASE, json=order_body((sku, 1)), headers=owner)
        ).status_code == 201
    sixth = await _pay(
        client, owner, (await client.post(BASE, json=order_body((sku, 1)), headers=owner)).json()
    )
    assert sixth["status"] == "abnormal", sixth
    (fraud,) = sixth["abnormalities"]
    assert fraud["type"] == "suspected_fraud" and fraud["release"] == "manual"
    assert fraud["riskScore"] == 60
    assert set(fraud["riskReasons"]) == {"many_orders_to_address", "many_orders_to_phone"}
    timeline = (await client.get(f"{BASE}/{sixth['id']}/timeline", headers=owner)).json()
    marked = next(e for e in timeline if e["kind"] == "abnormal_marked")
    assert marked["rule"] == "fraud@v1" and marked["actor"] == "rule_engine"
