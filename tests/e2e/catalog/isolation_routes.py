"""The catalog module's routes with an id, for the tenant-isolation route table
(``tests/e2e/platform/test_tenant_isolation_routes.py`` finds this file by discovery)."""

from __future__ import annotations

import uuid

import httpx

from tests.conftest import TenantHandle
from tests.e2e.console.isolation import ConsoleRoute
from tests.e2e.platform.isolation import EntityRoute, Maker, png, upload

PROMOTION = {"amount": "7", "startsAt": "2026-11-11T00:00:00"}
# A channel of no tenant: A's own product answers 422 (unknown channel), never 404.
NO_CHANNEL = {"channelId": "01900000-0000-7000-8000-000000000000"}


async def _category(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    response = await client.post(
        "/api/v1/catalog/categories", json={"name": "服装"}, headers=await tenant.headers("owner")
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _brand(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    response = await client.post(
        "/api/v1/catalog/brands", json={"name": "Anker"}, headers=await tenant.headers("owner")
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _product_type(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    body = {"name": "T恤", "attributes": [{"code": "fabric", "name": "面料", "kind": "text"}]}
    response = await client.post(
        "/api/v1/catalog/product-types", json=body, headers=await tenant.headers("owner")
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _product(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    body = {"code": "ISO-1", "name": "隔离商品", "skus": [{"code": "ISO-1-A", "listPrice": "9"}]}
    response = await client.post(
        "/api/v1/catalog/products", json=body, headers=await tenant.headers("owner")
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _media(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    product_id = await _product(tenant, client)
    response = await client.post(
        f"/api/v1/catalog/products/{product_id}/media",
        files={"file": ("a.png", png(), "image/png")},
        headers=await tenant.headers("owner"),
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _brand_with_logo(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    brand_id = await _brand(tenant, client)
    response = await client.put(
        f"/api/v1/catalog/brands/{brand_id}/logo",
        files={"file": ("a.png", png(), "image/png")},
        headers={**(await tenant.headers("owner")), "If-Match": '"v1"'},
    )
    assert response.status_code == 200, response.text
    return brand_id


async def _channel(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    body = {"code": "isolated_shop", "name": "隔离店", "kind": "own_shop"}
    response = await client.post(
        "/api/v1/catalog/channels", json=body, headers=await tenant.headers("owner")
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _sku(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    code = f"ISO-{uuid.uuid4().hex[:8]}"  # makers that need a SKU each make their own
    body = {"code": code, "name": "隔离 SKU", "skus": [{"code": f"{code}-A", "listPrice": "9"}]}
    response = await client.post(
        "/api/v1/catalog/products", json=body, headers=await tenant.headers("owner")
    )
    assert response.status_code == 201, response.text
    return str(response.json()["skus"][0]["id"])


async def _member_price(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    headers = {**(await tenant.headers("owner")), "If-Match": '"v0"'}
    tiers = {"tiers": [{"code": "gold", "name": "金卡"}]}
    assert (
        await client.put("/api/v1/catalog/membership-tiers", json=tiers, headers=headers)
    ).status_code == 200
    response = await client.post(
        f"/api/v1/catalog/skus/{await _sku(tenant, client)}/member-prices",
        json={"tier": "gold", "amount": "8"},
        headers=await tenant.headers("owner"),
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _promotion(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    response = await client.post(
        f"/api/v1/catalog/skus/{await _sku(tenant, client)}/promotions",
        json=PROMOTION,
        headers=await tenant.headers("owner"),
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _catalog_import(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    body = "product_code,product_name\r\nISO-1,隔离商品\r\n".encode()
    response = await client.post(
        "/api/v1/catalog/imports",
        files={"file": ("iso.csv", body, "text/csv")},
        headers=await tenant.headers("owner"),
    )
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


async def _catalog_export(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    response = await client.post(
        "/api/v1/catalog/exports", json={"format": "csv"}, headers=await tenant.headers("owner")
    )
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


ROUTES: dict[str, EntityRoute] = {
    "/api/v1/catalog/categories/{category_id:uuid}": EntityRoute(
        _category, {"PATCH": {"name": "男装"}}
    ),
    "/api/v1/catalog/brands/{brand_id:uuid}": EntityRoute(_brand, {"PATCH": {"name": "Sony"}}),
    "/api/v1/catalog/product-types/{type_id:uuid}": EntityRoute(
        _product_type, {"PATCH": {"name": "衬衫"}}
    ),
    "/api/v1/catalog/products/{product_id:uuid}": EntityRoute(
        _product, {"PUT": {"name": "改名", "skus": [{"code": "ISO-1-A"}]}}
    ),
    "/api/v1/catalog/products/{product_id:uuid}/versions": EntityRoute(_product),
    "/api/v1/catalog/products/{product_id:uuid}/sku-matrix": EntityRoute(
        _product, {"POST": {"axes": {}}}
    ),
    "/api/v1/catalog/products/{product_id:uuid}/sku-matrix/preview": EntityRoute(
        _product, {"POST": {"axes": {}}}
    ),
    "/api/v1/catalog/products/{product_id:uuid}/versions/{older:int}/diff/{newer:int}": (
        EntityRoute(_product, params={"older": "1", "newer": "1"})
    ),
    "/api/v1/catalog/imports/{import_id:uuid}": EntityRoute(_catalog_import),
    "/api/v1/catalog/imports/{import_id:uuid}/errors": EntityRoute(_catalog_import),
    "/api/v1/catalog/imports/{import_id:uuid}/commit": EntityRoute(
        _catalog_import, {"POST": {"validOnly": False}}
    ),
    "/api/v1/catalog/exports/{export_id:uuid}": EntityRoute(_catalog_export),
    "/api/v1/catalog/exports/{export_id:uuid}/file": EntityRoute(_catalog_export),
    "/api/v1/catalog/channels/{channel_id:uuid}": EntityRoute(_channel, {"PATCH": {"name": "新"}}),
    "/api/v1/catalog/products/{product_id:uuid}/listings": EntityRoute(_product),
    "/api/v1/catalog/products/{product_id:uuid}/publish": EntityRoute(
        _product, {"POST": NO_CHANNEL}
    ),
    "/api/v1/catalog/products/{product_id:uuid}/unpublish": EntityRoute(
        _product, {"POST": NO_CHANNEL}
    ),
    "/api/v1/catalog/products/{product_id:uuid}/channel-prices": EntityRoute(
        _product, {"PUT": {**NO_CHANNEL, "prices": {}}}
    ),
    "/api/v1/catalog/skus/{sku_id:uuid}/price": EntityRoute(_sku),
    "/api/v1/catalog/skus/{sku_id:uuid}/member-prices": EntityRoute(
        _sku, {"POST": {"tier": "gold", "amount": "8"}}
    ),
    "/api/v1/catalog/skus/{sku_id:uuid}/promotions": EntityRoute(_sku, {"POST": PROMOTION}),
    "/api/v1/catalog/member-prices/{price_id:uuid}": EntityRoute(
        _member_price, {"PATCH": {"amount": "9"}}
    ),
    "/api/v1/catalog/promotions/{promotion_id:uuid}": EntityRoute(
        _promotion, {"PUT": {**PROMOTION, "amount": "6"}}
    ),
    "/api/v1/catalog/products/{product_id:uuid}/versions/{number:int}/restore": EntityRoute(
        _product, params={"number": "1"}
    ),
    "/api/v1/catalog/categories/{category_id:uuid}/products": EntityRoute(_category),
    "/api/v1/catalog/products/{product_id:uuid}/media": EntityRoute(
        _product, files={"POST": upload}
    ),
    "/api/v1/catalog/products/{product_id:uuid}/media/order": EntityRoute(
        _product, {"PUT": {"order": []}}
    ),
    "/api/v1/catalog/media/{media_id:uuid}": EntityRoute(_media, {"PATCH": {"altText": "x"}}),
    "/api/v1/catalog/media/{media_id:uuid}/content": EntityRoute(_media),
    "/api/v1/catalog/brands/{brand_id:uuid}/logo": EntityRoute(
        _brand_with_logo, files={"PUT": upload}
    ),
    "/api/v1/catalog/products/{product_id:uuid}/related": EntityRoute(_product),
    "/api/v1/catalog/products/{product_id:uuid}/related/{kind:str}": EntityRoute(
        _product, {"PUT": {"productIds": []}}, params={"kind": "cross_sell"}
    ),
}
LISTS = [
    "/api/v1/catalog/categories",
    "/api/v1/catalog/brands",
    "/api/v1/catalog/product-types",
    "/api/v1/catalog/products",
    "/api/v1/catalog/channels",
    "/api/v1/catalog/membership-tiers",
]
LIST_MAKERS: tuple[Maker, ...] = (
    _category,
    _brand,
    _product_type,
    _product,
    _channel,
    _member_price,
)


async def _any_product(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    """A product of its own each time (the console's menu walk makes one per route)."""
    code = f"ISO-{uuid.uuid4().hex[:8]}"
    body = {"code": code, "name": "隔离商品", "skus": [{"code": f"{code}-A", "listPrice": "9"}]}
    response = await client.post(
        "/api/v1/catalog/products", json=body, headers=await tenant.headers("owner")
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _any_media(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    product_id = await _any_product(tenant, client)
    response = await client.post(
        f"/api/v1/catalog/products/{product_id}/media",
        files={"file": ("a.png", png(), "image/png")},
        headers=await tenant.headers("owner"),
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _any_typed_product(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    """A product of a type with a variant axis (size: S, M), without SKUs yet."""
    body = {
        "name": "尺码款",
        "attributes": [
            {
                "code": "size",
                "name": "尺码",
                "kind": "enum",
                "variantAxis": True,
                "allowedValues": ["S", "M"],
            },
        ],
    }
    owner = await tenant.headers("owner")
    made = await client.post("/api/v1/catalog/product-types", json=body, headers=owner)
    assert made.status_code == 201, made.text
    code = f"ISO-{uuid.uuid4().hex[:8]}"
    product = {"code": code, "name": "隔离尺码款", "productTypeId": made.json()["id"], "skus": []}
    response = await client.post("/api/v1/catalog/products", json=product, headers=owner)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


_NEW_PRODUCT: dict[str, str | list[str]] = {
    "code": "ISO-NEW",
    "name": "隔离新品",
    **{name: [""] for name in ("sku_id", "sku_code", "sku_barcode", "sku_price", "sku_weight")},
}
_ON_CHANNEL = ConsoleRoute(_any_product, form={"channel": _channel})

# The console's catalog pages with an id (tests/e2e/console/test_console_isolation.py),
# and the ids their filters and forms take.
CONSOLE_ROUTES: dict[str, Maker | ConsoleRoute] = {
    "/console/catalog": ConsoleRoute(
        query={"category": _category, "brand": _brand, "channel": _channel}
    ),
    "/console/catalog/products/new": ConsoleRoute(
        form={"category": _category, "brand": _brand, "product_type": _product_type},
        fields=_NEW_PRODUCT,
    ),
    # a SKU row naming the other company's SKU by its id, with a code to write
    "/console/catalog/products/{product_id:uuid}": ConsoleRoute(
        _any_product,
        form={
            "category": _category,
            "brand": _brand,
            "product_type": _product_type,
            "sku_id": _sku,
        },
        fields={**_NEW_PRODUCT, "code": "", "version": "1", "sku_code": ["ISO-EDIT-A"]},
    ),
    "/console/catalog/products/{product_id:uuid}/sku-matrix": ConsoleRoute(
        _any_typed_product, fields={"version": "1", "axis_size": "S"}
    ),
    "/console/catalog/products/{product_id:uuid}/sku-matrix/preview": ConsoleRoute(
        _any_typed_product, fields={"axis_size": "S"}
    ),
    "/console/settings/product-types/{type_id:uuid}": _product_type,
    "/console/catalog/products/{product_id:uuid}/publish": _ON_CHANNEL,
    "/console/catalog/products/{product_id:uuid}/unpublish": _ON_CHANNEL,
    "/console/catalog/products/{product_id:uuid}/prices": _ON_CHANNEL,
    "/console/catalog/products/{product_id:uuid}/media": _any_product,
    "/console/catalog/media/{media_id:uuid}/content": _any_media,
    "/console/catalog/products/{product_id:uuid}/versions": _any_product,
    "/console/catalog/products/{product_id:uuid}/versions/{number:int}/restore": _any_product,
    "/console/catalog/files/imports/{import_id:uuid}": _catalog_import,
    "/console/catalog/files/imports/{import_id:uuid}/errors": _catalog_import,
    "/console/catalog/files/imports/{import_id:uuid}/commit": _catalog_import,
    "/console/catalog/files/exports/{export_id:uuid}": _catalog_export,
    "/console/catalog/files/exports/{export_id:uuid}/file": _catalog_export,
}
