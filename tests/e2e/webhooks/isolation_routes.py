"""The webhooks module's routes with an id, for the tenant-isolation route table
(``tests/e2e/platform/test_tenant_isolation_routes.py`` finds this file by discovery)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx

from application.shared.messages import PublishedEvent
from application.webhooks.service import WebhookService
from tests.conftest import TenantHandle
from tests.e2e.platform.isolation import EntityRoute, Maker


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


ROUTES: dict[str, EntityRoute] = {
    "/api/v1/webhooks/endpoints/{endpoint_id:uuid}": EntityRoute(
        _webhook_endpoint, {"PATCH": {"description": "renamed"}}
    ),
    "/api/v1/webhooks/endpoints/{endpoint_id:uuid}/rotate-secret": EntityRoute(_webhook_endpoint),
    "/api/v1/webhooks/deliveries/{delivery_id:uuid}": EntityRoute(_webhook_delivery),
    "/api/v1/webhooks/deliveries/{delivery_id:uuid}/replay": EntityRoute(_webhook_delivery),
}
LISTS = ["/api/v1/webhooks/endpoints", "/api/v1/webhooks/deliveries"]
LIST_MAKERS: tuple[Maker, ...] = (_webhook_endpoint, _webhook_delivery)
CONSOLE_ROUTES: dict[str, Maker] = {
    "/console/settings/webhooks/{endpoint_id:uuid}": _webhook_endpoint,
    "/console/settings/webhooks/{endpoint_id:uuid}/delete": _webhook_endpoint,
    "/console/settings/webhooks/deliveries/{delivery_id:uuid}": _webhook_delivery,
    "/console/settings/webhooks/deliveries/{delivery_id:uuid}/replay": _webhook_delivery,
}
