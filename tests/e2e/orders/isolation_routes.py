"""The orders module's routes with an id, for the tenant-isolation route table
(``tests/e2e/platform/test_tenant_isolation_routes.py`` finds this file by discovery)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import TenantHandle
from tests.e2e.catalog.isolation_routes import _channel
from tests.e2e.console.isolation import ConsoleRoute
from tests.e2e.customers.isolation_routes import _customer
from tests.e2e.inventory.isolation_routes import _warehouse
from tests.e2e.orders.support import BASE, channel, order_body, stocked_sku
from tests.e2e.platform.isolation import EntityRoute, Maker


async def _order(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    owner = await tenant.headers("owner")
    sku = await stocked_sku(client, owner, 5, "10.00")
    response = await client.post(BASE, json=order_body((sku, 1)), headers=owner)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _two_line_order(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    """An order of two lines: a split by lines may take either."""
    owner = await tenant.headers("owner")
    skus = [await stocked_sku(client, owner, 5, "10.00") for _ in range(2)]
    response = await client.post(BASE, json=order_body(*((s, 1) for s in skus)), headers=owner)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _order_line(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    """A line of an order (what a split's ``line_ids`` name)."""
    order_id = await _order(tenant, client)
    owner = await tenant.headers("owner")
    order = (await client.get(f"{BASE}/{order_id}", headers=owner)).json()
    return str(order["lines"][0]["id"])


# The warehouse route's body names a warehouse of tenant A: its maker fills it in (the
# table sends the body after making the entity).
_ASSIGNED: dict[str, Any] = {}


async def _order_and_its_warehouse(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    order_id = await _order(tenant, client)
    owner = await tenant.headers("owner")
    order = (await client.get(f"{BASE}/{order_id}", headers=owner)).json()
    stock = await client.get(
        "/api/v1/inventory/stock", params={"skuId": order["lines"][0]["skuId"]}, headers=owner
    )
    _ASSIGNED["warehouseId"] = stock.json()["items"][0]["warehouseId"]
    return order_id


async def _mapped_channel(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    """A channel with one SKU code mapped (ORD-9, CHN-2)."""
    owner = await tenant.headers("owner")
    sku = await stocked_sku(client, owner, 0, "10.00")
    channel_id = await channel(client, owner, "iso_shop")
    body = {"channelSkuCode": "ISO-1", "skuId": sku}
    response = await client.put(
        f"{BASE}/channels/{channel_id}/sku-mappings", json=body, headers=owner
    )
    assert response.status_code == 200, response.text
    return channel_id


async def _order_import(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    """An order file uploaded for a channel (ORD-9, CHN-2)."""
    owner = await tenant.headers("owner")
    channel_id = await channel(client, owner, "iso_import")
    response = await client.post(
        f"{BASE}/channels/{channel_id}/imports",
        files={"file": ("orders.json", b'{"orders": []}', "application/json")},
        headers=owner,
    )
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


def _orders_file() -> dict[str, Any]:
    return {"file": ("orders.json", b'{"orders": []}', "application/json")}


async def _view(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    """A saved view of the work queue, shared with the tenant (ORD-8)."""
    owner = await tenant.headers("owner")
    body = {"name": "异常单", "shared": True, "filters": {"abnormalType": "out_of_stock"}}
    response = await client.post(f"{BASE}/views", json=body, headers=owner)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


_ROUTE = f"{BASE}/{{order_id:uuid}}"
_IMPORT = f"{BASE}/channels/imports/{{import_id:uuid}}"
ROUTES: dict[str, EntityRoute] = {
    f"{BASE}/customers/{{customer_id:uuid}}": EntityRoute(_customer),
    _ROUTE: EntityRoute(_order),
    f"{_ROUTE}/timeline": EntityRoute(_order),
    f"{_ROUTE}/payments": EntityRoute(_order, {"POST": {"method": "cash", "amount": "1.00"}}),
    f"{_ROUTE}/refunds": EntityRoute(
        _order,
        {
            "POST": {
                "paymentId": "01900000-0000-7000-8000-000000000000",
                "amount": "1.00",
                "reason": "退款",
            }
        },
    ),
    f"{_ROUTE}/approve": EntityRoute(_order),
    f"{_ROUTE}/priority": EntityRoute(_order, {"POST": {"priority": 3}}),
    f"{_ROUTE}/warehouse": EntityRoute(_order_and_its_warehouse, {"POST": _ASSIGNED}),
    f"{BASE}/views/{{view_id:uuid}}": EntityRoute(_view, {"PUT": {"name": "改名", "order": "age"}}),
    f"{_ROUTE}/hold": EntityRoute(_order, {"POST": {"reason": "暂缓"}}),
    f"{_ROUTE}/release": EntityRoute(_order),
    f"{_ROUTE}/resolve-abnormal": EntityRoute(
        _order, {"POST": {"type": "out_of_stock", "reason": "到货"}}
    ),
    f"{_ROUTE}/cancel": EntityRoute(_order, {"POST": {"reason": "取消"}}),
    f"{_ROUTE}/edits": EntityRoute(_order, {"POST": {"reason": "改单", "edits": []}}),
    f"{_ROUTE}/split": EntityRoute(_order, {"POST": {"by": "presale", "reason": "拆单"}}),
    f"{_ROUTE}/rejoin": EntityRoute(_order, {"POST": {"reason": "合回"}}),
    f"{_ROUTE}/unmerge": EntityRoute(_order, {"POST": {"reason": "拆回"}}),
    f"{BASE}/channels/{{channel_id:uuid}}/sku-mappings": EntityRoute(
        _mapped_channel,
        {"PUT": {"channelSkuCode": "ISO-2", "skuId": "01900000-0000-7000-8000-000000000000"}},
    ),
    f"{BASE}/channels/{{channel_id:uuid}}/imports": EntityRoute(
        _mapped_channel, files={"POST": _orders_file}
    ),
    _IMPORT: EntityRoute(_order_import),
    f"{_IMPORT}/errors": EntityRoute(_order_import),
    f"{_IMPORT}/commit": EntityRoute(_order_import, {"POST": {"validOnly": True}}),
}
LISTS = [BASE, f"{BASE}/queue"]
LIST_MAKERS: tuple[Maker, ...] = (_order,)

# The console's pages of an order (PLT-8): each shows or acts on tenant A's order.
_CONSOLE_ORDER = "/console/orders/{order_id:uuid}"
CONSOLE_ROUTES: dict[str, Maker | ConsoleRoute] = {
    _CONSOLE_ORDER: _order,
    **{
        f"{_CONSOLE_ORDER}/{action}": _order
        for action in (
            "approve",
            "hold",
            "release",
            "payments",
            "edit",
            "unmerge",
            "rejoin",
            "resolve-abnormal",
        )
    },
    # The other company's line is no line of this order: the split is refused (409
    # order_split_refused, unknown_line), as for any line not on it.
    f"{_CONSOLE_ORDER}/split": ConsoleRoute(
        _two_line_order,
        form={"line_ids": _order_line},
        fields={"reason": "拆分"},
        answers=(409,),
        page=_CONSOLE_ORDER,
    ),
    f"{_CONSOLE_ORDER}/merge": ConsoleRoute(
        _order, form={"order_ids": _order}, fields={"reason": "合并"}
    ),
    "/console/orders": ConsoleRoute(query={"channel": _channel, "view": _view}),
    # A bulk action answers its result page (200), each order refused on it by name: the
    # other company's orders to B's warehouse, or B's own orders to the other's warehouse.
    "/console/orders/bulk": ConsoleRoute(
        form={"order_ids": _order, "warehouse": _warehouse},
        own={"order_ids": _order, "warehouse": _warehouse},
        fields={"action": "assign_warehouse"},
        answers=(200,),
    ),
}
