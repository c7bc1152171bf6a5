"""The fulfilment module's routes with an id, for the tenant-isolation route table."""

from __future__ import annotations

import uuid

import httpx

from tests.conftest import TenantHandle
from tests.e2e.console.isolation import ConsoleRoute
from tests.e2e.fulfilment.support import BASE, approved_order, stocked
from tests.e2e.inventory.isolation_routes import _warehouse
from tests.e2e.platform.isolation import EntityRoute, Maker


async def _wave(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    """An approved order of one unit planned into a wave."""
    owner = await tenant.headers("owner")
    goods = await stocked(client, owner, 3)
    await approved_order(client, owner, (goods.sku, 1))
    plan = {"carrier": f"ISO{uuid.uuid4().hex[:4]}", "warehouseId": goods.warehouse}
    response = await client.post(f"{BASE}/waves/plan", json=plan, headers=owner)
    assert response.status_code == 200, response.text
    return str(response.json()[0]["id"])


async def _shipment(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    wave = await _wave(tenant, client)
    owner = await tenant.headers("owner")
    response = await client.get(f"{BASE}/waves/{wave}/shipments", headers=owner)
    assert response.status_code == 200, response.text
    return str(response.json()[0]["id"])


async def _shipment_line(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    """A line of a parcel (what a short pick's ``line`` names)."""
    shipment = await _shipment(tenant, client)
    owner = await tenant.headers("owner")
    response = await client.get(f"{BASE}/shipments/{shipment}", headers=owner)
    assert response.status_code == 200, response.text
    return str(response.json()["lines"][0]["lineId"])


_LINE = "01900000-0000-7000-8000-000000000000"
WAVE = f"{BASE}/waves/{{wave_id:uuid}}"
SHIPMENT = f"{BASE}/shipments/{{shipment_id:uuid}}"
ROUTES: dict[str, EntityRoute] = {
    WAVE: EntityRoute(_wave),
    f"{WAVE}/shipments": EntityRoute(_wave),
    f"{WAVE}/picks": EntityRoute(_wave, {"POST": {"code": "6901234567892"}}),
    f"{WAVE}/documents": EntityRoute(_wave),
    SHIPMENT: EntityRoute(_shipment),
    f"{SHIPMENT}/verify": EntityRoute(_shipment, {"POST": {"code": "6901234567892"}}),
    f"{SHIPMENT}/weigh": EntityRoute(_shipment, {"POST": {"grams": 500}}),
    f"{SHIPMENT}/waybill": EntityRoute(_shipment),
    f"{SHIPMENT}/short": EntityRoute(
        _shipment, {"POST": {"lines": [{"lineId": _LINE, "quantity": 0}]}}
    ),
    f"{SHIPMENT}/ship": EntityRoute(_shipment),
    f"{SHIPMENT}/report": EntityRoute(_shipment),
    f"{SHIPMENT}/intercept": EntityRoute(_shipment, {"POST": {"reason": "隔离"}}),
    f"{SHIPMENT}/documents": EntityRoute(_shipment),
}
LISTS = [f"{BASE}/waves"]
LIST_MAKERS: tuple[Maker, ...] = (_wave,)

CONSOLE_WAVE = "/console/fulfilment/waves/{wave_id:uuid}"
CONSOLE_SHIPMENT = "/console/fulfilment/shipments/{shipment_id:uuid}"
CONSOLE_ROUTES: dict[str, Maker | ConsoleRoute] = {
    "/console/fulfilment/waves/plan": ConsoleRoute(form={"warehouse": _warehouse}),
    CONSOLE_WAVE: _wave,
    f"{CONSOLE_WAVE}/picks": _wave,
    f"{CONSOLE_WAVE}/documents": _wave,
    CONSOLE_SHIPMENT: _shipment,
    **{
        f"{CONSOLE_SHIPMENT}/{step}": _shipment
        for step in ("verify", "weigh", "waybill", "ship", "intercept", "report")
    },
    f"{CONSOLE_SHIPMENT}/short": ConsoleRoute(
        _shipment, form={"line": _shipment_line}, fields={"units": "0"}, page=CONSOLE_SHIPMENT
    ),
    f"{CONSOLE_SHIPMENT}/documents": _shipment,
}
