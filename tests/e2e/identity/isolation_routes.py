"""The identity module's routes with an id, for the tenant-isolation route table
(``tests/e2e/platform/test_tenant_isolation_routes.py`` finds this file by discovery)."""

from __future__ import annotations

import httpx

from tests.conftest import TenantHandle
from tests.e2e.platform.isolation import EntityRoute, Maker


async def _user(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    email = await tenant.add_user(["staff"])
    users = (await client.get("/api/v1/users", headers=await tenant.headers("owner"))).json()
    return next(u["id"] for u in users if u["email"] == email)


async def _role(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    body = {"key": "isolated_role", "name": "Isolated", "permissions": []}
    response = await client.post("/api/v1/roles", json=body, headers=await tenant.headers("owner"))
    return str(response.json()["id"])


async def _api_key(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    body = {"name": "isolated", "permissions": []}
    response = await client.post(
        "/api/v1/api-keys", json=body, headers=await tenant.headers("owner")
    )
    return str(response.json()["apiKey"]["id"])


ROUTES: dict[str, EntityRoute] = {
    "/api/v1/users/{user_id:uuid}": EntityRoute(_user, {"PATCH": {"active": False}}),
    "/api/v1/users/{user_id:uuid}/roles": EntityRoute(_user, {"PUT": {"roles": ["staff"]}}),
    "/api/v1/roles/{role_id:uuid}": EntityRoute(_role, {"PATCH": {"name": "Renamed"}}),
    "/api/v1/api-keys/{key_id:uuid}": EntityRoute(_api_key),
}
LISTS = ["/api/v1/users", "/api/v1/roles", "/api/v1/api-keys"]
LIST_MAKERS: tuple[Maker, ...] = (_role, _api_key, _user)
CONSOLE_ROUTES: dict[str, Maker] = {
    "/console/settings/users/{user_id:uuid}": _user,
    "/console/settings/users/{user_id:uuid}/roles": _user,
    "/console/settings/users/{user_id:uuid}/active": _user,
    "/console/settings/roles/{role_id:uuid}": _role,
    "/console/settings/roles/{role_id:uuid}/delete": _role,
    "/console/settings/api-keys/{key_id:uuid}/revoke": _api_key,
}
