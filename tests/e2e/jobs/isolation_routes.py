"""The jobs module's routes with an id, for the tenant-isolation route table
(``tests/e2e/platform/test_tenant_isolation_routes.py`` finds this file by discovery)."""

from __future__ import annotations

from datetime import timedelta

import httpx

from application.keys.rotation import KeyRotation
from tests.conftest import TenantHandle, support_context
from tests.e2e.platform.isolation import EntityRoute, Maker


async def _job(tenant: TenantHandle, client: httpx.AsyncClient) -> str:
    """A re-encryption job (a key rotation creates one)."""
    job = await tenant.container.get(KeyRotation).rotate(support_context(), tenant.id, timedelta(0))
    return str(job.id)


ROUTES: dict[str, EntityRoute] = {
    "/api/v1/jobs/{job_id:uuid}": EntityRoute(_job),
}
LISTS = ["/api/v1/jobs"]
LIST_MAKERS: tuple[Maker, ...] = (_job,)
CONSOLE_ROUTES: dict[str, Maker] = {"/console/jobs/{job_id:uuid}": _job}
