"""The inventory module's routes with an id, for the tenant-isolation route table
(``tests/e2e/platform/test_tenant_isolation_routes.py`` finds this file by discovery)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import httpx

from tests.conftest import TenantHandle
from tests.e2e.catalog.isolation_routes import _category, _channel
from tests.e2e.console.isolation import ConsoleRoute
from tests.e2e.platform.isolation import EntityRoute, Maker


async def _warehouse(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    body = {"code": f"ISO-{uuid.uuid4().hex[:6]}", "name": "隔离仓"}
    response = await client.post(
        "/api/v1/inventory/warehouses", json=body, headers=await tenant.headers("owner")
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _sku_and_warehouse(
    tenant: TenantHandle, client: httpx.AsyncClient, prefix: str, name: str
) -> tuple[str, str]:
    """A new product's SKU and a new warehouse: (SKU id, warehouse id)."""
    code = f"{prefix}-{uuid.uuid4().hex[:6]}"
    product = {"code": code, "name": name, "skus": [{"code": f"{code}-A", "listPrice": "9"}]}
    response = await client.post(
        "/api/v1/catalog/products", json=product, headers=await tenant.headers("owner")
    )
    assert response.status_code == 201, response.text
    return str(response.json()["skus"][0]["id"]), await _warehouse(tenant, client)


async def _reservation(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    owner = await tenant.headers("owner")
    sku, warehouse = await _sku_and_warehouse(tenant, client, "ISO-R", "隔离库存")
    receipt = {"skuId": sku, "warehouseId": warehouse, "quantity": 5}
    response = await client.post("/api/v1/inventory/receipts", json=receipt, headers=owner)
    assert response.status_code == 201, response.text
    body = {"lines": [{"skuId": sku, "quantity": 1}]}
    response = await client.post("/api/v1/inventory/reservations", json=body, headers=owner)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _stocked(tenant: TenantHandle, client: httpx.AsyncClient) -> tuple[str, str]:
    """A SKU with 5 units in a new warehouse: (SKU id, warehouse id)."""
    owner = await tenant.headers("owner")
    sku, warehouse = await _sku_and_warehouse(tenant, client, "ISO-C", "隔离盘点")
    receipt = {"skuId": sku, "warehouseId": warehouse, "quantity": 5}
    response = await client.post("/api/v1/inventory/receipts", json=receipt, headers=owner)
    assert response.status_code == 201, response.text
    return sku, warehouse


async def _count(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    _, warehouse = await _stocked(tenant, client)
    body = {"warehouseId": warehouse, "kind": "full"}
    owner = await tenant.headers("owner")
    response = await client.post("/api/v1/inventory/counts", json=body, headers=owner)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _transfer(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    sku, source = await _stocked(tenant, client)
    body = {
        "sourceId": source,
        "destinationId": await _warehouse(tenant, client),
        "lines": [{"skuId": sku, "quantity": 1}],
    }
    owner = await tenant.headers("owner")
    response = await client.post("/api/v1/inventory/transfers", json=body, headers=owner)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


_SKU = "01900000-0000-7000-8000-000000000000"
COUNT = "/api/v1/inventory/counts/{count_id:uuid}"
TRANSFER = "/api/v1/inventory/transfers/{transfer_id:uuid}"


async def _alert(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    """A low-stock alert: a threshold of 5 and 1 unit received."""
    owner = await tenant.headers("owner")
    sku, warehouse = await _sku_and_warehouse(tenant, client, "ISO-A", "隔离预警")
    response = await client.put(
        f"/api/v1/inventory/warehouses/{warehouse}/thresholds/{sku}",
        json={"low": 5},
        headers={**owner, "If-Match": '"v0"'},
    )
    assert response.status_code == 200, response.text
    receipt = {"skuId": sku, "warehouseId": warehouse, "quantity": 1}
    response = await client.post("/api/v1/inventory/receipts", json=receipt, headers=owner)
    assert response.status_code == 201, response.text
    response = await client.get("/api/v1/inventory/alerts", params={"skuId": sku}, headers=owner)
    return str(response.json()["items"][0]["id"])


async def _stock_import(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    body = b"sku_code,warehouse_code,quantity\r\nISO-1,ISO,1\r\n"
    response = await client.post(
        "/api/v1/inventory/stock-imports",
        files={"file": ("iso.csv", body, "text/csv")},
        headers=await tenant.headers("owner"),
    )
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


async def _serial_sku(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    """A serial-managed, batch-managed SKU holding serial ISO-S1 in batch ISO-B1, expiring
    tomorrow (INV-8)."""
    owner = await tenant.headers("owner")
    sku, warehouse = await _sku_and_warehouse(tenant, client, "ISO-S", "隔离批次")
    response = await client.put(
        f"/api/v1/inventory/skus/{sku}/stock-settings",
        json={"batchManaged": True, "serialManaged": True},
        headers={**owner, "If-Match": '"v0"'},
    )
    assert response.status_code == 200, response.text
    receipt = {
        "skuId": sku,
        "warehouseId": warehouse,
        "quantity": 1,
        "batchNo": "ISO-B1",
        "expiryDate": (date.today() + timedelta(days=1)).isoformat(),
        "serials": ["ISO-S1"],
    }
    response = await client.post("/api/v1/inventory/receipts", json=receipt, headers=owner)
    assert response.status_code == 201, response.text
    return sku


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
    COUNT: EntityRoute(_count),
    f"{COUNT}/start": EntityRoute(_count),
    f"{COUNT}/submit": EntityRoute(_count),
    f"{COUNT}/cancel": EntityRoute(_count),
    f"{COUNT}/approve": EntityRoute(_count),
    f"{COUNT}/sheet": EntityRoute(_count),
    f"{COUNT}/variances": EntityRoute(_count),
    f"{COUNT}/entries": EntityRoute(_count, {"POST": {"lines": [{"skuId": _SKU, "counted": 1}]}}),
    f"{COUNT}/scans": EntityRoute(_count, {"POST": {"skuId": _SKU}}),
    TRANSFER: EntityRoute(_transfer),
    f"{TRANSFER}/ship": EntityRoute(_transfer),
    f"{TRANSFER}/cancel": EntityRoute(_transfer),
    f"{TRANSFER}/receipts": EntityRoute(
        _transfer, {"POST": {"lines": [{"skuId": _SKU, "received": 1}]}}
    ),
    "/api/v1/inventory/alerts/{alert_id:uuid}": EntityRoute(_alert),
    "/api/v1/inventory/warehouses/{warehouse_id:uuid}/thresholds/{sku_id:uuid}": EntityRoute(
        _warehouse,
        {"PUT": {"low": 1}},
        params={"sku_id": "01900000-0000-7000-8000-000000000000"},
    ),
    "/api/v1/inventory/categories/{category_id:uuid}/thresholds": EntityRoute(
        _category, {"PUT": {"low": 1}}
    ),
    "/api/v1/inventory/stock-imports/{import_id:uuid}": EntityRoute(_stock_import),
    "/api/v1/inventory/stock-imports/{import_id:uuid}/errors": EntityRoute(_stock_import),
    "/api/v1/inventory/stock-imports/{import_id:uuid}/commit": EntityRoute(
        _stock_import, {"POST": {"validOnly": False}}
    ),
    # INV-8
    "/api/v1/inventory/skus/{sku_id:uuid}/stock-settings": EntityRoute(
        _serial_sku, {"PUT": {"batchManaged": True}}
    ),
    "/api/v1/inventory/skus/{sku_id:uuid}/serials/{serial:str}": EntityRoute(
        _serial_sku, params={"serial": "ISO-S1"}
    ),
}
LISTS = [
    "/api/v1/inventory/warehouses",
    "/api/v1/inventory/stock",
    "/api/v1/inventory/ledger",
    "/api/v1/inventory/counts",
    "/api/v1/inventory/transfers",
    "/api/v1/inventory/alerts",
    "/api/v1/inventory/thresholds",
    "/api/v1/inventory/position",
    "/api/v1/inventory/valuation",  # INV-7: another tenant's values never show
    "/api/v1/inventory/expiring",  # INV-8
]
LIST_MAKERS: tuple[Maker, ...] = (
    _warehouse,
    _reservation,
    _count,
    _transfer,
    _alert,
    _serial_sku,
)

# The console's inventory pages with an id (tests/e2e/console/test_console_isolation.py).
CONSOLE_COUNT = "/console/inventory/counts/{count_id:uuid}"
CONSOLE_TRANSFER = "/console/inventory/transfers/{transfer_id:uuid}"
_BY_WAREHOUSE = ConsoleRoute(query={"warehouse": _warehouse})
CONSOLE_ROUTES: dict[str, Maker | ConsoleRoute] = {
    "/console/inventory": _BY_WAREHOUSE,
    "/console/inventory/alerts": _BY_WAREHOUSE,
    "/console/inventory/valuation": _BY_WAREHOUSE,
    "/console/inventory/receive": ConsoleRoute(
        form={"warehouse": _warehouse}, fields={"sku": "ISO-NONE", "quantity": "1"}
    ),
    "/console/inventory/counts": ConsoleRoute(
        form={"warehouse": _warehouse}, fields={"kind": "full"}
    ),
    "/console/inventory/transfers": ConsoleRoute(
        form={"source": _warehouse, "destination": _warehouse},
        fields={"sku": ["ISO-NONE"], "quantity": ["1"]},
    ),
    CONSOLE_COUNT: _count,
    **{f"{CONSOLE_COUNT}/{step}": _count for step in ("start", "submit", "approve", "cancel")},
    f"{CONSOLE_COUNT}/entry": _count,
    f"{CONSOLE_COUNT}/scan": _count,
    CONSOLE_TRANSFER: _transfer,
    **{f"{CONSOLE_TRANSFER}/{step}": _transfer for step in ("ship", "cancel", "receipts")},
}
