"""The logistics module's routes with an id, for the tenant-isolation route table."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.conftest import TenantHandle
from tests.e2e.fulfilment.isolation_routes import _shipment
from tests.e2e.orders.isolation_routes import _order
from tests.e2e.platform.isolation import EntityRoute, Maker

BASE = "/api/v1/logistics"


async def carrier(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    body = {"code": f"ISO{uuid.uuid4().hex[:5].upper()}", "name": "隔离快递"}
    response = await client.post(
        f"{BASE}/carriers", json=body, headers=await tenant.headers("owner")
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


_RATE = {
    "regions": ["浙江省"],
    "firstWeightGrams": 1000,
    "firstPrice": "8.00",
    "additionalPerKg": "2.00",
    "maxWeightGrams": 30000,
}
_EVENT = {"trackingNo": "ISO000001", "status": "in_transit", "occurredAt": "2026-12-07T09:00:00Z"}


async def _statement(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    carrier_id = await carrier(tenant, client)
    response = await client.post(
        f"{BASE}/carriers/{carrier_id}/statements",
        files=_statement_file(),
        data={"month": "2026-11"},
        headers=await tenant.headers("owner"),
    )
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


async def _remittance(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    carrier_id = await carrier(tenant, client)
    response = await client.post(
        f"{BASE}/carriers/{carrier_id}/cod-remittances",
        json=_REMITTANCE,
        headers=await tenant.headers("owner"),
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _statement_file() -> dict[str, Any]:
    return {"file": ("bill.csv", "运单号,计费重量,运费\nISO1,1,8.00\n".encode(), "text/csv")}


_REMITTANCE = {"reference": "ISO-1", "lines": [{"trackingNo": "ISO1", "amount": "10.00"}]}
CARRIER = f"{BASE}/carriers/{{carrier_id:uuid}}"
ROUTES: dict[str, EntityRoute] = {
    CARRIER: EntityRoute(
        carrier, {"PATCH": {"name": "改名快递", "cashOnDelivery": False, "active": True}}
    ),
    f"{CARRIER}/price-table": EntityRoute(carrier, {"PUT": {"rates": [_RATE]}}),
    f"{CARRIER}/tracking-events": EntityRoute(carrier, {"POST": {"events": [_EVENT]}}),
    f"{BASE}/shipments/{{shipment_id:uuid}}/tracking": EntityRoute(_shipment),
    f"{BASE}/orders/{{order_id:uuid}}/recommendation": EntityRoute(_order),
    f"{CARRIER}/statements": EntityRoute(carrier, files={"POST": _statement_file}),
    f"{BASE}/statements/{{carrier_statement_id:uuid}}": EntityRoute(_statement),
    f"{CARRIER}/cod-remittances": EntityRoute(carrier, {"POST": _REMITTANCE}),
    f"{BASE}/cod-remittances/{{cod_remittance_id:uuid}}": EntityRoute(_remittance),
}
LISTS = [f"{BASE}/carriers"]
LIST_MAKERS: tuple[Maker, ...] = (carrier,)
