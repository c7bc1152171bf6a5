"""The customers module's routes with an id, for the tenant-isolation route table
(``tests/e2e/platform/test_tenant_isolation_routes.py`` finds this file by discovery)."""

from __future__ import annotations

import httpx

from tests.conftest import TenantHandle
from tests.e2e.platform.isolation import EntityRoute, Maker


async def _customer(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    body = {"name": "王小明", "phone": "13800138000", "email": "wang@example.com"}
    response = await client.post(
        "/api/v1/customers", json=body, headers=await tenant.headers("owner")
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


ROUTES: dict[str, EntityRoute] = {
    "/api/v1/customers/{customer_id:uuid}": EntityRoute(_customer, {"PATCH": {"tags": ["vip"]}}),
    "/api/v1/customers/{customer_id:uuid}/orders": EntityRoute(_customer),
}
LISTS = ["/api/v1/customers"]
LIST_MAKERS: tuple[Maker, ...] = (_customer,)
CONSOLE_ROUTES: dict[str, Maker] = {"/console/customers/{customer_id:uuid}": _customer}
