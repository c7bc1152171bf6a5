"""The service answers, and an owner can log in and see who they are (PLT-2)."""

from __future__ import annotations

from tests.conftest import TenantHandle


async def test_health(client) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.headers["x-request-id"]


async def test_owner_logs_in_and_reads_me(tenant: TenantHandle, client) -> None:
    response = await client.get("/api/v1/auth/me", headers=await tenant.headers("owner"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["tenantId"] == str(tenant.id)
    assert "customers:read_pii" in body["permissions"]
