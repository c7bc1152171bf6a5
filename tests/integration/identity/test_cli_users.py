"""``shopkeeper users deactivate|reactivate|delete|unlock`` and the lockout a password reset
clears (#9, item 12), run in-process (tests.support.cli); each action audited with the operator."""

from __future__ import annotations

import ipaddress
import subprocess
import uuid

import asyncpg
import httpx
from litestar import Litestar

from bootstrap import Container
from bootstrap.settings import Settings
from tests.conftest import PASSWORD, TenantHandle, cli_env
from tests.support.cli import shopkeeper as in_process
from tests.support.databases import TestDatabase


async def shopkeeper(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return await in_process(cli_env(settings), *args)


async def _on_user(
    settings: Settings, command: str, tenant: TenantHandle, email: str
) -> subprocess.CompletedProcess[str]:
    return await shopkeeper(
        settings, "users", command, "--tenant", tenant.slug, "--email", email, "--reason", "t-7"
    )


def _own_address(app: Litestar) -> httpx.AsyncClient:
    """A client from an address of its own, so only the account's counter can lock it: one
    of 2**64 in IPv6's documentation range (a few fixed IPv4 test addresses of other tests
    carry their own failure counts in the same Redis prefix)."""
    network = ipaddress.IPv6Network("2001:db8:51::/64")
    address = str(network[uuid.uuid4().int % network.num_addresses])
    transport = httpx.ASGITransport(app=app, client=(address, 1000))
    return httpx.AsyncClient(transport=transport, base_url="http://shopkeeper.test")


async def _lock_out(
    client: httpx.AsyncClient, container: Container, tenant: TenantHandle, email: str
) -> None:
    """Fail the account's logins up to the limit: the right password is refused next."""
    body = {"tenant": tenant.slug, "email": email, "password": "wrong-password"}
    for _ in range(container.settings.login_max_failures_per_account):
        assert (await client.post("/api/v1/auth/login", json=body)).status_code == 401
    blocked = await client.post("/api/v1/auth/login", json={**body, "password": PASSWORD})
    assert blocked.status_code == 429


async def test_support_deactivates_reactivates_and_deletes_users(
    settings: Settings,
    tenant: TenantHandle,
    client: httpx.AsyncClient,
    database: TestDatabase,
) -> None:
    email = await tenant.add_user(["staff"])
    tokens = await tenant.login(email)
    bearer = {"Authorization": f"Bearer {tokens['accessToken']}"}

    off = await _on_user(settings, "deactivate", tenant, email)
    assert off.returncode == 0, off.stderr
    assert (await client.get("/api/v1/auth/me", headers=bearer)).status_code == 401
    login = {"tenant": tenant.slug, "email": email, "password": PASSWORD}
    assert (await client.post("/api/v1/auth/login", json=login)).status_code == 401

    on = await _on_user(settings, "reactivate", tenant, email)
    assert on.returncode == 0, on.stderr
    assert (await client.post("/api/v1/auth/login", json=login)).status_code == 200

    last = await _on_user(settings, "deactivate", tenant, tenant.owner_email)
    assert last.returncode == 2 and "last_owner" in last.stderr
    kept = await _on_user(settings, "delete", tenant, tenant.owner_email)
    assert kept.returncode == 2 and "last_owner" in kept.stderr

    deleted = await _on_user(settings, "delete", tenant, email)
    assert deleted.returncode == 0, deleted.stderr
    assert (await client.post("/api/v1/auth/login", json=login)).status_code == 401
    missing = await _on_user(settings, "delete", tenant, email)
    assert missing.returncode == 2 and "not_found" in missing.stderr

    conn = await asyncpg.connect(database.owner_url)
    try:
        operator_rows = await conn.fetch(
            "SELECT action, reason FROM operator_audit_log WHERE tenant_id = $1"
            " AND action LIKE 'user.%' ORDER BY occurred_at",
            tenant.id,
        )
        tenant_rows = await conn.fetch(
            "SELECT action, detail FROM audit_log WHERE tenant_id = $1"
            " AND actor LIKE 'support:%' AND action LIKE 'user.%' AND action <> 'user.create'",
            tenant.id,
        )
    finally:
        await conn.close()
    assert [r["action"] for r in operator_rows] == [
        "user.deactivate",
        "user.reactivate",
        "user.delete",
    ]
    assert {r["reason"] for r in operator_rows} == {"t-7"}
    assert {r["action"] for r in tenant_rows} == {
        "user.deactivate",
        "user.reactivate",
        "user.delete",
    }
    assert all(email in r["detail"] for r in tenant_rows)


async def test_unlock_and_password_reset_clear_the_login_lockout(
    settings: Settings, container: Container, app: Litestar, tenant: TenantHandle
) -> None:
    email = await tenant.add_user(["staff"])
    login = {"tenant": tenant.slug, "email": email, "password": PASSWORD}

    async with _own_address(app) as client:
        await _lock_out(client, container, tenant, email)
        unlocked = await _on_user(settings, "unlock", tenant, email)
        assert unlocked.returncode == 0, unlocked.stderr
        assert (await client.post("/api/v1/auth/login", json=login)).status_code == 200

    async with _own_address(app) as client:
        await _lock_out(client, container, tenant, email)
        new_password = "another-long-password"
        reset = await shopkeeper(
            settings,
            "users",
            "reset-password",
            "--tenant",
            tenant.slug,
            "--email",
            email,
            "--password",
            new_password,
            "--reason",
            "locked out",
        )
        assert reset.returncode == 0, reset.stderr
        again = await client.post("/api/v1/auth/login", json={**login, "password": new_password})
        assert again.status_code == 200
