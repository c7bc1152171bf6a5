"""/api/v1/catalog/product-types over HTTP (CAT-5): a type with its attributes in order,
revision as a whole with ETag / If-Match, validation at each attribute's path, the
tenant-unique name, and RBAC."""

from __future__ import annotations

import httpx

from domain.identity.permissions import BUILTIN_ROLES
from tests.conftest import TenantHandle
from tests.support.built_app import routes_app

BASE = "/api/v1/catalog/product-types"
TEE = {
    "name": "T恤",
    "attributes": [
        {"code": "color", "name": "颜色", "kind": "enum", "variantAxis": True,
         "allowedValues": ["红色", "白色"]},
        {"code": "size", "name": "尺码", "kind": "enum", "variantAxis": True,
         "allowedValues": ["S", "M", "L"]},
        {"code": "fabric", "name": "面料", "kind": "text", "required": True},
        {"code": "weight", "name": "克重", "kind": "number", "unit": "g"},
    ],
}  # fmt: skip


async def test_type_flow_with_etags(tenant: TenantHandle, client: httpx.AsyncClient) -> None:
    owner = await tenant.headers("owner")
    created = await client.post(BASE, json=TEE, headers=owner)
    assert created.status_code == 201, created.text
    body = created.json()
    url = f"{BASE}/{body['id']}"
    assert created.headers["location"] == url and created.headers["etag"] == '"v1"'
    fetched = (await client.get(url, headers=owner)).json()
    assert [a["code"] for a in fetched["attributes"]] == ["color", "size", "fabric", "weight"]
    assert fetched["attributes"][1] == {
        "code": "size",
        "name": "尺码",
        "kind": "enum",
        "variantAxis": True,
        "required": False,
        "unit": None,
        "allowedValues": ["S", "M", "L"],
    }

    assert (await client.patch(url, json={"name": "短袖"}, headers=owner)).status_code == 428
    stale = await client.patch(url, json={"name": "短袖"}, headers={**owner, "If-Match": '"v3"'})
    assert stale.status_code == 412
    attributes = [*TEE["attributes"][:2], {"code": "season", "name": "季节", "kind": "boolean"}]
    revised = await client.patch(
        url, json={"attributes": attributes}, headers={**owner, "If-Match": '"v1"'}
    )
    assert revised.status_code == 200, revised.text
    assert revised.headers["etag"] == '"v2"'
    assert [a["code"] for a in revised.json()["attributes"]] == ["color", "size", "season"]
    assert revised.json()["name"] == "T恤"

    same = await client.patch(url, json={"name": "T恤"}, headers={**owner, "If-Match": '"v2"'})
    assert same.headers["etag"] == '"v2"'  # no change, no version

    listed = await client.get(BASE, headers=owner)
    assert [t["id"] for t in listed.json()["items"]] == [body["id"]]


async def test_attribute_errors_name_their_index_and_names_are_unique(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    headers = {**(await tenant.headers("owner")), "Accept-Language": "en"}
    bad = {
        "name": "鞋",
        "attributes": [
            {"code": "Size", "name": "尺码", "kind": "enum", "allowedValues": ["40"]},
            {"code": "shape", "name": "形状", "kind": "colour"},
        ],
    }
    refused = await client.post(BASE, json=bad, headers=headers)
    assert refused.status_code == 422, refused.text
    assert {(e["field"], e["code"]) for e in refused.json()["errors"]} == {
        ("attributes[1].kind", "invalid_choice")
    }
    bad["attributes"] = bad["attributes"][:1]
    refused = await client.post(BASE, json=bad, headers=headers)
    assert {(e["field"], e["code"]) for e in refused.json()["errors"]} == {
        ("attributes[0].code", "invalid_attribute_code")
    }

    assert (await client.post(BASE, json=TEE, headers=headers)).status_code == 201
    taken = await client.post(BASE, json={**TEE, "name": "t恤"}, headers=headers)
    assert taken.status_code == 409, taken.text
    assert taken.json()["code"] == "product_type_name_taken"


ROUTES = {
    ("GET", BASE): "list",
    ("GET", f"{BASE}/{{type_id:uuid}}"): "get",
    ("POST", BASE): "create",
    ("PATCH", f"{BASE}/{{type_id:uuid}}"): "revise",
}

# role:              list get  create revise
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


def test_the_matrix_covers_every_builtin_role_and_product_type_route() -> None:
    assert set(MATRIX) == set(BUILTIN_ROLES)
    routes = {
        (method, route.path)
        for route in routes_app().routes
        if route.path.startswith(BASE)
        for method in set(route.methods) - {"HEAD", "OPTIONS"}
    }
    assert routes == set(ROUTES), "a product type route is missing from the RBAC matrix"


async def test_every_builtin_role_against_every_product_type_endpoint(
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
