"""The logistics module's routes with an id, for the tenant-isolation route table."""

from __future__ import annotations

import uuid

import httpx

from tests.conftest import TenantHandle
from tests.e2e.platform.isolation import EntityRoute, Maker


async def carrier(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    body = {"code": f"ISO{uuid.uuid4().hex[:5].upper()}", "name": "隔离快递"}
    response = await client.post(
        "/api/v1/logistics/carriers", json=body, headers=await tenant.headers("owner")
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


ROUTES: dict[str, EntityRoute] = {
    "/api/v1/logistics/carriers/{carrier_id:uuid}": EntityRoute(
        carrier, {"PATCH": {"name": "改名快递", "cashOnDelivery": False, "active": True}}
    ),
}
LISTS = ["/api/v1/logistics/carriers"]
LIST_MAKERS: tuple[Maker, ...] = (carrier,)
