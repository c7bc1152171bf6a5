"""The orders module's routes with an id, and its routes without one over the tenant's
data as a whole (``TENANT_ROUTES``), for the tenant-isolation route table
(``tests/e2e/platform/test_tenant_isolation_routes.py`` finds this file by discovery)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import httpx

from application.orders.review_job import WaitingReviews
from tests.conftest import TenantHandle
from tests.e2e.catalog.isolation_routes import _channel
from tests.e2e.console.isolation import ConsoleRoute
from tests.e2e.customers.isolation_routes import _customer
from tests.e2e.inventory.isolation_routes import _warehouse
from tests.e2e.orders.support import BASE, RECEIVER, channel, order_body, sku_code, stocked_sku
from tests.e2e.platform.isolation import EntityRoute, Made, Maker, TenantRoute


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


async def _stocked_code(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    """The code of a SKU in stock (what the console's new order form names a line by)."""
    owner = await tenant.headers("owner")
    return sku_code(await stocked_sku(client, owner, 5, "10.00"))


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


# ---- routes without an id: the tenant's settings, rule set, counts and batches (PLT-1) ----
def _ids(*makers: Maker) -> Made:
    async def make(tenant: TenantHandle, client: httpx.AsyncClient) -> list[str]:
        return [await m(tenant, client) for m in makers]

    return make


def _setting(path: str, body: dict[str, Any]) -> Made:
    """Tenant A's own value of a setting (none of the defaults, none B sets)."""

    async def make(tenant: TenantHandle, client: httpx.AsyncClient) -> list[str]:
        response = await client.put(path, json=body, headers=await tenant.headers("owner"))
        assert response.status_code == 200, response.text
        return []

    return make


_A_RULES = [{"id": "a", "name": "A 自动审核", "priority": 1, "actions": [{"kind": "approve"}]}]
_B_RULES = [
    {
        "id": "b",
        "name": "B 暂缓",
        "priority": 5,
        "actions": [{"kind": "hold", "hours": 1, "reason": "B 的规则"}],
    }
]


async def _rules(tenant: TenantHandle, client: httpx.AsyncClient) -> list[str]:
    """Tenant A's rule set: approve every order reviewed."""
    response = await client.put(
        f"{BASE}/rules",
        json={"rules": _A_RULES},
        headers={**(await tenant.headers("owner")), "If-Match": '"v0"'},
    )
    assert response.status_code == 200, response.text
    return []


async def _waiting(tenant: TenantHandle, client: httpx.AsyncClient) -> list[str]:
    """Two cash-on-delivery orders, awaiting review at once (no rules yet)."""
    owner = await tenant.headers("owner")
    sku = await stocked_sku(client, owner, 5, "10.00")
    ids = []
    for _ in range(2):
        body = order_body((sku, 1), cashOnDelivery=True)
        placed = await client.post(BASE, json=body, headers=owner)
        assert placed.status_code == 201 and placed.json()["status"] == "awaiting_review"
        ids.append(str(placed.json()["id"]))
    return ids


async def _waiting_then_rules(tenant: TenantHandle, client: httpx.AsyncClient) -> list[str]:
    """Orders that waited before the rules, then rules that would approve them."""
    ids = await _waiting(tenant, client)
    await _rules(tenant, client)
    return ids


async def _mergeable(tenant: TenantHandle, client: httpx.AsyncClient) -> list[str]:
    """Two paid orders of one customer and receiver (ORD-4: they may merge)."""
    owner = await tenant.headers("owner")
    sku = await stocked_sku(client, owner, 5, "10.00")
    customer, ids = str(uuid.uuid4()), []
    for _ in range(2):
        placed = await client.post(
            BASE, json=order_body((sku, 1), customerId=customer), headers=owner
        )
        assert placed.status_code == 201, placed.text
        paid = await client.post(
            f"{BASE}/{placed.json()['id']}/payments",
            json={"method": "cash", "amount": "10.00"},
            headers=owner,
        )
        assert paid.status_code == 201 and paid.json()["status"] == "awaiting_review"
        ids.append(str(placed.json()["id"]))
    return ids


async def _abnormal(tenant: TenantHandle, client: httpx.AsyncClient) -> list[str]:
    """A marketplace order of a SKU out of stock: accepted, abnormal ``out_of_stock``."""
    owner = await tenant.headers("owner")
    sku = await stocked_sku(client, owner, 0, "10.00")
    body = {
        "lines": [{"skuId": sku, "quantity": 1, "unitPrice": "10.00"}],
        "receiver": RECEIVER,
        "source": "marketplace",
        "channelId": await channel(client, owner, f"iso{uuid.uuid4().hex[:6]}"),
        "platformOrderIds": [f"ISO-{uuid.uuid4().hex[:8]}"],
    }
    placed = await client.post(BASE, json=body, headers=owner)
    assert placed.status_code == 201 and placed.json()["status"] == "abnormal", placed.text
    return [str(placed.json()["id"])]


async def _run_the_job(tenant: TenantHandle, started: httpx.Response) -> None:
    """The worker's task of a review job the tenant started."""
    assert started.status_code == 202, started.text
    await tenant.container.get(WaitingReviews).run(tenant.id, UUID(started.json()["id"]))


def _all_not_found(answer: Any, ids: list[str]) -> bool:
    """A bulk action's result per order: each of the other company's orders not found."""
    return [(r["orderId"], r["done"], r["code"]) for r in answer] == [
        (i, False, "not_found") for i in ids
    ]


# The test tenant's days are Shanghai's: a period of three days around today holds A's
# orders whenever the test runs.
_TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
_PERIOD = {"from": str(_TODAY - timedelta(days=1)), "to": str(_TODAY + timedelta(days=1))}
_UNPAID, _MERGE, _RISK = (
    f"{BASE}/settings/unpaid-limit",
    f"{BASE}/settings/auto-merge",
    f"{BASE}/settings/risk-policy",
)
_ANY = {"If-Match": "*"}  # each tenant's own rule set, whatever its version
TENANT_ROUTES: dict[str, TenantRoute] = {
    # reads (ORD-5, ORD-8, ORD-10): B's answer is the same before and after A's data
    f"GET {BASE}/abnormal": TenantRoute(_abnormal),
    f"GET {BASE}/views": TenantRoute(_ids(_view)),
    f"GET {BASE}/analytics": TenantRoute(_ids(_order), query=_PERIOD),
    f"GET {BASE}/rules": TenantRoute(_rules),
    f"POST {BASE}/rules/dry-run": TenantRoute(_waiting, body=lambda _: {}),
    f"GET {_UNPAID}": TenantRoute(_setting(_UNPAID, {"minutes": 77})),
    f"GET {_MERGE}": TenantRoute(_setting(_MERGE, {"minutes": 30})),
    f"GET {_RISK}": TenantRoute(_setting(_RISK, {"highAmount": "300.00"})),
    # writes (ORD-1, ORD-4, ORD-5, ORD-8): A's data is as it was after B's request
    f"PUT {BASE}/rules": TenantRoute(
        _rules, body=lambda _: {"rules": _B_RULES}, headers=_ANY, reads=(f"{BASE}/rules",)
    ),
    f"PUT {_UNPAID}": TenantRoute(
        _setting(_UNPAID, {"minutes": 77}), body=lambda _: {"minutes": 99}, reads=(_UNPAID,)
    ),
    f"PUT {_MERGE}": TenantRoute(
        _setting(_MERGE, {"minutes": 30}), body=lambda _: {"minutes": 45}, reads=(_MERGE,)
    ),
    f"PUT {_RISK}": TenantRoute(
        _setting(_RISK, {"highAmount": "300.00"}),
        body=lambda _: {"highAmount": "400.00"},
        reads=(_RISK,),
    ),
    f"POST {BASE}/rules/review-waiting": TenantRoute(
        _waiting_then_rules,
        body=lambda _: {},
        reads=(BASE,),
        answer=lambda got, _: got["reviewed"] == 0,
    ),
    f"POST {BASE}/rules/review-waiting/jobs": TenantRoute(
        _waiting_then_rules, reads=(BASE,), answers=(202,), settle=_run_the_job
    ),
    # B names A's orders: each is not found (bulk), or the whole request is (merge)
    f"POST {BASE}/bulk": TenantRoute(
        _waiting,
        body=lambda ids: {"action": "approve", "orderIds": ids},
        reads=(BASE,),
        answer=_all_not_found,
    ),
    f"POST {BASE}/merge": TenantRoute(
        _mergeable,
        body=lambda ids: {"orderIds": ids, "reason": "合单"},
        reads=(BASE,),
        answers=(404,),
    ),
}
WITHOUT_A_CASE = {
    f"POST {BASE}": "creates an order: the lists show it (LISTS)",
    f"POST {BASE}/views": "creates a view: GET views shows it (a case)",
}

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
    # New order (ORD-1): the other company's customer or channel is none of this one's —
    # not found (404, said on the form) and nothing written; the rest is a valid order of
    # B's own SKU.
    "/console/orders/new": ConsoleRoute(
        query={"customer": _customer},
        form={"channel": _channel, "customer": _customer},
        own={"sku": _stocked_code},
        fields={
            "key": "isolation-form",
            "quantity": "1",
            "name": "张三",
            "phone": "13800001234",
            "province": "浙江省",
            "city": "杭州市",
            "district": "西湖区",
            "line": "文三路 1 号",
        },
        answers=(404,),
    ),
    # A bulk action answers its result page (200), each order refused on it by name: the
    # other company's orders to B's warehouse, or B's own orders to the other's warehouse.
    "/console/orders/bulk": ConsoleRoute(
        form={"order_ids": _order, "warehouse": _warehouse},
        own={"order_ids": _order, "warehouse": _warehouse},
        fields={"action": "assign_warehouse"},
        answers=(200,),
    ),
}
