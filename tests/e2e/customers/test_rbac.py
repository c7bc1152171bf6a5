"""RBAC (PLT-2, CRM-1): every built-in role against every customer endpoint.

The table is written out by hand from BUILTIN_ROLES in domain/identity/permissions.py:
changing what a role may do must change this table too.
"""

from __future__ import annotations

import httpx

from domain.identity.permissions import BUILTIN_ROLES
from tests.conftest import TenantHandle
from tests.support.built_app import routes_app

BASE = "/api/v1/customers"
ENDPOINTS = ("list", "search", "get", "orders", "create", "update", "erase")
ROUTES = {
    ("GET", BASE): "list",
    ("GET", f"{BASE}/search"): "search",
    ("GET", f"{BASE}/{{customer_id:uuid}}"): "get",
    ("GET", f"{BASE}/{{customer_id:uuid}}/orders"): "orders",
    ("POST", BASE): "create",
    ("PATCH", f"{BASE}/{{customer_id:uuid}}"): "update",
    ("DELETE", f"{BASE}/{{customer_id:uuid}}"): "erase",
}

# role:              list search get  orders create update erase  personal data readable
MATRIX: dict[str, tuple[int, int, int, int, int, int, int, bool | None]] = {
    "owner":            (200, 200, 200, 200, 201, 200, 204, True),
    "admin":            (200, 200, 200, 200, 201, 200, 204, True),
    "finance":          (200, 200, 200, 200, 403, 403, 403, False),
    "warehouse":        (403, 403, 403, 403, 403, 403, 403, None),
    "customer_service": (200, 200, 200, 200, 201, 200, 403, True),
    "marketing":        (200, 200, 200, 200, 403, 403, 403, False),
    "purchasing":       (403, 403, 403, 403, 403, 403, 403, None),
    "hr":               (403, 403, 403, 403, 403, 403, 403, None),
    "staff":            (403, 403, 403, 403, 403, 403, 403, None),
}  # fmt: skip


def test_the_matrix_covers_every_builtin_role_and_customer_route() -> None:
    assert set(MATRIX) == set(BUILTIN_ROLES)
    routes = {
        (method, route.path)
        for route in routes_app().routes
        if route.path.startswith(BASE)
        for method in set(route.methods) - {"HEAD", "OPTIONS"}
    }
    assert routes == set(ROUTES), "a customer route is missing from the RBAC matrix"


async def _role_sees(
    client: httpx.AsyncClient, tenant: TenantHandle, role: str
) -> tuple[int, int, int, int, int, int, int, bool | None]:
    owner = await tenant.headers("owner")
    headers = await tenant.headers(role)
    name, phone = f"{role}的客户", f"1391234{list(MATRIX).index(role):04d}"
    target = (await client.post(BASE, json={"name": name, "phone": phone}, headers=owner)).json()
    url = f"{BASE}/{target['id']}"

    listed = await client.get(BASE, params={"limit": 200}, headers=headers)
    searched = await client.get(f"{BASE}/search", params={"phone": phone}, headers=headers)
    fetched = await client.get(url, headers=headers)
    ordered = await client.get(f"{url}/orders", headers=headers)
    created = await client.post(BASE, json={"name": "新客户"}, headers=headers)
    updated = await client.patch(
        url, json={"tags": ["checked"]}, headers={**headers, "If-Match": '"v1"'}
    )
    version = (await client.get(url, headers=owner)).json()["version"]
    erased = await client.delete(url, headers={**headers, "If-Match": f'"v{version}"'})

    for response in (listed, searched, fetched, ordered, created, updated, erased):
        if response.status_code == 403:
            assert response.json()["code"] == "permission_denied", response.text

    readable: bool | None = None
    if fetched.status_code == 200:
        views = [
            fetched.json(),
            next(c for c in listed.json()["items"] if c["id"] == target["id"]),
            *searched.json()["items"],
        ]
        assert len(views) == 3, "the phone search finds the target"
        unmasked = [v["name"] == name and v["phone"] == f"+86{phone}" for v in views]
        masked = [
            v["name"] == name[0] + "*" and v["phone"] == f"139****{phone[-4:]}" for v in views
        ]
        flags = {v["piiMasked"] for v in views}
        assert all(unmasked) or all(masked), views
        assert flags == {not all(unmasked)}, views
        readable = all(unmasked)
    return (
        listed.status_code,
        searched.status_code,
        fetched.status_code,
        ordered.status_code,
        created.status_code,
        updated.status_code,
        erased.status_code,
        readable,
    )


async def test_every_builtin_role_against_every_customer_endpoint(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    actual = {role: await _role_sees(client, tenant, role) for role in MATRIX}
    assert actual == MATRIX
