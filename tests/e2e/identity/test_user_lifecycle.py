"""Deactivating, reactivating and deleting users (#9, item 12): ``users:manage``, no acting
on a user who outranks the caller, the last owner kept, and sessions ended at once."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
import httpx

from tests.conftest import TenantHandle
from tests.support.databases import TestDatabase


async def _user(client: httpx.AsyncClient, owner: dict[str, str], email: str) -> dict[str, Any]:
    users = (await client.get("/api/v1/users", headers=owner)).json()
    return next(u for u in users if u["email"] == email)  # type: ignore[no-any-return]


def _bearer(tokens: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['accessToken']}"}


def _versioned(headers: dict[str, str], user: dict[str, Any]) -> dict[str, str]:
    return {**headers, "If-Match": f'"v{user["version"]}"', "Accept-Language": "en"}


async def _set_active(
    client: httpx.AsyncClient, headers: dict[str, str], user: dict[str, Any], active: bool
) -> httpx.Response:
    return await client.patch(
        f"/api/v1/users/{user['id']}", json={"active": active}, headers=_versioned(headers, user)
    )


async def test_deactivation_ends_sessions_at_once_and_reactivation_lets_in_again(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    email = await tenant.add_user(["staff"])
    tokens = await tenant.login(email)
    assert (await client.get("/api/v1/auth/me", headers=_bearer(tokens))).status_code == 200
    user = await _user(client, owner, email)

    off = await _set_active(client, owner, user, False)
    assert off.status_code == 200, off.text
    assert off.json()["active"] is False
    assert off.headers["etag"] == f'"v{user["version"] + 1}"'
    assert (await client.get("/api/v1/auth/me", headers=_bearer(tokens))).status_code == 401
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refreshToken": tokens["refreshToken"]}
    )
    assert refreshed.status_code == 401
    stale = await _set_active(client, owner, user, True)
    assert stale.status_code == 412  # If-Match names the version before deactivation

    on = await _set_active(client, owner, off.json(), True)
    assert on.status_code == 200, on.text
    assert on.json()["active"] is True
    again = await tenant.login(email)
    assert (await client.get("/api/v1/auth/me", headers=_bearer(again))).status_code == 200


async def test_without_users_manage_a_user_cannot_be_changed_or_deleted(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    staff = await tenant.headers("staff")
    user = await _user(client, owner, await tenant.add_user([]))
    denied = await _set_active(client, staff, user, False)
    assert denied.status_code == 403, denied.text
    gone = await client.delete(f"/api/v1/users/{user['id']}", headers=_versioned(staff, user))
    assert gone.status_code == 403
    assert (await _user(client, owner, user["email"]))["active"] is True


async def test_a_user_manager_cannot_act_on_the_owner(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    role = await client.post(
        "/api/v1/roles",
        json={"key": "user_admin", "name": "User admin", "permissions": ["users:manage"]},
        headers=owner,
    )
    assert role.status_code == 201, role.text
    manager = _bearer(await tenant.login(await tenant.add_user(["user_admin"])))
    target = await _user(client, owner, tenant.owner_email)
    refused = await _set_active(client, manager, target, False)
    assert refused.status_code == 403
    assert refused.json()["code"] == "user_outranks_caller"
    deleted = await client.delete(
        f"/api/v1/users/{target['id']}", headers=_versioned(manager, target)
    )
    assert deleted.status_code == 403
    assert deleted.json()["code"] == "user_outranks_caller"
    # A user holding no more than the manager can be deactivated.
    peer = await _user(client, owner, await tenant.add_user([]))
    assert (await _set_active(client, manager, peer, False)).status_code == 200


async def test_the_last_owner_cannot_be_deactivated_or_deleted(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    me = await _user(client, owner, tenant.owner_email)
    off = await _set_active(client, owner, me, False)
    assert off.status_code == 409, off.text
    assert off.json()["code"] == "last_owner"
    gone = await client.delete(f"/api/v1/users/{me['id']}", headers=_versioned(owner, me))
    assert gone.status_code == 409
    assert gone.json()["code"] == "last_owner"

    second = await _user(client, owner, await tenant.add_user(["owner"]))
    assert (await _set_active(client, owner, second, False)).status_code == 200
    # The second owner is inactive, so the first is still the only active one.
    assert (await _set_active(client, owner, me, False)).status_code == 409


async def test_delete_removes_the_user_and_keeps_the_audit_readable(
    tenant: TenantHandle, client: httpx.AsyncClient, database: TestDatabase
) -> None:
    owner = await tenant.headers("owner")
    email = await tenant.add_user(["staff"])
    tokens = await tenant.login(email)
    user = await _user(client, owner, email)

    stale = await client.delete(
        f"/api/v1/users/{user['id']}", headers={**owner, "If-Match": '"v99"'}
    )
    assert stale.status_code == 412
    gone = await client.delete(f"/api/v1/users/{user['id']}", headers=_versioned(owner, user))
    assert gone.status_code == 204, gone.text
    assert (await client.get("/api/v1/auth/me", headers=_bearer(tokens))).status_code == 401
    assert email not in [
        u["email"] for u in (await client.get("/api/v1/users", headers=owner)).json()
    ]
    again = await client.delete(f"/api/v1/users/{user['id']}", headers=owner)
    assert again.status_code == 404
    # The email is free again.
    await tenant.add_user(["staff"], email=email)

    conn = await asyncpg.connect(database.owner_url)
    try:
        row = await conn.fetchrow(
            "SELECT detail FROM audit_log WHERE tenant_id = $1 AND action = 'user.delete'"
            " AND outcome = 'success' AND entity_id = $2",
            tenant.id,
            uuid.UUID(user["id"]),
        )
    finally:
        await conn.close()
    assert row is not None
    assert email in row["detail"]  # who the deleted id was
