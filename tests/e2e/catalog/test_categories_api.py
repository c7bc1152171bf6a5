"""/api/v1/catalog/categories over HTTP (CAT-4): create, rename and move with ETag /
If-Match, cycle refusal as problem+json, idempotent creation, and the RBAC matrix."""

from __future__ import annotations

import httpx

from domain.identity.permissions import BUILTIN_ROLES
from tests.conftest import TenantHandle
from tests.support.built_app import routes_app

BASE = "/api/v1/catalog/categories"


async def create(
    client: httpx.AsyncClient, headers: dict[str, str], name: str, parent: str | None = None
) -> dict:
    response = await client.post(BASE, json={"name": name, "parentId": parent}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_tree_flow_with_etags(tenant: TenantHandle, client: httpx.AsyncClient) -> None:
    owner = await tenant.headers("owner")
    clothes = await create(client, owner, "服装")
    men = await create(client, owner, "男装", clothes["id"])
    url = f"{BASE}/{men['id']}"
    fetched = await client.get(url, headers=owner)
    assert fetched.status_code == 200 and fetched.headers["etag"] == '"v1"'
    assert fetched.json() == {
        "id": men["id"],
        "name": "男装",
        "parentId": clothes["id"],
        "version": 1,
    }

    missing = await client.patch(url, json={"name": "男士"}, headers=owner)
    assert missing.status_code == 428, missing.text
    stale = await client.patch(url, json={"name": "男士"}, headers={**owner, "If-Match": '"v9"'})
    assert stale.status_code == 412, stale.text

    renamed = await client.patch(
        url, json={"name": "男士", "parentId": None}, headers={**owner, "If-Match": '"v1"'}
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.headers["etag"] == '"v2"'
    assert (renamed.json()["name"], renamed.json()["parentId"]) == ("男士", None)

    same = await client.patch(url, json={"name": "男士"}, headers={**owner, "If-Match": '"v2"'})
    assert same.status_code == 200 and same.headers["etag"] == '"v2"'  # no change, no version

    listed = await client.get(BASE, params={"limit": 1}, headers=owner)
    assert listed.status_code == 200
    first = listed.json()
    assert [c["id"] for c in first["items"]] == [clothes["id"]] and first["nextCursor"]
    rest = await client.get(BASE, params={"cursor": first["nextCursor"]}, headers=owner)
    assert [c["id"] for c in rest.json()["items"]] == [men["id"]]


async def test_a_cycle_and_a_taken_name_are_problems_in_the_callers_language(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    a = await create(client, owner, "数码")
    b = await create(client, owner, "耳机", a["id"])
    cycle = await client.patch(
        f"{BASE}/{a['id']}",
        json={"parentId": b["id"]},
        headers={**owner, "If-Match": '"v1"', "Accept-Language": "en"},
    )
    assert cycle.status_code == 422, cycle.text
    assert cycle.headers["content-type"].startswith("application/problem+json")
    assert cycle.json()["errors"][0]["code"] == "category_cycle"

    taken = await client.post(
        BASE, json={"name": "耳机", "parentId": a["id"]}, headers={**owner, "Accept-Language": "en"}
    )
    assert taken.status_code == 409, taken.text
    assert taken.json()["code"] == "category_name_taken"
    assert "耳机" in taken.json()["title"]


async def test_creation_is_idempotent_with_a_key(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    headers = {**(await tenant.headers("owner")), "Idempotency-Key": "cat-create-1"}
    first = await client.post(BASE, json={"name": "家居"}, headers=headers)
    again = await client.post(BASE, json={"name": "家居"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()


async def test_a_categorys_products_include_its_descendants(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    clothes = await create(client, owner, "服装")
    men = await create(client, owner, "男装", clothes["id"])
    tees = await create(client, owner, "T恤", men["id"])
    other = await create(client, owner, "鞋")
    ids = {}
    for code, category in (("A", tees), ("B", men), ("C", other)):
        body = {
            "code": code,
            "name": code,
            "categoryId": category["id"],
            "skus": [{"code": code + "1"}],
        }
        response = await client.post("/api/v1/catalog/products", json=body, headers=owner)
        assert response.status_code == 201, response.text
        ids[code] = response.json()["id"]

    def found(response: httpx.Response) -> set[str]:
        assert response.status_code == 200, response.text
        return {p["id"] for p in response.json()["items"]}

    assert found(await client.get(f"{BASE}/{clothes['id']}/products", headers=owner)) == {
        ids["A"],
        ids["B"],
    }
    assert found(await client.get(f"{BASE}/{tees['id']}/products", headers=owner)) == {ids["A"]}
    # Moving 男装 (with T恤) under 鞋 moves its products' membership too.
    moved = await client.patch(
        f"{BASE}/{men['id']}", json={"parentId": other["id"]}, headers={**owner, "If-Match": '"v1"'}
    )
    assert moved.status_code == 200, moved.text
    assert found(await client.get(f"{BASE}/{clothes['id']}/products", headers=owner)) == set()
    assert found(await client.get(f"{BASE}/{other['id']}/products", headers=owner)) == set(
        ids.values()
    )


# ---- RBAC (PLT-2): every built-in role against every category endpoint --------------

ROUTES = {
    ("GET", BASE): "list",
    ("GET", f"{BASE}/{{category_id:uuid}}"): "get",
    ("GET", f"{BASE}/{{category_id:uuid}}/products"): "products",
    ("POST", BASE): "create",
    ("PATCH", f"{BASE}/{{category_id:uuid}}"): "update",
}

# role:              list get  products create update
MATRIX: dict[str, tuple[int, int, int, int, int]] = {
    "owner":            (200, 200, 200, 201, 200),
    "admin":            (200, 200, 200, 201, 200),
    "finance":          (200, 200, 200, 403, 403),
    "warehouse":        (200, 200, 200, 403, 403),
    "customer_service": (200, 200, 200, 403, 403),
    "marketing":        (200, 200, 200, 201, 200),
    "purchasing":       (200, 200, 200, 403, 403),
    "hr":               (403, 403, 403, 403, 403),
    "staff":            (403, 403, 403, 403, 403),
}  # fmt: skip


def test_the_matrix_covers_every_builtin_role_and_category_route() -> None:
    assert set(MATRIX) == set(BUILTIN_ROLES)
    routes = {
        (method, route.path)
        for route in routes_app().routes
        if route.path.startswith(BASE)
        for method in set(route.methods) - {"HEAD", "OPTIONS"}
    }
    assert routes == set(ROUTES), "a category route is missing from the RBAC matrix"


async def test_every_builtin_role_against_every_category_endpoint(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    actual = {}
    for i, role in enumerate(MATRIX):
        headers = await tenant.headers(role)
        target = await create(client, owner, f"目标{i}")
        url = f"{BASE}/{target['id']}"
        responses = (
            await client.get(BASE, headers=headers),
            await client.get(url, headers=headers),
            await client.get(f"{url}/products", headers=headers),
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
