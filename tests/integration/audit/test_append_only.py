"""The audit log is append-only for both runtime roles (PLT-3), under tenancy (PLT-1).

``shopkeeper_app`` may insert and read its tenant's audit rows, never change or remove
them; ``shopkeeper_platform`` bypasses row-level security but is held to the same rule.
The privilege, not a policy, refuses: so the error is "permission denied", whatever rows
the statement would have matched.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from tests.conftest import TenantFactory, TenantHandle
from tests.support.databases import TestDatabase


@pytest.fixture
async def owner_conn(database: TestDatabase) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(database.owner_url)
    try:
        yield conn
    finally:
        await conn.close()


async def _insert_audit(conn: asyncpg.Connection, tenant_id: uuid.UUID) -> uuid.UUID:
    row_id = uuid.uuid4()
    await conn.execute(
        "INSERT INTO audit_log (tenant_id, id, actor, action, entity_type, outcome)"
        " VALUES ($1, $2, 'support:pytest', 'audit.probe', 'probe', 'success')",
        tenant_id,
        row_id,
    )
    return row_id


async def test_app_role_inserts_and_reads_but_cannot_update_or_delete(
    database: TestDatabase, owner_conn: asyncpg.Connection, tenant: TenantHandle
) -> None:
    """PLT-3: as shopkeeper_app under tenant A, INSERT works; UPDATE/DELETE/TRUNCATE fail."""
    app = await asyncpg.connect(database.app_url)
    try:
        async with app.transaction():
            await app.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant.id))
            row_id = await _insert_audit(app, tenant.id)
        async with app.transaction():
            await app.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant.id))
            assert await app.fetchval("SELECT action FROM audit_log WHERE id = $1", row_id) == (
                "audit.probe"
            )
        for statement in (
            "UPDATE audit_log SET action = 'audit.forged' WHERE id = $1",
            "DELETE FROM audit_log WHERE id = $1",
        ):
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
                async with app.transaction():
                    await app.execute(
                        "SELECT set_config('app.tenant_id', $1, true)", str(tenant.id)
                    )
                    await app.execute(statement, row_id)
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
            async with app.transaction():
                await app.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant.id))
                await app.execute("TRUNCATE audit_log")
    finally:
        await app.close()
    assert await owner_conn.fetchval("SELECT action FROM audit_log WHERE id = $1", row_id) == (
        "audit.probe"
    )


async def test_platform_role_cannot_update_or_delete_either(
    database: TestDatabase, owner_conn: asyncpg.Connection, tenant: TenantHandle
) -> None:
    """PLT-3: the operator role bypasses RLS, not the append-only rule."""
    platform = await asyncpg.connect(database.platform_url)
    try:
        row_id = await _insert_audit(platform, tenant.id)
        for statement in (
            "UPDATE audit_log SET action = 'audit.forged' WHERE id = $1",
            "DELETE FROM audit_log WHERE id = $1",
        ):
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
                await platform.execute(statement, row_id)
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
            await platform.execute("TRUNCATE audit_log")
    finally:
        await platform.close()
    assert await owner_conn.fetchval("SELECT action FROM audit_log WHERE id = $1", row_id) == (
        "audit.probe"
    )


async def test_app_role_cannot_write_audit_rows_for_another_tenant(
    database: TestDatabase, tenant: TenantHandle, new_tenant: TenantFactory
) -> None:
    """PLT-1 + PLT-3: forging an audit entry in another tenant's log is refused too."""
    other = await new_tenant()
    app = await asyncpg.connect(database.app_url)
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="row-level security"):
            async with app.transaction():
                await app.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant.id))
                await _insert_audit(app, other.id)
    finally:
        await app.close()
