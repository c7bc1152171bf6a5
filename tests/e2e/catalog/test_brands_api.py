"""/api/v1/catalog/brands over HTTP (CAT-6): create and rename with ETag / If-Match, the
tenant-unique name (the unique index's violation is a 409, never a 500), and RBAC."""

from __future__ import annotations

import httpx

from domain.identity.permissions import BUILTIN_ROLES
from tests.conftest import TenantFactory, TenantHandle
from tests.support.built_app import routes_app

BASE = "/api/v1/catalog/brands"


async def test_brand_flow_with_etags(tenant: TenantHandle, client: httpx.AsyncClient) -> None:
    owner = await tenant.headers("owner")
    created = await client.post(BASE, json={"name": "Huawei"}, headers=owner)
    assert created.status_code == 201, created.text
    brand = created.json()
    url = f"{BASE}/{brand['id']}"
    assert created.headers["location"] == url and created.headers["etag"] == '"v1"'

    fetched = await client.get(url, headers=owner)
    assert fetched.json() == {"id": brand["id"], "name": "Huawei", "version": 1, "logo": None}
    assert (await client.patch(url, json={"name": "华为"}, headers=owner)).status_code == 428
    stale = await client.patch(url, json={"name": "华为"}, headers={**owner, "If-Match": '"v2"'})
    assert stale.status_code == 412
    renamed = await client.patch(url, json={"name": "华为"}, headers={**owner, "If-Match": '"v1"'})
    assert renamed.status_code == 200 and renamed.headers["etag"] == '"v2"'

    listed = await client.get(BASE, headers=owner)
    assert [b["name"] for b in listed.json()["items"]] == ["华为"]


async def test_a_taken_name_is_a_conflict_whatever_the_case_and_width(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    headers = {**(await tenant.headers("owner")), "Accept-Language": "en"}
    assert (await client.post(BASE, json={"name": "Anker"}, headers=headers)).status_code == 201
    other = await client.post(BASE, json={"name": "Sony"}, headers=headers)
    for name in ("anker", "ＡＮＫＥＲ", " Anker "):
        taken = await client.post(BASE, json={"name": name}, headers=headers)
        assert taken.status_code == 409, taken.text
        assert taken.json()["code"] == "brand_name_taken"
    renamed = await client.patch(
        f"{BASE}/{other.json()['id']}",
        json={"name": "ANKER"},
        headers={**headers, "If-Match": '"v1"'},
    )
    assert renamed.status_code == 409 and renamed.json()["code"] == "brand_name_taken"


async def test_names_are_unique_per_tenant_only(
    new_tenant: TenantFactory, client: httpx.AsyncClient
) -> None:
    a, b = await new_tenant(), await new_tenant()
    for tenant in (a, b):
        response = await client.post(
            BASE, json={"name": "小米"}, headers=await tenant.headers("owner")
        )
        assert response.status_code == 201, response.text


ROUTES = {
    ("GET", BASE): "list",
    ("GET", f"{BASE}/{{brand_id:uuid}}"): "get",
    ("POST", BASE): "create",
    ("PATCH", f"{BASE}/{{brand_id:uuid}}"): "rename",
}

# role:              list get  create rename
MATRIX: dict[str, tuple[int, int, int, int]] = {
    "owner":            (200, 200, 201, 200),
    "admin":            (200, 200, 201, 200),
    "finance":          (200, 200, 403, 403),
    "warehouse":        (200, 200, 403, 403),
    "customer_service": (200, 200, 403, 403),
    "marketing":        (200, 200, 201, 200),
    "purchasing":       (200, 200, 403, 403),
    "hr":               (403, 403, 403, 403),
    "staff":            (403, 403, 403, 403),
}  # fmt: skip


def test_the_matrix_covers_every_builtin_role_and_brand_route() -> None:
    assert set(MATRIX) == set(BUILTIN_ROLES)
    routes = {
        (method, route.path)
        for route in routes_app().routes
        # Logo routes have their own matrix (test_catalog_media_api.py).
        if route.path.startswith(BASE) and not route.path.endswith("/logo")
        for method in set(route.methods) - {"HEAD", "OPTIONS"}
    }
    assert routes == set(ROUTES), "a brand route is missing from the RBAC matrix"


async def test_every_builtin_role_against_every_brand_endpoint(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    actual = {}
    for i, role in enumerate(MATRIX):
        headers = await tenant.headers(role)
        target = (await client.post(BASE, json={"name": f"目标{i}"}, headers=owner)).json()
        url = f"{BASE}/{target['id']}"
        responses = (
            await client.get(BASE, headers=headers),
            await client.get(url, headers=headers),
            await client.post(BASE, json={"name": f"新{i}"}, headers=headers),
            await client.patch(
                url, json={"name": f"改{i}"}, headers={**headers, "If-Match": '"v1"'}
            ),
        )
        for response in responses:
            if response.status_code == 403:
                assert response.json()["code"] == "permission_denied", response.text
        actual[role] = tuple(r.status_code for r in responses)
    assert actual == MATRIX
