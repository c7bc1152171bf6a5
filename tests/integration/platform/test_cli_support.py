"""The support CLI (PLT-2): tenants create|list|show|suspend|resume, users reset-password and
openapi; every action audited with the operator as actor. The commands run in-process
(``tests.support.cli``); ``openapi`` with a bare environment and a password read from a
real standard input run the installed ``shopkeeper`` as a subprocess."""

from __future__ import annotations

import asyncio
import json
import subprocess
import uuid

import asyncpg
import httpx

from bootstrap import Container
from bootstrap.settings import Settings
from tests.conftest import PASSWORD, cli_env
from tests.support.cli import shopkeeper as in_process
from tests.support.databases import TestDatabase
from tests.support.processes import SHOPKEEPER


async def shopkeeper(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return await in_process(cli_env(settings), *args)


async def test_openapi_prints_the_document_without_a_server() -> None:
    result = await asyncio.to_thread(
        subprocess.run,
        [SHOPKEEPER, "openapi"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={
            "PATH": "/usr/bin:/bin",
            "SHOPKEEPER_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
        },
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["openapi"].startswith("3.1")
    assert "/api/v1/auth/login" in document["paths"]


async def test_tenant_lifecycle_through_the_cli(
    settings: Settings, database: TestDatabase, container: Container, client: httpx.AsyncClient
) -> None:
    slug = f"cli-{uuid.uuid4().hex[:8]}"
    email = f"boss@{slug}.example.com"
    created = await shopkeeper(
        settings,
        "tenants",
        "create",
        slug,
        "--name",
        "命令行公司",
        "--owner-email",
        email,
        "--owner-password",
        PASSWORD,
    )
    assert created.returncode == 0, created.stderr
    tenant_id = created.stdout.split("\t")[1]

    listed = await shopkeeper(settings, "tenants", "list")
    assert slug in listed.stdout
    shown = await shopkeeper(settings, "tenants", "show", slug)
    assert "命令行公司" in shown.stdout and "active" in shown.stdout

    suspended = await shopkeeper(settings, "tenants", "suspend", slug, "--reason", "chargeback")
    assert suspended.returncode == 0 and "suspended" in suspended.stdout
    login = {"tenant": slug, "email": email, "password": PASSWORD}
    assert (await client.post("/api/v1/auth/login", json=login)).status_code == 403
    again = await shopkeeper(settings, "tenants", "suspend", slug, "--reason", "twice")
    assert again.returncode == 2 and "tenant_already_suspended" in again.stderr
    assert (
        await shopkeeper(settings, "tenants", "resume", slug, "--reason", "paid")
    ).returncode == 0

    new_password = "another-long-password"
    reset = await shopkeeper(
        settings,
        "users",
        "reset-password",
        "--tenant",
        slug,
        "--email",
        email,
        "--password",
        new_password,
        "--reason",
        "ticket 42",
    )
    assert reset.returncode == 0, reset.stderr
    assert (await client.post("/api/v1/auth/login", json=login)).status_code == 401
    ok = await client.post("/api/v1/auth/login", json={**login, "password": new_password})
    assert ok.status_code == 200

    conn = await asyncpg.connect(database.owner_url)
    try:
        operator_rows = await conn.fetch(
            "SELECT operator, action, reason FROM operator_audit_log WHERE tenant_id = $1"
            " ORDER BY occurred_at",
            uuid.UUID(tenant_id),
        )
        tenant_rows = await conn.fetch(
            "SELECT actor, action FROM audit_log WHERE tenant_id = $1 AND actor LIKE 'support:%'",
            uuid.UUID(tenant_id),
        )
    finally:
        await conn.close()
    assert [r["action"] for r in operator_rows] == [
        "tenant.create",
        "tenant.suspend",
        "tenant.resume",
        "user.reset_password",
    ]
    assert {r["operator"] for r in operator_rows} == {"support:pytest"}
    assert "chargeback" in [r["reason"] for r in operator_rows]
    assert {r["action"] for r in tenant_rows} >= {
        "tenant.create",
        "tenant.suspend",
        "user.reset_password",
    }


async def test_bad_input_is_a_clear_error_in_the_operators_language(settings: Settings) -> None:
    result = await shopkeeper(
        settings,
        "tenants",
        "create",
        "Bad Slug!",
        "--name",
        "x",
        "--owner-email",
        "a@b.co",
        "--owner-password",
        PASSWORD,
    )
    assert result.returncode == 2
    assert "invalid_slug" in result.stderr
    missing = await shopkeeper(settings, "tenants", "show", "no-such-tenant")
    assert missing.returncode == 2 and "not_found" in missing.stderr


async def test_scripts_give_passwords_without_the_command_line_and_read_json(
    settings: Settings, client: httpx.AsyncClient
) -> None:
    """#9, item 19: ``--owner-password-stdin`` / ``$SHOPKEEPER_NEW_PASSWORD`` instead of a
    password in the process list, and ``--json`` listings a script can parse."""
    slug = f"cli-{uuid.uuid4().hex[:8]}"
    email = f"boss@{slug}.example.com"
    created = await asyncio.to_thread(
        subprocess.run,
        [SHOPKEEPER, "tenants", "create", slug, "--name", "脚本公司", "--owner-email", email,
         "--owner-password-stdin"],
        input=PASSWORD + "\n",
        env=cli_env(settings),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    login = {"tenant": slug, "email": email, "password": PASSWORD}
    assert (await client.post("/api/v1/auth/login", json=login)).status_code == 200

    listed = await shopkeeper(settings, "tenants", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    mine = [t for t in json.loads(listed.stdout) if t["slug"] == slug]
    assert len(mine) == 1 and mine[0]["status"] == "active" and mine[0]["name"] == "脚本公司"
    shown = json.loads((await shopkeeper(settings, "tenants", "show", slug, "--json")).stdout)
    assert shown["id"] == mine[0]["id"] and shown["locale"] == "zh-CN"

    new_password = "another-long-password"
    reset = await in_process(
        {**cli_env(settings), "SHOPKEEPER_NEW_PASSWORD": new_password},
        "users", "reset-password", "--tenant", slug, "--email", email, "--reason", "ticket 43",
    )  # fmt: skip
    assert reset.returncode == 0, reset.stderr
    ok = await client.post("/api/v1/auth/login", json={**login, "password": new_password})
    assert ok.status_code == 200
