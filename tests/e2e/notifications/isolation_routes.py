"""The notifications module's routes with an id, for the tenant-isolation route table
(``tests/e2e/platform/test_tenant_isolation_routes.py`` finds this file by discovery)."""

from __future__ import annotations

import uuid

import httpx

from domain.notifications.notification import Notification
from tests.conftest import TenantHandle
from tests.e2e.platform.isolation import EntityRoute, Maker


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


ROUTES: dict[str, EntityRoute] = {
    "/api/v1/inbox/{message_id:uuid}/read": EntityRoute(_inbox_message),
}
LISTS = ["/api/v1/inbox"]
LIST_MAKERS: tuple[Maker, ...] = ()
CONSOLE_ROUTES: dict[str, Maker] = {"/console/inbox/{message_id:uuid}/read": _inbox_message}
