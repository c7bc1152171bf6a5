"""Tenant isolation over HTTP, parametrised over the app's route table (PLT-1).

Every route with an id in its path must be listed in ``ENTITY_ROUTES`` with a way to create
tenant A's entity and a valid body: a new route that is not listed fails
``test_every_route_with_an_id_is_covered``. Tenant B's owner (who holds every permission)
gets 404 on all of them, with or without If-Match, and A's rows never show in B's lists.
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from PIL import Image

from application.keys.rotation import KeyRotation
from application.shared.messages import PublishedEvent
from application.webhooks.service import WebhookService
from domain.notifications.notification import Notification
from entrypoints.http.app import create_app
from tests.conftest import TenantFactory, TenantHandle, support_context

Maker = Callable[[TenantHandle, httpx.AsyncClient], Awaitable[str]]


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


async def _customer(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    body = {"name": "王小明", "phone": "13800138000", "email": "wang@example.com"}
    response = await client.post(
        "/api/v1/customers", json=body, headers=await tenant.headers("owner")
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


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


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 20, 30)).save(buffer, "PNG")
    return buffer.getvalue()


async def _media(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    product_id = await _product(tenant, client)
    response = await client.post(
        f"/api/v1/catalog/products/{product_id}/media",
        files={"file": ("a.png", _png(), "image/png")},
        headers=await tenant.headers("owner"),
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _brand_with_logo(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    brand_id = await _brand(tenant, client)
    response = await client.put(
        f"/api/v1/catalog/brands/{brand_id}/logo",
        files={"file": ("a.png", _png(), "image/png")},
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
    body = {"code": "ISO-2", "name": "隔离 SKU", "skus": [{"code": "ISO-2-A", "listPrice": "9"}]}
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


async def _inbox_message(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    """A message in the owner's inbox (the owner makes the control request)."""
    users = (await client.get("/api/v1/users", headers=await tenant.headers("owner"))).json()
    owner_id = next(u["id"] for u in users if u["email"] == tenant.owner_email)
    container = tenant.container
    async with container.uow_factory.for_tenant(tenant.admin_context) as uow:
        receipt = await container.notifier.notify(
            uow, Notification("platform.test", "test", users=(uuid.UUID(owner_id),))
        )
        await uow.commit()
    return str(receipt.inbox_message_ids[0])


async def _webhook_endpoint(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    body = {"url": "https://hooks.example.com/isolated", "eventTypes": ["*"]}
    response = await client.post(
        "/api/v1/webhooks/endpoints", json=body, headers=await tenant.headers("owner")
    )
    assert response.status_code == 201, response.text
    return str(response.json()["endpoint"]["id"])


async def _webhook_delivery(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    """A delivery of an event to a new endpoint, recorded but not queued (nothing is sent)."""
    endpoint_id = await _webhook_endpoint(tenant, client)
    container = tenant.container
    event = PublishedEvent(
        uuid.uuid4(),
        tenant.id,
        "customer.updated",
        "customer",
        uuid.uuid4(),
        ("tags",),
        datetime.now(UTC),
    )
    async with container.uow_factory.for_tenant(tenant.admin_context) as uow:
        record = container.get(WebhookService).record_deliveries_for_event
        deliveries = await record.in_unit_of_work(uow, event)
        await uow.commit()
    return next(str(d.id) for d in deliveries if str(d.endpoint_id) == endpoint_id)


async def _job(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    """A re-encryption job (a key rotation creates one)."""
    job = await tenant.container.get(KeyRotation).rotate(support_context(), tenant.id, timedelta(0))
    return str(job.id)


async def _warehouse(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    body = {"code": f"ISO-{uuid.uuid4().hex[:6]}", "name": "隔离仓"}
    response = await client.post(
        "/api/v1/inventory/warehouses", json=body, headers=await tenant.headers("owner")
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _reservation(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    owner = await tenant.headers("owner")
    code = f"ISO-R-{uuid.uuid4().hex[:6]}"
    product = {"code": code, "name": "隔离库存", "skus": [{"code": f"{code}-A", "listPrice": "9"}]}
    response = await client.post("/api/v1/catalog/products", json=product, headers=owner)
    assert response.status_code == 201, response.text
    sku, warehouse = str(response.json()["skus"][0]["id"]), await _warehouse(tenant, client)
    receipt = {"skuId": sku, "warehouseId": warehouse, "quantity": 5}
    response = await client.post("/api/v1/inventory/receipts", json=receipt, headers=owner)
    assert response.status_code == 201, response.text
    body = {"lines": [{"skuId": sku, "quantity": 1}]}
    response = await client.post("/api/v1/inventory/reservations", json=body, headers=owner)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


PROMOTION = {"amount": "7", "startsAt": "2026-11-11T00:00:00"}
# A channel of no tenant: A's own product answers 422 (unknown channel), never 404.
NO_CHANNEL = {"channelId": "01900000-0000-7000-8000-000000000000"}


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


@dataclass(frozen=True)
class EntityRoute:
    make: Maker
    bodies: dict[str, Any] = field(default_factory=dict)  # method -> valid body
    # Path parameters that are not the entity's id (e.g. a version number) -> their value.
    params: dict[str, str] = field(default_factory=dict)
    # method -> multipart files, for upload routes (sent instead of a JSON body).
    files: dict[str, Callable[[], dict[str, Any]]] = field(default_factory=dict)


def _upload() -> dict[str, Any]:
    return {"file": ("a.png", _png(), "image/png")}


ENTITY_ROUTES: dict[str, EntityRoute] = {
    "/api/v1/users/{user_id:uuid}": EntityRoute(_user, {"PATCH": {"active": False}}),
    "/api/v1/users/{user_id:uuid}/roles": EntityRoute(_user, {"PUT": {"roles": ["staff"]}}),
    "/api/v1/roles/{role_id:uuid}": EntityRoute(_role, {"PATCH": {"name": "Renamed"}}),
    "/api/v1/api-keys/{key_id:uuid}": EntityRoute(_api_key),
    "/api/v1/customers/{customer_id:uuid}": EntityRoute(_customer, {"PATCH": {"tags": ["vip"]}}),
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
        _product, files={"POST": _upload}
    ),
    "/api/v1/catalog/products/{product_id:uuid}/media/order": EntityRoute(
        _product, {"PUT": {"order": []}}
    ),
    "/api/v1/catalog/media/{media_id:uuid}": EntityRoute(_media, {"PATCH": {"altText": "x"}}),
    "/api/v1/catalog/media/{media_id:uuid}/content": EntityRoute(_media),
    "/api/v1/catalog/brands/{brand_id:uuid}/logo": EntityRoute(
        _brand_with_logo, files={"PUT": _upload}
    ),
    "/api/v1/catalog/products/{product_id:uuid}/related": EntityRoute(_product),
    "/api/v1/catalog/products/{product_id:uuid}/related/{kind:str}": EntityRoute(
        _product, {"PUT": {"productIds": []}}, params={"kind": "cross_sell"}
    ),
    "/api/v1/inbox/{message_id:uuid}/read": EntityRoute(_inbox_message),
    "/api/v1/webhooks/endpoints/{endpoint_id:uuid}": EntityRoute(
        _webhook_endpoint, {"PATCH": {"description": "renamed"}}
    ),
    "/api/v1/webhooks/endpoints/{endpoint_id:uuid}/rotate-secret": EntityRoute(_webhook_endpoint),
    "/api/v1/webhooks/deliveries/{delivery_id:uuid}": EntityRoute(_webhook_delivery),
    "/api/v1/webhooks/deliveries/{delivery_id:uuid}/replay": EntityRoute(_webhook_delivery),
    "/api/v1/jobs/{job_id:uuid}": EntityRoute(_job),
    "/api/v1/inventory/warehouses/{warehouse_id:uuid}": EntityRoute(
        _warehouse, {"PATCH": {"name": "改名"}}
    ),
    "/api/v1/inventory/warehouses/{warehouse_id:uuid}/close": EntityRoute(_warehouse),
    "/api/v1/inventory/warehouses/{warehouse_id:uuid}/bins": EntityRoute(
        _warehouse, {"POST": {"code": "A-01"}}
    ),
    "/api/v1/inventory/reservations/{reservation_id:uuid}": EntityRoute(_reservation),
    "/api/v1/inventory/reservations/{reservation_id:uuid}/release": EntityRoute(_reservation),
    "/api/v1/inventory/reservations/{reservation_id:uuid}/pick-lock": EntityRoute(_reservation),
    "/api/v1/inventory/reservations/{reservation_id:uuid}/commit": EntityRoute(_reservation),
    "/api/v1/inventory/channels/{channel_id:uuid}/supply": EntityRoute(
        _channel, {"PUT": {"safetyStock": 1}}
    ),
    "/api/v1/inventory/channels/{channel_id:uuid}/availability/{sku_id:uuid}": EntityRoute(
        _channel, params={"sku_id": "01900000-0000-7000-8000-000000000000"}
    ),
}
NOT_TENANT_DATA = re.compile(r"^/schema")
LISTS = [
    "/api/v1/users",
    "/api/v1/roles",
    "/api/v1/api-keys",
    "/api/v1/customers",
    "/api/v1/catalog/categories",
    "/api/v1/catalog/brands",
    "/api/v1/catalog/product-types",
    "/api/v1/catalog/products",
    "/api/v1/catalog/channels",
    "/api/v1/catalog/membership-tiers",
    "/api/v1/audit",
    "/api/v1/inbox",
    "/api/v1/webhooks/endpoints",
    "/api/v1/webhooks/deliveries",
    "/api/v1/jobs",
    "/api/v1/inventory/warehouses",
    "/api/v1/inventory/stock",
    "/api/v1/inventory/ledger",
]


def _routes_with_ids() -> dict[str, set[str]]:
    app = create_app(connect=False)
    found: dict[str, set[str]] = {}
    for route in app.routes:
        if "{" in route.path and not NOT_TENANT_DATA.match(route.path):
            found[route.path] = set(route.methods) - {"HEAD", "OPTIONS"}
    return found


ROUTES = _routes_with_ids()
CASES = [(path, method) for path, methods in sorted(ROUTES.items()) for method in sorted(methods)]


def test_every_route_with_an_id_is_covered() -> None:
    missing = sorted(set(ROUTES) - set(ENTITY_ROUTES))
    assert not missing, f"add these routes to ENTITY_ROUTES: {missing}"


@pytest.mark.parametrize(("path", "method"), CASES)
async def test_another_tenants_id_is_404_whatever_the_headers(
    path: str, method: str, new_tenant: TenantFactory, client: httpx.AsyncClient
) -> None:
    if path not in ENTITY_ROUTES:
        pytest.fail(f"{path} is not in ENTITY_ROUTES")
    a, b = await new_tenant(), await new_tenant()
    route = ENTITY_ROUTES[path]
    entity_id = await route.make(a, client)
    url = re.sub(r"\{([^}:]+)[^}]*\}", lambda m: route.params.get(m.group(1), entity_id), path)
    body = route.bodies.get(method)
    files = route.files.get(method)

    async def send(headers: dict[str, str]) -> httpx.Response:
        if files is not None:
            return await client.request(method, url, files=files(), headers=headers)
        return await client.request(method, url, json=body, headers=headers)

    for extra in ({}, {"If-Match": '"v1"'}, {"If-Match": '"v999"'}):
        response = await send({**(await b.headers("owner")), **extra})
        assert response.status_code == 404, (method, url, extra, response.text)
    # Control: the same request from A's owner does not get 404.
    own = await send({**(await a.headers("owner")), "If-Match": '"v1"'})
    assert own.status_code != 404, own.text


@pytest.mark.parametrize("path", LISTS)
async def test_lists_never_show_another_tenants_rows(
    path: str, new_tenant: TenantFactory, client: httpx.AsyncClient
) -> None:
    a, b = await new_tenant(), await new_tenant()
    makers = (
        _role,
        _api_key,
        _customer,
        _category,
        _brand,
        _product_type,
        _product,
        _channel,
        _member_price,
        _user,
        _webhook_endpoint,
        _webhook_delivery,
        _job,
        _warehouse,
        _reservation,
    )
    ids = {await make(a, client) for make in makers}
    response = await client.get(path, headers=await b.headers("owner"))
    assert response.status_code == 200, response.text
    text = response.text
    assert not any(i in text for i in ids)
    assert str(a.id) not in text
