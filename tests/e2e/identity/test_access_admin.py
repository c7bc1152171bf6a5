"""Tenant admins manage custom roles and read the audit (PLT-2, PLT-3)."""

from __future__ import annotations

import httpx

from tests.conftest import TenantFactory, TenantHandle


async def test_custom_role_grants_its_permissions_to_the_next_request(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    email = await tenant.add_user(["staff"])
    staff = {"Authorization": f"Bearer {(await tenant.login(email))['accessToken']}"}
    assert (await client.get("/api/v1/audit", headers=staff)).status_code == 403

    created = await client.post(
        "/api/v1/roles",
        json={"key": "auditor", "name": "审计员", "permissions": ["audit:read"]},
        headers=owner,
    )
    assert created.status_code == 201, created.text
    assert created.headers["etag"] == '"v1"'
    users = (await client.get("/api/v1/users", headers=owner)).json()
    user = next(u for u in users if u["email"] == email)
    staff_role = next(
        r for r in (await client.get("/api/v1/roles", headers=owner)).json() if r["key"] == "staff"
    )

    assign = await client.put(
        f"/api/v1/users/{user['id']}/roles",
        json={"roles": ["staff", "auditor"]},
        headers={**owner, "If-Match": f'"v{user["version"]}"'},
    )
    assert assign.status_code == 200, assign.text
    assert set(assign.json()["roleIds"]) == {staff_role["id"], created.json()["id"]}
    assert (await client.get("/api/v1/audit", headers=staff)).status_code == 200


async def test_role_updates_need_the_current_etag(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    role = (
        await client.post(
            "/api/v1/roles",
            json={"key": "packer", "name": "Packer", "permissions": []},
            headers=owner,
        )
    ).json()
    url = f"/api/v1/roles/{role['id']}"
    missing = await client.patch(url, json={"name": "Packer 2"}, headers=owner)
    assert missing.status_code == 428
    assert missing.json()["code"] == "precondition_required"
    ok = await client.patch(url, json={"name": "Packer 2"}, headers={**owner, "If-Match": '"v1"'})
    assert ok.status_code == 200
    assert ok.headers["etag"] == '"v2"'
    stale = await client.patch(
        url, json={"name": "Packer 3"}, headers={**owner, "If-Match": '"v1"'}
    )
    assert stale.status_code == 412
    fetched = await client.get(url, headers=owner)
    assert fetched.json()["name"] == "Packer 2"
    assert fetched.headers["etag"] == '"v2"'
    assert (await client.delete(url, headers={**owner, "If-Match": '"v2"'})).status_code == 204
    assert (await client.get(url, headers=owner)).status_code == 404


async def test_builtin_roles_cannot_be_changed(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    staff = next(
        r for r in (await client.get("/api/v1/roles", headers=owner)).json() if r["key"] == "staff"
    )
    response = await client.patch(
        f"/api/v1/roles/{staff['id']}",
        json={"permissions": ["customers:erase"]},
        headers={**owner, "If-Match": f'"v{staff["version"]}"', "Accept-Language": "en"},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "builtin_role_immutable"
    assert "staff" in response.json()["title"]


async def test_unknown_permissions_are_a_validation_error(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    response = await client.post(
        "/api/v1/roles",
        json={"key": "weird", "name": "Weird", "permissions": ["customers:teleport"]},
        headers={**(await tenant.headers("owner")), "Accept-Language": "zh-TW"},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "unknown_permission"
    assert body["errors"][0]["field"] == "permissions"
    assert "未知權限" in body["title"]


async def test_malformed_body_is_a_problem_in_the_callers_language(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    response = await client.post(
        "/api/v1/roles",
        json={"key": "x"},
        headers={**(await tenant.headers("owner")), "Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "invalid_request"
    assert response.json()["title"] == "The request is malformed."

    listed = await client.get(
        "/api/v1/audit",
        params={"limit": "many"},
        headers={**(await tenant.headers("owner")), "Accept-Language": "zh-CN"},
    )
    assert listed.status_code == 400
    field = listed.json()["errors"][0]
    assert (field["field"], field["code"]) == ("limit", "invalid_value")
    assert field["message"] == "该值的类型不正确。" and field["detail"]  # the decoder's words


async def test_audit_records_success_and_denial_and_filters(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    staff = await tenant.headers("staff")
    denied = await client.post(
        "/api/v1/roles", json={"key": "sneaky", "name": "Sneaky", "permissions": []}, headers=staff
    )
    assert denied.status_code == 403
    created = await client.post(
        "/api/v1/roles", json={"key": "helper", "name": "Helper", "permissions": []}, headers=owner
    )
    assert created.status_code == 201

    entries = (
        await client.get("/api/v1/audit", params={"action": "role.create"}, headers=owner)
    ).json()
    outcomes = sorted(e["outcome"] for e in entries["items"])
    assert outcomes == ["denied", "success"]
    success = next(e for e in entries["items"] if e["outcome"] == "success")
    assert success["entityId"] == created.json()["id"]
    assert {"field": "name", "before": None, "after": "Helper"} in success["changes"]
    assert success["ip"] == "203.0.113.7"
    assert success["requestId"] == created.headers["x-request-id"]

    by_entity = await client.get(
        "/api/v1/audit",
        params={"entityType": "role", "entityId": created.json()["id"]},
        headers=owner,
    )
    assert [e["action"] for e in by_entity.json()["items"]] == ["role.create"]


async def test_audit_pages_with_a_cursor(tenant: TenantHandle, client: httpx.AsyncClient) -> None:
    owner = await tenant.headers("owner")
    for n in range(5):
        await client.post(
            "/api/v1/roles",
            json={"key": f"r{n}x", "name": f"R{n}", "permissions": []},
            headers=owner,
        )
    seen: list[str] = []
    cursor = None
    while True:
        params = {"action": "role.create", "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/api/v1/audit", params=params, headers=owner)).json()
        seen += [e["id"] for e in page["items"]]
        cursor = page["nextCursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 5
    bad = await client.get("/api/v1/audit", params={"cursor": "%%%"}, headers=owner)
    assert bad.status_code == 422


async def test_a_common_password_is_refused_in_the_callers_language(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """#9, item 10: long enough is not enough; a common password is a 422 naming it."""
    response = await client.post(
        "/api/v1/users",
        json={
            "email": "weak@example.com",
            "displayName": "Weak",
            "password": "password1234",
            "roles": ["staff"],
        },
        headers={**(await tenant.headers("owner")), "Accept-Language": "zh-CN"},
    )
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "password_too_weak"
    assert body["errors"][0]["field"] == "password"
    assert "太容易被猜到" in body["title"]


async def test_one_user_is_read_with_its_etag_and_another_companys_is_not_found(
    new_tenant: TenantFactory, client: httpx.AsyncClient
) -> None:
    tenant, other = await new_tenant(), await new_tenant()
    owner = await tenant.headers("owner")
    email = await tenant.add_user(["staff"])
    listed = next(
        u for u in (await client.get("/api/v1/users", headers=owner)).json() if u["email"] == email
    )
    url = f"/api/v1/users/{listed['id']}"
    one = await client.get(url, headers=owner)
    assert one.status_code == 200, one.text
    assert one.json() == listed
    assert one.headers["etag"] == f'"v{listed["version"]}"'
    elsewhere = await client.get(url, headers=await other.headers("owner"))
    assert elsewhere.status_code == 404
    assert elsewhere.json()["code"] == "not_found"
    email_of_staff = await tenant.add_user(["staff"])
    staff = {"Authorization": f"Bearer {(await tenant.login(email_of_staff))['accessToken']}"}
    assert (await client.get(url, headers=staff)).status_code == 403  # users:read, as the list
