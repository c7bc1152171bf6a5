"""#9 item 21: reads that say who people are — the audit shows who acted by name and
email and filters by email, ``/auth/me`` returns the user's email and name, ``/users``
returns role keys."""

from __future__ import annotations

import httpx

from tests.conftest import TenantHandle


async def test_me_says_who_the_user_is(tenant: TenantHandle, client: httpx.AsyncClient) -> None:
    email = await tenant.add_user(["staff", "warehouse"])
    tokens = await tenant.login(email)
    me = await client.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {tokens['accessToken']}"}
    )
    assert me.status_code == 200, me.text
    body = me.json()
    assert body["email"] == email and body["name"] == f"User {email}"
    assert body["kind"] == "user" and body["actor"].startswith("user:")
    assert body["roles"] == ["staff", "warehouse"] and body["locale"] == "zh-CN"
    assert "catalog:read" in body["permissions"]


async def test_me_names_an_api_key(tenant: TenantHandle, client: httpx.AsyncClient) -> None:
    created = await client.post(
        "/api/v1/api-keys",
        json={"name": "ERP 同步", "permissions": ["catalog:read"]},
        headers=await tenant.headers("owner"),
    )
    assert created.status_code == 201, created.text
    me = await client.get("/api/v1/auth/me", headers={"X-API-Key": created.json()["key"]})
    assert me.status_code == 200, me.text
    body = me.json()
    assert (body["kind"], body["name"], body["email"], body["roles"]) == (
        "api_key",
        "ERP 同步",
        None,
        [],
    )


async def test_users_carry_their_role_keys(tenant: TenantHandle, client: httpx.AsyncClient) -> None:
    owner = await tenant.headers("owner")
    email = await tenant.add_user(["staff"])
    listed = (await client.get("/api/v1/users", headers=owner)).json()
    mine = next(u for u in listed if u["email"] == email)
    assert mine["roles"] == ["staff"]
    assert next(u for u in listed if u["email"] == tenant.owner_email)["roles"] == ["owner"]
    changed = await client.put(
        f"/api/v1/users/{mine['id']}/roles",
        json={"roles": ["warehouse", "staff"]},
        headers={**owner, "If-Match": f'"v{mine["version"]}"'},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["roles"] == ["staff", "warehouse"]


async def test_the_audit_says_who_acted_and_filters_by_email(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    created = await client.post(
        "/api/v1/roles", json={"key": "packer", "name": "打包员", "permissions": []}, headers=owner
    )
    assert created.status_code == 201
    staff_email = await tenant.add_user(["staff"])
    staff = {"Authorization": f"Bearer {(await tenant.login(staff_email))['accessToken']}"}
    denied = await client.post(
        "/api/v1/roles", json={"key": "x", "name": "X", "permissions": []}, headers=staff
    )
    assert denied.status_code == 403

    trail = await client.get("/api/v1/audit", params={"action": "role.create"}, headers=owner)
    by_outcome = {e["outcome"]: e for e in trail.json()["items"]}
    owner_name = by_outcome["success"]["actorName"]
    assert tenant.owner_email in owner_name and "<" in owner_name
    assert by_outcome["denied"]["actorName"] == f"User {staff_email} <{staff_email}>"

    mine = await client.get(
        "/api/v1/audit",
        params={"actor": staff_email.upper(), "action": "role.create"},
        headers=owner,
    )
    assert [e["outcome"] for e in mine.json()["items"]] == ["denied"]
    nobody = await client.get(
        "/api/v1/audit", params={"actor": "nobody@example.com"}, headers=owner
    )
    assert nobody.status_code == 200 and nobody.json()["items"] == []
