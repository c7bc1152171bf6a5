"""/api/v1/catalog/products/{id}/sku-matrix over HTTP (CAT-5): preview and apply the SKU
matrix of chosen variant values — idempotent regeneration, codes free in the whole tenant,
the documented cap with its error, If-Match, versions, and who may do it."""

from __future__ import annotations

from typing import Any

import httpx

from domain.identity.permissions import BUILTIN_ROLES
from tests.conftest import TenantHandle

BASE = "/api/v1/catalog/products"
SHIRT_TYPE = {
    "name": "T恤",
    "attributes": [
        {"code": "color", "name": "颜色", "kind": "enum", "variantAxis": True,
         "allowedValues": ["红", "蓝", "黑"]},
        {"code": "size", "name": "尺码", "kind": "text", "variantAxis": True},
    ],
}  # fmt: skip


async def _shirt(client: httpx.AsyncClient, headers: dict[str, str], code: str = "TS") -> Any:
    kind = await client.post("/api/v1/catalog/product-types", json=SHIRT_TYPE, headers=headers)
    assert kind.status_code == 201, kind.text
    body = {"code": code, "name": "纯棉T恤", "productTypeId": kind.json()["id"], "skus": []}
    created = await client.post(BASE, json=body, headers=headers)
    assert created.status_code == 201, created.text
    return created.json()


async def test_apply_regenerate_and_shrink_the_matrix(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    shirt = await _shirt(client, owner)
    url = f"{BASE}/{shirt['id']}/sku-matrix"
    choice = {"axes": {"size": ["S", "M"], "color": ["蓝", "红"]}, "listPrice": "59"}

    preview = await client.post(f"{url}/preview", json=choice, headers=owner)
    assert preview.status_code == 200, preview.text
    rows = preview.json()["rows"]
    # The type's order (colour first, enum values in the type's order); 红 has no ASCII
    # slug, so its code is its position among the chosen colours.
    assert [r["code"] for r in rows] == ["TS-01-S", "TS-01-M", "TS-02-S", "TS-02-M"]
    assert {r["status"] for r in rows} == {"new"}
    assert (await client.get(f"{BASE}/{shirt['id']}", headers=owner)).headers["etag"] == '"v1"'

    assert (await client.post(url, json=choice, headers=owner)).status_code == 428
    applied = await client.post(url, json=choice, headers={**owner, "If-Match": '"v1"'})
    assert applied.status_code == 200, applied.text
    assert applied.headers["etag"] == '"v2"'
    skus = applied.json()["skus"]
    assert len(skus) == 4 and {s["listPrice"] for s in skus} == {"59.00"}
    assert {tuple(sorted(s["axisValues"].items())) for s in skus} == {
        (("color", c), ("size", z)) for c in ("红", "蓝") for z in ("S", "M")
    }

    again = await client.post(url, json=choice, headers={**owner, "If-Match": '"v2"'})
    assert again.headers["etag"] == '"v2"'  # the same matrix: no change, no version
    again_preview = (await client.post(f"{url}/preview", json=choice, headers=owner)).json()
    assert {r["status"] for r in again_preview["rows"]} == {"existing"}

    smaller = {"axes": {"size": ["S"], "color": ["红"]}}
    shrunk = await client.post(url, json=smaller, headers={**owner, "If-Match": '"v2"'})
    assert shrunk.status_code == 200, shrunk.text
    active = [s for s in shrunk.json()["skus"] if not s["archived"]]
    assert [s["code"] for s in active] == ["TS-01-S"]  # kept its code; the rest archived
    assert len(shrunk.json()["skus"]) == 4  # SKUs are never deleted

    versions = (await client.get(f"{BASE}/{shirt['id']}/versions", headers=owner)).json()
    assert [v["number"] for v in versions["items"]] == [3, 2, 1]


async def test_new_codes_avoid_other_products_skus(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    other = {"code": "OTHER", "name": "别的商品", "skus": [{"code": "TS-01-S"}]}
    assert (await client.post(BASE, json=other, headers=owner)).status_code == 201
    shirt = await _shirt(client, owner)
    choice = {"axes": {"color": ["红"], "size": ["S"]}}
    applied = await client.post(
        f"{BASE}/{shirt['id']}/sku-matrix", json=choice, headers={**owner, "If-Match": '"v1"'}
    )
    assert applied.status_code == 200, applied.text
    assert [s["code"] for s in applied.json()["skus"]] == ["TS-01-S-2"]


async def test_too_large_a_matrix_and_bad_choices_are_clear_errors(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    shirt = await _shirt(client, owner)
    url = f"{BASE}/{shirt['id']}/sku-matrix"
    sizes = [f"S{i}" for i in range(400)]
    too_big = {"axes": {"color": ["红", "蓝", "黑"], "size": sizes}}
    refused = await client.post(
        url, json=too_big, headers={**owner, "If-Match": '"v1"', "Accept-Language": "zh-CN"}
    )
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    error = refused.json()["errors"][0]
    assert error["field"] == "axes" and error["code"] == "sku_matrix_too_large"
    assert "1200" in error["message"] and "1000" in error["message"]
    assert "SKU" in error["message"] and "最多" in error["message"]

    wrong = {"axes": {"color": ["绿"], "size": ["S"], "fabric": ["棉"]}}
    bad = await client.post(f"{url}/preview", json=wrong, headers=owner)
    assert bad.status_code == 422
    assert {(e["field"], e["code"]) for e in bad.json()["errors"]} >= {
        ("axes.color[0]", "value_not_allowed"),
        ("axes.fabric", "unknown_attribute"),
    }
    after = await client.get(f"{BASE}/{shirt['id']}", headers=owner)
    assert after.headers["etag"] == '"v1"' and after.json()["skus"] == []

    plain = {"code": "PLAIN", "name": "无类型商品", "skus": [{"code": "PLAIN-1"}]}
    plain_id = (await client.post(BASE, json=plain, headers=owner)).json()["id"]
    no_axes = await client.post(f"{BASE}/{plain_id}/sku-matrix/preview", json=wrong, headers=owner)
    assert no_axes.status_code == 422
    assert no_axes.json()["errors"][0]["code"] == "product_type_has_no_variant_axes"


async def test_only_catalog_writers_generate_skus(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    shirt = await _shirt(client, owner)
    url = f"{BASE}/{shirt['id']}/sku-matrix"
    choice = {"axes": {"color": ["红"], "size": ["S"]}}
    writers = {"owner", "admin", "marketing"}
    for role in sorted(BUILTIN_ROLES):
        headers = await tenant.headers(role)
        preview = await client.post(f"{url}/preview", json=choice, headers=headers)
        assert preview.status_code == (200 if role in writers else 403), (role, preview.text)
    etag = (await client.get(f"{BASE}/{shirt['id']}", headers=owner)).headers["etag"]
    denied = await client.post(
        url, json=choice, headers={**(await tenant.headers("warehouse")), "If-Match": etag}
    )
    assert denied.status_code == 403
    marketing = await tenant.headers("marketing")
    allowed = await client.post(url, json=choice, headers={**marketing, "If-Match": etag})
    assert allowed.status_code == 200, allowed.text


async def test_new_skus_without_a_price_cannot_join_a_published_listing(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    shirt = await _shirt(client, owner)
    url = f"{BASE}/{shirt['id']}/sku-matrix"
    first = {"axes": {"color": ["红"], "size": ["S"]}, "listPrice": "59"}
    assert (await client.post(url, json=first, headers={**owner, "If-Match": '"v1"'})).is_success
    channel = await client.post(
        "/api/v1/catalog/channels",
        json={"code": "own_shop", "name": "官网", "kind": "own_shop"},
        headers=owner,
    )
    published = await client.post(
        f"{BASE}/{shirt['id']}/publish", json={"channelId": channel.json()["id"]}, headers=owner
    )
    assert published.status_code == 200, published.text
    etag = (await client.get(f"{BASE}/{shirt['id']}", headers=owner)).headers["etag"]

    unpriced = {"axes": {"color": ["红"], "size": ["S", "M"]}}  # TS-01-M gets no price
    refused = await client.post(url, json=unpriced, headers={**owner, "If-Match": etag})
    assert refused.status_code == 422, refused.text
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [
        ("skus[TS-01-M]", "sku_unpriced_on_channel")
    ]
    after = await client.get(f"{BASE}/{shirt['id']}", headers=owner)
    assert after.headers["etag"] == etag and len(after.json()["skus"]) == 1
