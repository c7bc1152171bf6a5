"""/api/v1/catalog/products over HTTP (CAT-1, CAT-8, CAT-11, CAT-12): products with SKUs,
ETag / If-Match, archive as soft delete, costs hidden without catalog:read_cost, codes and
barcodes unique per tenant (409, never a 500), versions and search terms written with every
change, and the RBAC matrix."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest

from domain.identity.permissions import BUILTIN_ROLES
from tests.conftest import TenantFactory, TenantHandle
from tests.support.built_app import routes_app
from tests.support.databases import TestDatabase

BASE = "/api/v1/catalog/products"
EARBUDS = {
    "code": "BT-100",
    "name": "蓝牙耳机 Pro",
    "description": "降噪\n续航 30 小时",
    "lifecycle": "active",
    "skus": [
        {"code": "BT-100-W", "barcode": "6901234567892", "listPrice": "299", "cost": "120.5",
         "weightGrams": "52.50"},
    ],
}  # fmt: skip


@pytest.fixture
async def owner_conn(database: TestDatabase) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(database.owner_url)
    try:
        yield conn
    finally:
        await conn.close()


async def test_product_flow_with_etags_versions_and_terms(
    tenant: TenantHandle, client: httpx.AsyncClient, owner_conn: asyncpg.Connection
) -> None:
    owner = await tenant.headers("owner")
    created = await client.post(BASE, json=EARBUDS, headers=owner)
    assert created.status_code == 201, created.text
    body = created.json()
    url = f"{BASE}/{body['id']}"
    assert created.headers["location"] == url and created.headers["etag"] == '"v1"'
    sku = body["skus"][0]
    assert (sku["listPrice"], sku["cost"], sku["weightGrams"]) == ("299.00", "120.50", "52.5")
    assert body["costHidden"] is False and body["lifecycle"] == "active"

    revision = {**EARBUDS, "name": "蓝牙耳机 Max", "skus": [{**EARBUDS["skus"][0],
                "id": sku["id"], "listPrice": "279"}]}  # fmt: skip
    assert (await client.put(url, json=revision, headers=owner)).status_code == 428
    stale = await client.put(url, json=revision, headers={**owner, "If-Match": '"v7"'})
    assert stale.status_code == 412
    revised = await client.put(url, json=revision, headers={**owner, "If-Match": '"v1"'})
    assert revised.status_code == 200, revised.text
    assert revised.headers["etag"] == '"v2"' and revised.json()["skus"][0]["listPrice"] == "279.00"
    same = await client.put(url, json=revision, headers={**owner, "If-Match": '"v2"'})
    assert same.headers["etag"] == '"v2"'  # no change: no version

    versions = await owner_conn.fetch(
        "SELECT number, changes FROM product_versions WHERE product_id = $1 ORDER BY number",
        body["id"],
    )
    assert [v["number"] for v in versions] == [1, 2]
    assert "name" in versions[1]["changes"] and "skus[BT-100-W].listPrice" in versions[1]["changes"]
    terms = {
        r["term"]
        for r in await owner_conn.fetch(
            "SELECT term FROM product_search_terms WHERE product_id = $1", body["id"]
        )
    }
    assert {"蓝牙", "max", "sku:bt-100-w", "gtin:06901234567892"} <= terms
    assert "pro" not in terms  # rewritten on save

    archived = await client.delete(url, headers={**owner, "If-Match": '"v2"'})
    assert archived.status_code == 204, archived.text
    after = await client.get(url, headers=owner)
    assert after.status_code == 200 and after.json()["archivedAt"] is not None
    refused = await client.put(url, json=revision, headers={**owner, "If-Match": '"v3"'})
    assert refused.status_code == 409 and refused.json()["code"] == "product_archived"
    listed = await client.get(BASE, headers=owner)
    assert body["id"] not in listed.text


async def test_costs_are_hidden_and_kept_without_read_cost(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner, marketing = await tenant.headers("owner"), await tenant.headers("marketing")
    body = (await client.post(BASE, json=EARBUDS, headers=owner)).json()
    url = f"{BASE}/{body['id']}"
    seen = (await client.get(url, headers=marketing)).json()
    assert seen["costHidden"] is True and seen["skus"][0]["cost"] is None
    listed = (await client.get(BASE, headers=marketing)).json()
    assert all(s["cost"] is None for p in listed["items"] for s in p["skus"])

    revision = {**EARBUDS, "name": "新名字", "skus": [{"id": seen["skus"][0]["id"],
                "code": "BT-100-W", "barcode": "6901234567892", "listPrice": "299"}]}  # fmt: skip
    revised = await client.put(url, json=revision, headers={**marketing, "If-Match": '"v1"'})
    assert revised.status_code == 200, revised.text
    assert (await client.get(url, headers=owner)).json()["skus"][0]["cost"] == "120.50"  # kept
    setting = {**revision, "skus": [{**revision["skus"][0], "cost": "1"}]}
    refused = await client.put(url, json=setting, headers={**marketing, "If-Match": '"v2"'})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "skus[0].cost"


async def test_codes_and_barcodes_are_unique_per_tenant(
    new_tenant: TenantFactory, client: httpx.AsyncClient
) -> None:
    a, b = await new_tenant(), await new_tenant()
    headers = await a.headers("owner")
    assert (await client.post(BASE, json=EARBUDS, headers=headers)).status_code == 201
    other = {"code": "X-1", "name": "另一个", "skus": [{"code": "X-1-A"}]}
    cases = [
        ({**other, "code": "bt-100"}, "product_code_taken"),
        ({**other, "skus": [{"code": "bt-100-w"}]}, "sku_code_taken"),
        # The same GTIN written as UPC-A is the same barcode.
        ({**other, "skus": [{"code": "X-1-A", "barcode": "06901234567892"}]}, "barcode_taken"),
    ]
    for body, code in cases:
        response = await client.post(BASE, json=body, headers=headers)
        assert response.status_code == 409, response.text
        assert response.json()["code"] == code
    assert (
        await client.post(BASE, json=EARBUDS, headers=await b.headers("owner"))
    ).status_code == 201


async def test_unknown_references_and_bad_values_are_field_errors(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    body = {
        "code": "Z-1",
        "name": "坏",
        "kind": "digital",
        "categoryId": "01900000-0000-7000-8000-000000000000",
        "skus": [{"code": "Z-1-A", "listPrice": "12.345"}],
    }
    response = await client.post(BASE, json=body, headers=await tenant.headers("owner"))
    assert response.status_code == 422, response.text
    assert {e["field"] for e in response.json()["errors"]} == {"kind", "categoryId"}


ROUTES = {
    ("GET", BASE): "list",
    ("GET", f"{BASE}/search"): "search",
    ("GET", f"{BASE}/{{product_id:uuid}}"): "get",
    ("POST", BASE): "create",
    ("PUT", f"{BASE}/{{product_id:uuid}}"): "revise",
    ("GET", f"{BASE}/{{product_id:uuid}}/versions"): "versions",
    ("GET", f"{BASE}/{{product_id:uuid}}/versions/{{older:int}}/diff/{{newer:int}}"): "diff",
    ("POST", f"{BASE}/{{product_id:uuid}}/versions/{{number:int}}/restore"): "restore",
    ("DELETE", f"{BASE}/{{product_id:uuid}}"): "archive",
    # Listings: their permissions are checked in test_catalog_channels_api.py.
    ("GET", f"{BASE}/{{product_id:uuid}}/listings"): "listings",
    ("POST", f"{BASE}/{{product_id:uuid}}/publish"): "publish",
    ("POST", f"{BASE}/{{product_id:uuid}}/unpublish"): "unpublish",
    ("PUT", f"{BASE}/{{product_id:uuid}}/channel-prices"): "channel prices",
}

# role:              list search get create revise versions diff restore archive  cost visible
MATRIX: dict[str, tuple[int, int, int, int, int, int, int, int, int, bool | None]] = {
    "owner":            (200, 200, 200, 201, 200, 200, 200, 200, 204, True),
    "admin":            (200, 200, 200, 201, 200, 200, 200, 200, 204, True),
    "finance":          (200, 200, 200, 403, 403, 200, 200, 403, 403, True),
    "warehouse":        (200, 200, 200, 403, 403, 200, 200, 403, 403, False),
    "customer_service": (200, 200, 200, 403, 403, 200, 200, 403, 403, False),
    "marketing":        (200, 200, 200, 201, 200, 200, 200, 200, 204, False),
    "purchasing":       (200, 200, 200, 403, 403, 200, 200, 403, 403, True),
    "hr":               (403, 403, 403, 403, 403, 403, 403, 403, 403, None),
    "staff":            (403, 403, 403, 403, 403, 403, 403, 403, 403, None),
}  # fmt: skip


# Media, related products and the SKU matrix have their own matrices (test_catalog_media_api.py,
# test_catalog_related_api.py, test_catalog_sku_matrix_api.py).
SUBRESOURCES = re.compile(r"/(media|related|sku-matrix)(/|$)")


def test_the_matrix_covers_every_builtin_role_and_product_route() -> None:
    assert set(MATRIX) == set(BUILTIN_ROLES)
    routes = {
        (method, route.path)
        for route in routes_app().routes
        if route.path.startswith(BASE) and not SUBRESOURCES.search(route.path)
        for method in set(route.methods) - {"HEAD", "OPTIONS"}
    }
    assert routes == set(ROUTES), "a product route is missing from the RBAC matrix"


async def test_every_builtin_role_against_every_product_endpoint(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    actual = {}
    for i, role in enumerate(MATRIX):
        headers = await tenant.headers(role)
        sku = {"code": f"T{i}-A", "listPrice": "10", "cost": "4"}
        target = (
            await client.post(BASE, json={"code": f"T{i}", "name": "目标", "skus": [sku]},
                              headers=owner)
        ).json()  # fmt: skip
        url = f"{BASE}/{target['id']}"
        new = {"code": f"N{i}", "name": "新", "skus": [{"code": f"N{i}-A"}]}
        revision = {"name": "改", "skus": [{"id": target["skus"][0]["id"], "code": f"T{i}-A"}]}
        fetched = await client.get(url, headers=headers)
        revised = await client.put(url, json=revision, headers={**headers, "If-Match": '"v1"'})
        current = (await client.get(url, headers=owner)).json()["version"]
        responses = (
            await client.get(BASE, headers=headers),
            await client.get(f"{BASE}/search", params={"q": f"T{i}"}, headers=headers),
            fetched,
            await client.post(BASE, json=new, headers=headers),
            revised,
            await client.get(f"{url}/versions", headers=headers),
            await client.get(f"{url}/versions/1/diff/1", headers=headers),
            await client.post(
                f"{url}/versions/1/restore", headers={**headers, "If-Match": f'"v{current}"'}
            ),
        )
        version = (await client.get(url, headers=owner)).json()["version"]
        archived = await client.delete(url, headers={**headers, "If-Match": f'"v{version}"'})
        for response in (*responses, archived):
            if response.status_code == 403:
                assert response.json()["code"] == "permission_denied", response.text
        visible = None
        if fetched.status_code == 200:
            visible = fetched.json()["skus"][0]["cost"] == "4.00"
            assert fetched.json()["costHidden"] is not visible
        actual[role] = (*(r.status_code for r in responses), archived.status_code, visible)
    assert actual == MATRIX


async def test_versions_list_diff_and_restore(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner, marketing = await tenant.headers("owner"), await tenant.headers("marketing")
    body = (await client.post(BASE, json=EARBUDS, headers=owner)).json()
    url, sku_id = f"{BASE}/{body['id']}", body["skus"][0]["id"]
    sku = {**EARBUDS["skus"][0], "id": sku_id}
    second = {**EARBUDS, "name": "第二版", "skus": [{**sku, "cost": "130"}]}
    assert (
        await client.put(url, json=second, headers={**owner, "If-Match": '"v1"'})
    ).status_code == 200
    # Without a product type a product has one active SKU at most: B is added archived.
    third = {
        **second,
        "name": "第三版",
        "skus": [{**sku, "cost": "130"}, {"code": "BT-100-B", "archived": True}],
    }
    assert (
        await client.put(url, json=third, headers={**owner, "If-Match": '"v2"'})
    ).status_code == 200

    listed = (await client.get(f"{url}/versions", params={"limit": 2}, headers=owner)).json()
    assert [v["number"] for v in listed["items"]] == [3, 2] and listed["nextCursor"]
    rest = await client.get(
        f"{url}/versions", params={"cursor": listed["nextCursor"]}, headers=owner
    )
    assert [v["number"] for v in rest.json()["items"]] == [1]
    v2 = listed["items"][1]
    assert {"field": "skus[BT-100-W].cost", "before": "120.50", "after": "130.00"} in v2["changes"]
    assert v2["actor"].startswith("user:")

    diff = (await client.get(f"{url}/versions/1/diff/3", headers=owner)).json()["changes"]
    fields = {c["field"] for c in diff}
    assert {"name", "skus[BT-100-W].cost", "skus[BT-100-B]"} <= fields
    hidden = (await client.get(f"{url}/versions/1/diff/3", headers=marketing)).json()["changes"]
    cost = next(c for c in hidden if c["field"] == "skus[BT-100-W].cost")
    assert cost["before"] == cost["after"] == "[redacted]"

    assert (await client.post(f"{url}/versions/1/restore", headers=owner)).status_code == 428
    restored = await client.post(f"{url}/versions/1/restore", headers={**owner, "If-Match": '"v3"'})
    assert restored.status_code == 200, restored.text
    assert restored.headers["etag"] == '"v4"'
    product = restored.json()
    assert product["name"] == EARBUDS["name"]
    assert {s["code"]: (s["cost"], s["archived"]) for s in product["skus"]} == {
        "BT-100-W": ("120.50", False),
        "BT-100-B": (None, True),  # created after version 1: kept, archived
    }
    newest = (await client.get(f"{url}/versions", params={"limit": 1}, headers=owner)).json()
    assert newest["items"][0]["restoredFrom"] == 1
    again = await client.post(f"{url}/versions/4/restore", headers={**owner, "If-Match": '"v4"'})
    assert again.status_code == 200 and again.headers["etag"] == '"v4"'  # no change
    missing = await client.get(f"{url}/versions/1/diff/99", headers=owner)
    assert missing.status_code == 404


async def test_search_over_http_and_idempotent_creation(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    keyed = {**owner, "Idempotency-Key": "product-create-1"}
    first = await client.post(BASE, json=EARBUDS, headers=keyed)
    again = await client.post(BASE, json=EARBUDS, headers=keyed)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    speaker = {"code": "SP-1", "name": "蓝牙音箱", "skus": [{"code": "SP-1-A"}]}
    assert (await client.post(BASE, json=speaker, headers=owner)).status_code == 201

    async def codes(**params: str) -> list[str]:
        response = await client.get(f"{BASE}/search", params=params, headers=owner)
        assert response.status_code == 200, response.text
        return sorted(p["code"] for p in response.json()["items"])

    assert await codes(q="蓝牙") == ["BT-100", "SP-1"]
    assert await codes(q="蓝牙", status="active") == ["BT-100"]
    assert await codes(q="sp-1") == ["SP-1"]
    assert await codes(q="6901234567892") == ["BT-100"]
    assert await codes(q="耳机 蓝牙") == ["BT-100"]  # several words, any order (#9, item 14)
    assert await codes(q="音箱 蓝牙") == ["SP-1"]
    assert await codes(q="耳机 音箱") == []
    bad = await client.get(f"{BASE}/search", params={"q": "蓝牙", "status": "gone"}, headers=owner)
    assert bad.status_code == 422
