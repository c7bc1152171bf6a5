"""Over HTTP (ORD-1, ORD-4, ORD-5): the tenant's automatic-merge wait is read and set
(``orders:rules``; null switches it off), and the orders awaiting review are reviewed
again by the current rule set a page at a time, the cursor leading to the next page — or
all of them by a job, followed at ``/api/v1/jobs/{id}``."""

from __future__ import annotations

from uuid import UUID

import httpx

from application.orders.review_job import WaitingReviews
from tests.conftest import TenantHandle
from tests.e2e.orders.support import BASE, order_body, stocked_sku


async def test_ord4_the_automatic_merge_wait_is_a_tenant_setting(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    url = f"{BASE}/settings/auto-merge"
    assert (await client.get(url, headers=owner)).json() == {"minutes": None}
    put = await client.put(url, json={"minutes": 30}, headers=owner)
    assert put.status_code == 200 and put.json() == {"minutes": 30}
    assert (await client.get(url, headers=owner)).json() == {"minutes": 30}
    off = await client.put(url, json={"minutes": None}, headers=owner)
    assert off.status_code == 200 and off.json() == {"minutes": None}
    too_long = await client.put(url, json={"minutes": 7 * 24 * 60 + 1}, headers=owner)
    assert too_long.status_code == 422
    warehouse = await tenant.headers("warehouse")  # reads orders, does not set rules
    assert (await client.put(url, json={"minutes": 5}, headers=warehouse)).status_code == 403


async def _three_waiting_then_an_approving_rule(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> tuple[dict[str, str], list[str]]:
    """Three cash-on-delivery orders awaiting review (no rules yet), then a rule set that
    approves everything: the owner's headers and the orders' ids."""
    owner = await tenant.headers("owner")
    sku = await stocked_sku(client, owner, 10, price="20.00")
    waiting = []
    for _ in range(3):  # cash on delivery: awaiting review at once, no rules yet
        placed = await client.post(
            BASE, json=order_body((sku, 1), cashOnDelivery=True), headers=owner
        )
        assert placed.status_code == 201 and placed.json()["status"] == "awaiting_review"
        waiting.append(placed.json()["id"])
    rules = [{"id": "ok", "name": "自动审核", "priority": 1, "actions": [{"kind": "approve"}]}]
    saved = await client.put(
        f"{BASE}/rules", json={"rules": rules}, headers={**owner, "If-Match": '"v0"'}
    )
    assert saved.status_code == 200, saved.text
    return owner, waiting


async def test_ord1_orders_waiting_before_the_rules_are_reviewed_again_page_by_page(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner, waiting = await _three_waiting_then_an_approving_rule(tenant, client)
    url = f"{BASE}/rules/review-waiting"
    first = await client.post(url, json={"limit": 2}, headers=owner)
    assert first.status_code == 200, first.text
    assert first.json()["reviewed"] == 2 and first.json()["changed"] == 2
    cursor = first.json()["nextCursor"]
    assert cursor is not None
    last = await client.post(url, json={"limit": 2, "cursor": cursor}, headers=owner)
    assert last.json() == {"reviewed": 1, "changed": 1, "nextCursor": None}
    for order_id in waiting:
        order = (await client.get(f"{BASE}/{order_id}", headers=owner)).json()
        assert order["status"] == "approved"
    again = await client.post(url, json={}, headers=owner)
    assert again.json() == {"reviewed": 0, "changed": 0, "nextCursor": None}


async def test_ord1_every_waiting_order_is_reviewed_by_a_job_followed_at_its_url(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner, waiting = await _three_waiting_then_an_approving_rule(tenant, client)
    url = f"{BASE}/rules/review-waiting/jobs"
    warehouse = await tenant.headers("warehouse")  # reads orders, does not set rules
    assert (await client.post(url, headers=warehouse)).status_code == 403
    started = await client.post(url, headers=owner)
    assert started.status_code == 202, started.text
    job = started.json()
    assert job["kind"] == "orders.review_waiting" and job["status"] == "queued"
    assert started.headers["location"] == f"/api/v1/jobs/{job['id']}"
    # the worker's task, run here
    await tenant.container.get(WaitingReviews).run(tenant.id, UUID(job["id"]))
    followed = (await client.get(started.headers["location"], headers=owner)).json()
    assert followed["status"] == "succeeded" and followed["done"] == 3
    assert followed["progress"] == 1.0
    for order_id in waiting:
        order = (await client.get(f"{BASE}/{order_id}", headers=owner)).json()
        assert order["status"] == "approved"


async def test_ord1_plt2_whoever_starts_the_review_job_follows_it_without_jobs_read(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """A custom role that may set the rules (``orders:rules``) but not read every job
    (``jobs:read``): its holder follows the job they started, and no other (decision 105)."""
    owner = await tenant.headers("owner")
    role = {"key": "rules_editor", "name": "审单规则", "permissions": ["orders:rules"]}
    assert (await client.post("/api/v1/roles", json=role, headers=owner)).status_code == 201
    editor = await tenant.login(await tenant.add_user(["rules_editor"]))
    mine = {"Authorization": f"Bearer {editor['accessToken']}", "Accept-Language": "en"}
    started = await client.post(f"{BASE}/rules/review-waiting/jobs", headers=mine)
    assert started.status_code == 202, started.text
    await tenant.container.get(WaitingReviews).run(tenant.id, UUID(started.json()["id"]))
    followed = await client.get(started.headers["location"], headers=mine)
    assert followed.status_code == 200, followed.text
    assert followed.json()["status"] == "succeeded"
    # The owner's job is not theirs: refused, as before, for want of jobs:read.
    owners = await client.post(f"{BASE}/rules/review-waiting/jobs", headers=owner)
    refused = await client.get(owners.headers["location"], headers=mine)
    assert refused.status_code == 403 and "jobs:read" in refused.json()["title"]
    assert (await client.get("/api/v1/jobs", headers=mine)).status_code == 403
