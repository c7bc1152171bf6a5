"""Row-level isolation as ``shopkeeper_app`` on the real database (PLT-1).

Superusers and (unforced) owners bypass row-level security, so every assertion here runs
on a connection of the request role. Queries deliberately carry no ``WHERE tenant_id``:
the database alone must keep tenants apart.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from migrations.rls import APP_ROLE
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from adapters.postgres.shared.engine import async_url
from adapters.postgres.shared.unit_of_work import MissingTenant, PostgresUnitOfWorkFactory
from adapters.system import SystemClock, Uuid7Generator
from application.shared.context import Actor, ActorKind, CallContext, SystemContext
from bootstrap import Container
from domain.identity.permissions import ALL_PERMISSIONS
from tests.conftest import TenantFactory, TenantHandle
from tests.support.databases import TestDatabase

GLOBAL_TABLES = frozenset({"tenants", "operator_audit_log", "alembic_version"})


@pytest.fixture
async def app_conn(database: TestDatabase) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(database.app_url)
    try:
        assert await conn.fetchval("SELECT current_user") == APP_ROLE
        yield conn
    finally:
        await conn.close()


@pytest.fixture
async def owner_conn(database: TestDatabase) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(database.owner_url)
    try:
        yield conn
    finally:
        await conn.close()


@pytest.fixture
async def two_tenants(new_tenant: TenantFactory) -> tuple[TenantHandle, TenantHandle]:
    a, b = await new_tenant(), await new_tenant()
    await a.add_user(["staff"])
    await b.add_user(["staff"])
    return a, b


async def tenant_tables(conn: asyncpg.Connection) -> list[str]:
    """Every tenant table, read from the catalog so a new one cannot be skipped."""
    rows = await conn.fetch(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id'"
        " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT a.attisdropped"
        " ORDER BY c.relname"
    )
    tables = [r["relname"] for r in rows if r["relname"] not in GLOBAL_TABLES]
    assert "users" in tables and "audit_log" in tables
    return tables


async def as_tenant(conn: asyncpg.Connection, tenant_id: uuid.UUID) -> None:
    """Inside an open transaction: what the unit of work does first."""
    await conn.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant_id))


async def test_setup_really_wrote_rows_for_both_tenants(
    owner_conn: asyncpg.Connection, two_tenants: tuple[TenantHandle, TenantHandle]
) -> None:
    """Guard: the isolation tests below would pass vacuously on empty tables."""
    a, b = two_tenants
    for t in (a, b):
        for table in ("users", "roles", "user_roles", "audit_log"):
            count = await owner_conn.fetchval(
                f"SELECT count(*) FROM {table} WHERE tenant_id = $1", t.id
            )
            assert count > 0, (table, t.slug)


async def test_no_tenant_set_sees_no_rows_in_any_tenant_table(
    app_conn: asyncpg.Connection, two_tenants: tuple[TenantHandle, TenantHandle]
) -> None:
    """PLT-1: a connection that never set a tenant (setting absent → NULL) sees nothing."""
    assert await app_conn.fetchval("SELECT current_setting('app.tenant_id', true)") is None
    counts = {
        t: await app_conn.fetchval(f"SELECT count(*) FROM {t}")
        for t in await tenant_tables(app_conn)
    }
    assert counts == dict.fromkeys(counts, 0)


async def test_tenant_a_sees_only_its_own_rows_without_a_where(
    app_conn: asyncpg.Connection, two_tenants: tuple[TenantHandle, TenantHandle]
) -> None:
    """PLT-1: with A set, ``SELECT * FROM users`` returns A's users and none of B's."""
    a, b = two_tenants
    async with app_conn.transaction():
        await as_tenant(app_conn, a.id)
        users = await app_conn.fetch("SELECT * FROM users")
        assert {u["tenant_id"] for u in users} == {a.id}
        emails = {u["email"] for u in users}
        assert a.owner_email in emails and b.owner_email not in emails
        assert len(users) == 2
        for table in await tenant_tables(app_conn):
            seen = {r["tenant_id"] for r in await app_conn.fetch(f"SELECT tenant_id FROM {table}")}
            assert seen <= {a.id}, table


async def test_inserting_another_tenants_row_is_rejected(
    app_conn: asyncpg.Connection, two_tenants: tuple[TenantHandle, TenantHandle]
) -> None:
    """PLT-1: WITH CHECK refuses a row carrying B's tenant_id while A is set."""
    a, b = two_tenants
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="row-level security"):
        async with app_conn.transaction():
            await as_tenant(app_conn, a.id)
            await app_conn.execute(
                "INSERT INTO users (tenant_id, id, email, display_name, password_hash)"
                " VALUES ($1, $2, 'intruder@example.com', 'Intruder', 'x')",
                b.id,
                uuid.uuid4(),
            )


async def test_moving_a_row_to_another_tenant_is_rejected(
    app_conn: asyncpg.Connection, two_tenants: tuple[TenantHandle, TenantHandle]
) -> None:
    """PLT-1: an UPDATE may not hand one of A's rows to B."""
    a, b = two_tenants
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="row-level security"):
        async with app_conn.transaction():
            await as_tenant(app_conn, a.id)
            await app_conn.execute(
                "UPDATE users SET tenant_id = $1 WHERE email = $2", b.id, a.owner_email
            )


async def test_updates_and_deletes_of_another_tenants_rows_touch_nothing(
    app_conn: asyncpg.Connection,
    owner_conn: asyncpg.Connection,
    two_tenants: tuple[TenantHandle, TenantHandle],
) -> None:
    """PLT-1: B's rows are invisible to A's UPDATE and DELETE, even when named."""
    a, b = two_tenants
    before = await owner_conn.fetch(
        "SELECT id, display_name FROM users WHERE tenant_id = $1 ORDER BY id", b.id
    )
    async with app_conn.transaction():
        await as_tenant(app_conn, a.id)
        assert (
            await app_conn.execute(
                "UPDATE users SET display_name = 'hijacked' WHERE tenant_id = $1", b.id
            )
            == "UPDATE 0"
        )
        assert await app_conn.execute("DELETE FROM users WHERE tenant_id = $1", b.id) == "DELETE 0"
        assert await app_conn.execute("DELETE FROM roles WHERE tenant_id = $1", b.id) == "DELETE 0"
    after = await owner_conn.fetch(
        "SELECT id, display_name FROM users WHERE tenant_id = $1 ORDER BY id", b.id
    )
    assert after == before


async def test_tenant_setting_ends_with_its_transaction(
    app_conn: asyncpg.Connection, two_tenants: tuple[TenantHandle, TenantHandle]
) -> None:
    """PLT-1: set_config(..., true) is transaction-local; afterwards it reads '' and no rows."""
    a, _ = two_tenants
    async with app_conn.transaction():
        await as_tenant(app_conn, a.id)
        assert await app_conn.fetchval("SELECT count(*) FROM users") == 2
    # The pitfall: once set, the setting reads '' rather than NULL; the policy's NULLIF
    # must turn that into "no tenant" (not an invalid-uuid error).
    assert await app_conn.fetchval("SELECT current_setting('app.tenant_id', true)") in ("", None)
    async with app_conn.transaction():
        assert await app_conn.fetchval("SELECT current_setting('app.tenant_id', true)") in (
            "",
            None,
        )
        for table in await tenant_tables(app_conn):
            assert await app_conn.fetchval(f"SELECT count(*) FROM {table}") == 0, table


# ---- a pool of one connection ----------------------------------------------------------


def _ctx(tenant_id: uuid.UUID) -> CallContext:
    return CallContext(
        tenant_id, Actor(ActorKind.SUPPORT, "pytest"), ALL_PERMISSIONS, uuid.uuid4().hex
    )


@pytest.fixture
async def pool_of_one(database: TestDatabase) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(async_url(database.app_url), pool_size=1, max_overflow=0)
    assert engine.pool.size() == 1  # type: ignore[attr-defined]
    assert engine.pool._max_overflow == 0  # type: ignore[attr-defined]
    try:
        yield engine
    finally:
        await engine.dispose()


async def _next_borrower(engine: AsyncEngine) -> tuple[int, str | None, int]:
    """A raw connection from the same pool: no unit of work, so no tenant of its own."""
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT pg_backend_pid(), current_setting('app.tenant_id', true),"
                    " (SELECT count(*) FROM users)"
                )
            )
        ).one()
    return row[0], row[1], row[2]


@pytest.mark.parametrize("failure", ["exception", "bad_statement"])
async def test_failed_unit_of_work_leaves_no_tenant_on_the_pooled_connection(
    pool_of_one: AsyncEngine,
    container: Container,
    two_tenants: tuple[TenantHandle, TenantHandle],
    failure: str,
) -> None:
    """PLT-1: after a tenant transaction fails, the same backend serves the next borrower
    with no tenant set and no rows visible."""
    a, _ = two_tenants
    factory = PostgresUnitOfWorkFactory(
        pool_of_one,
        container.platform_engine,
        clock=SystemClock(),
        ids=Uuid7Generator(),
        cipher=container.cipher,
    )
    pid_inside = None
    with pytest.raises(Exception) as raised:
        async with factory.for_tenant(_ctx(a.id)) as uow:
            pid_inside, tenant, visible = (
                await uow.connection.execute(
                    text(
                        "SELECT pg_backend_pid(), current_setting('app.tenant_id', true),"
                        " (SELECT count(*) FROM users)"
                    )
                )
            ).one()
            assert tenant == str(a.id)
            assert visible == 2
            if failure == "exception":
                raise RuntimeError("the command failed")
            await uow.connection.execute(text("SELECT 1 / 0"))
    assert not isinstance(raised.value, AssertionError), raised.value

    pid_after, tenant_after, visible_after = await _next_borrower(pool_of_one)
    assert pid_after == pid_inside, "the pool of one must hand out the same backend"
    assert tenant_after in ("", None)
    assert visible_after == 0


async def test_next_borrower_probe_would_see_a_leaked_session_setting(
    pool_of_one: AsyncEngine, two_tenants: tuple[TenantHandle, TenantHandle]
) -> None:
    """Self-check: a session-level SET does survive in the pool, and the probe above sees it
    — so its passing means the unit of work really is transaction-local."""
    a, _ = two_tenants
    async with pool_of_one.connect() as conn:
        await conn.execute(text("SELECT set_config('app.tenant_id', :t, false)"), {"t": str(a.id)})
        await conn.commit()
    try:
        _, tenant, visible = await _next_borrower(pool_of_one)
        assert tenant == str(a.id)
        assert visible == 2
    finally:
        await pool_of_one.dispose()  # drop the dirty connection


# ---- the unit of work refuses to guess ---------------------------------------------------


async def test_tenant_unit_of_work_refuses_the_nil_tenant(container: Container) -> None:
    """PLT-1: no tenant means no unit of work, not a unit of work that sees nothing."""
    with pytest.raises(MissingTenant):
        container.uow_factory.for_tenant(_ctx(uuid.UUID(int=0)))
    with pytest.raises(MissingTenant):
        container.uow_factory.for_tenant(_ctx(None))  # type: ignore[arg-type]


async def test_system_unit_of_work_refuses_an_unexplained_context(container: Container) -> None:
    """PLT-1: system work outside a tenant must name its reason (it is audited)."""
    with pytest.raises(MissingTenant):
        container.uow_factory.for_system(
            SystemContext(Actor(ActorKind.SYSTEM, "pytest"), reason=""), None
        )
