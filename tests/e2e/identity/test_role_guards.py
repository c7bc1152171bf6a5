"""Changing roles (#9, item 1): no escalation in either direction, and a company always
keeps an active owner."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import TenantHandle


async def _user(client: httpx.AsyncClient, owner: dict[str, str], email: str) -> dict[str, Any]:
    users = (await client.get("/api/v1/users", headers=owner)).json()
    return next(u for u in users if u["email"] == email)  # type: ignore[no-any-return]


async def _assign(
    client: httpx.AsyncClient, headers: dict[str, str], user: dict[str, Any], roles: list[str]
) -> httpx.Response:
    return await client.put(
        f"/api/v1/users/{user['id']}/roles",
        json={"roles": roles},
        headers={**headers, "If-Match": f'"v{user["version"]}"', "Accept-Language": "en"},
    )


async def test_a_user_manager_cannot_strip_the_owner(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    role = await client.post(
        "/api/v1/roles",
        json={"key": "user_admin", "name": "User admin", "permissions": ["users:manage"]},
        headers=owner,
    )
    assert role.status_code == 201, role.text
    manager_email = await tenant.add_user(["user_admin"])
    manager = {"Authorization": f"Bearer {(await tenant.login(manager_email))['accessToken']}"}
    target = await _user(client, owner, tenant.owner_email)

    stripped = await _assign(client, manager, target, [])
    assert stripped.status_code == 403, stripped.text
    assert stripped.json()["code"] == "user_outranks_caller"
    assert "users:manage" not in stripped.json()["title"]  # names what the caller lacks
    assert (await _user(client, owner, tenant.owner_email))["roleIds"] == target["roleIds"]

    # A peer with no more than the manager holds can still be changed.
    peer = await _user(client, owner, await tenant.add_user([]))
    assert (await _assign(client, manager, peer, ["user_admin"])).status_code == 200


async def test_the_last_owner_stays_an_owner(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    me = await _user(client, owner, tenant.owner_email)
    alone = await _assign(client, owner, me, ["admin"])
    assert alone.status_code == 409, alone.text
    assert alone.json()["code"] == "last_owner"
    assert alone.json()["title"].startswith("The company must keep")

    second = await _user(client, owner, await tenant.add_user(["owner"]))
    assert second["email"] != tenant.owner_email
    assert (await _assign(client, owner, me, ["admin"])).status_code == 200
    # Now the second owner is the only one: an admin (every permission) cannot demote it.
    refused = await _assign(client, owner, second, ["staff"])
    assert refused.status_code == 409
    assert refused.json()["code"] == "last_owner"
