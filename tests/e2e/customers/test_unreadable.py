"""One ciphertext that fails authentication fails for its own field of its own row only
(#9, item 7): the list still answers, that field is null and named in ``unreadable``, the
event is logged and audited, and the customer cannot be overwritten until it is readable."""

from __future__ import annotations

from uuid import UUID

import asyncpg
import httpx
from structlog.testing import capture_logs

from tests.conftest import TenantHandle
from tests.e2e.customers.test_api import BASE, create
from tests.support.databases import TestDatabase


async def test_a_moved_ciphertext_is_unreadable_for_its_field_only(
    tenant: TenantHandle, client: httpx.AsyncClient, database: TestDatabase
) -> None:
    owner = await tenant.headers("owner")
    first = await create(client, owner, name="张三", phone="13900000001")
    second = await create(client, owner, name="李四", phone="13900000002")
    # A ciphertext moved from one row to another: it was sealed for the first row, so
    # authentication fails on the second (as would an altered one).
    conn = await asyncpg.connect(database.owner_url)
    try:
        await conn.execute(
            "UPDATE customers SET phone_enc = (SELECT phone_enc FROM customers"
            " WHERE tenant_id = $1 AND id = $2) WHERE tenant_id = $1 AND id = $3",
            tenant.id,
            UUID(first["id"]),
            UUID(second["id"]),
        )
    finally:
        await conn.close()

    with capture_logs() as logs:
        listed = await client.get(BASE, headers=owner)
    assert listed.status_code == 200, listed.text
    by_id = {c["id"]: c for c in listed.json()["items"]}
    broken, fine = by_id[second["id"]], by_id[first["id"]]
    assert (broken["name"], broken["phone"], broken["unreadable"]) == ("李四", None, ["phone"])
    assert (fine["phone"], fine["unreadable"]) == ("+8613900000001", [])
    logged = [e for e in logs if e["event"] == "undecryptable_value"]
    assert [(e["row_id"], e["field"]) for e in logged] == [(second["id"], "customer.phone")]
    assert "phone_enc" not in str(logged)

    url = f"{BASE}/{second['id']}"
    read = await client.get(url, headers=owner)
    assert read.status_code == 200 and read.json()["unreadable"] == ["phone"]
    audit = await client.get(
        "/api/v1/audit",
        params={"entityId": second["id"], "action": "personal_data.unreadable"},
        headers=owner,
    )
    records = audit.json()["items"]
    assert len(records) == 2  # the list and the read
    assert {(r["outcome"], r["detail"]["field"]) for r in records} == {("failed", "customer.phone")}

    overwrite = await client.patch(
        url, json={"tags": ["x"]}, headers={**owner, "If-Match": '"v1"', "Accept-Language": "en"}
    )
    assert overwrite.status_code == 409 and overwrite.json()["code"] == "customer_unreadable"
    assert "(phone)" in overwrite.json()["title"]
    erased = await client.delete(url, headers={**owner, "If-Match": '"v1"'})
    assert erased.status_code == 204, erased.text
