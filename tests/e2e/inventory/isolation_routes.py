"""The inventory module's routes with an id, for the tenant-isolation route table
(``tests/e2e/platform/test_tenant_isolation_routes.py`` finds this file by discovery)."""

from __future__ import annotations

import uuid

import httpx

from tests.conftest import TenantHandle
from tests.e2e.catalog.isolation_routes import _channel
from tests.e2e.platform.isolation import EntityRoute, Maker


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


ROUTES: dict[str, EntityRoute] = {
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
LISTS = [
    "/api/v1/inventory/warehouses",
    "/api/v1/inventory/stock",
    "/api/v1/inventory/ledger",
    "/api/v1/inventory/valuation",  # INV-7: another tenant's values never show
]
LIST_MAKERS: tuple[Maker, ...] = (_warehouse, _reservation)
