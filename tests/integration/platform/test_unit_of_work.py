"""The Postgres unit of work and the command runner (PLT-1, PLT-3).

A change, its audit record and its outbox event commit together or not at all; a denied
or failed command leaves only its audit record, written in a separate transaction.
Everything is checked afterwards as the owner, who sees every tenant's rows.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from adapters.postgres.shared.engine import create_engine
from adapters.postgres.shared.unit_of_work import PostgresUnitOfWorkFactory
from application.identity.access_admin import CreateUser, NewUser
from application.shared.context import Actor, ActorKind, CallContext
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Command, Work
from bootstrap import Container
from domain.identity.permissions import ALL_PERMISSIONS, USERS_MANAGE
from domain.shared.audit import AuditEntry
from domain.shared.errors import NotFound, PermissionDenied
from domain.shared.events import DomainEvent
from tests.conftest import PASSWORD, TenantHandle
from tests.support.databases import TestDatabase


@pytest.fixture
async def owner_conn(database: TestDatabase) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(database.owner_url)
    try:
        yield conn
    finally:
        await conn.close()


def _ctx(tenant: TenantHandle, permissions: frozenset[str] = ALL_PERMISSIONS) -> CallContext:
    """A fresh request id per call: it tags every audit and outbox row the call writes."""
    return CallContext(tenant.id, Actor(ActorKind.SUPPORT, "pytest"), permissions, uuid.uuid4().hex)


class Traces:
    """What one request left behind, read as the owner."""

    def __init__(self, conn: asyncpg.Connection, tenant: TenantHandle, request_id: str) -> None:
        self.conn, self.tenant, self.request_id = conn, tenant, request_id

    async def audit(self) -> list[asyncpg.Record]:
        return list(
            await self.conn.fetch(
                "SELECT action, entity_type, entity_id, outcome, detail, actor FROM audit_log"
                " WHERE tenant_id = $1 AND request_id = $2 ORDER BY occurred_at",
                self.tenant.id,
                self.request_id,
            )
        )

    async def outbox(self) -> list[asyncpg.Record]:
        return list(
            await self.conn.fetch(
                "SELECT event_type, entity_id FROM outbox WHERE tenant_id = $1 AND request_id = $2",
                self.tenant.id,
                self.request_id,
            )
        )

    async def owner_name(self) -> str:
        return str(
            await self.conn.fetchval(
                "SELECT display_name FROM users WHERE tenant_id = $1 AND email = $2",
                self.tenant.id,
                self.tenant.owner_email,
            )
        )


async def _change_audit_and_event(uow: UnitOfWork, tenant: TenantHandle, name: str) -> None:
    """A command's three writes: the change, its audit record, its outbox event."""
    user_id = (
        await uow.connection.execute(  # type: ignore[attr-defined]
            text("UPDATE users SET display_name = :name WHERE email = :email RETURNING id"),
            {"name": name, "email": tenant.owner_email},
        )
    ).scalar_one()
    await uow.audit.record(AuditEntry("user.rename", "user", user_id))
    await uow.outbox.add(DomainEvent("user.renamed", "user", user_id, ("display_name",)))


class CommandFailed(RuntimeError):
    pass


class RenameOwner(Command[None], action="user.rename", permission=USERS_MANAGE):
    """A command of the test's own: the owner renamed, then ``error`` raised."""

    user_id: uuid.UUID | None
    tenant: TenantHandle
    name: str
    error: Exception


class RenameThenFail:
    async def handle(self, command: RenameOwner, work: Work) -> None:
        await _change_audit_and_event(work.uow, command.tenant, command.name)
        raise command.error


async def test_committed_unit_of_work_writes_change_audit_and_outbox_together(
    container: Container, owner_conn: asyncpg.Connection, tenant: TenantHandle
) -> None:
    """PLT-3: on commit, the change and its audit record and event are all there."""
    ctx = _ctx(tenant)
    async with container.uow_factory.for_tenant(ctx) as uow:
        await _change_audit_and_event(uow, tenant, "Renamed Owner")
        await uow.commit()
    traces = Traces(owner_conn, tenant, ctx.request_id)
    assert await traces.owner_name() == "Renamed Owner"
    audit = await traces.audit()
    assert [(r["action"], r["outcome"], r["actor"]) for r in audit] == [
        ("user.rename", "success", "support:pytest")
    ]
    assert [r["event_type"] for r in await traces.outbox()] == ["user.renamed"]


async def test_unit_of_work_that_raises_before_commit_leaves_nothing(
    container: Container, owner_conn: asyncpg.Connection, tenant: TenantHandle
) -> None:
    """PLT-3: raising before commit rolls back the change, its audit record and its event."""
    ctx = _ctx(tenant)
    traces = Traces(owner_conn, tenant, ctx.request_id)
    name_before = await traces.owner_name()
    with pytest.raises(CommandFailed):
        async with container.uow_factory.for_tenant(ctx) as uow:
            await _change_audit_and_event(uow, tenant, "Never Committed")
            raise CommandFailed
    assert await traces.owner_name() == name_before
    assert await traces.audit() == []
    assert await traces.outbox() == []


async def test_unit_of_work_left_without_commit_rolls_back(
    container: Container, owner_conn: asyncpg.Connection, tenant: TenantHandle
) -> None:
    """PLT-3: forgetting to commit is a rollback, not an implicit commit."""
    ctx = _ctx(tenant)
    traces = Traces(owner_conn, tenant, ctx.request_id)
    name_before = await traces.owner_name()
    async with container.uow_factory.for_tenant(ctx) as uow:
        await _change_audit_and_event(uow, tenant, "Not Committed")
    assert await traces.owner_name() == name_before
    assert await traces.audit() == []
    assert await traces.outbox() == []


async def test_unit_of_work_runs_as_the_app_role_with_its_tenant_set(
    container: Container, tenant: TenantHandle
) -> None:
    """PLT-1: inside, the request role, and the setting names the tenant (as a string)."""
    async with container.uow_factory.for_tenant(_ctx(tenant)) as uow:
        setting = (
            await uow.connection.execute(
                text("SELECT current_setting('app.tenant_id', true), current_user")
            )
        ).one()
        assert setting == (str(tenant.id), "shopkeeper_app")


# ---- the command runner -----------------------------------------------------------------


async def test_denied_command_leaves_only_a_denied_audit_record(
    container: Container, owner_conn: asyncpg.Connection, tenant: TenantHandle
) -> None:
    """PLT-3: a command that wrote then was denied rolls back everything it wrote; the
    denial is audited in a transaction of its own."""
    ctx = _ctx(tenant)
    traces = Traces(owner_conn, tenant, ctx.request_id)
    name_before = await traces.owner_name()
    entity = uuid.uuid4()
    denied = PermissionDenied(permission="users:manage")

    with pytest.raises(PermissionDenied):
        await container.runner.run(
            ctx, RenameOwner(entity, tenant, "Denied Rename", denied), RenameThenFail()
        )

    assert await traces.owner_name() == name_before
    assert await traces.outbox() == []
    audit = await traces.audit()
    assert len(audit) == 1, audit
    (row,) = audit
    assert (row["action"], row["entity_type"], row["entity_id"], row["outcome"]) == (
        "user.rename",
        "user",
        entity,
        "denied",
    )
    assert '"permission_denied"' in row["detail"]


async def test_failed_command_leaves_only_a_failed_audit_record(
    container: Container, owner_conn: asyncpg.Connection, tenant: TenantHandle
) -> None:
    """PLT-3: other domain errors are audited as 'failed', the same way."""
    ctx = _ctx(tenant)
    traces = Traces(owner_conn, tenant, ctx.request_id)

    failed = NotFound(entity="user")

    with pytest.raises(NotFound):
        await container.runner.run(
            ctx, RenameOwner(None, tenant, "Failed Rename", failed), RenameThenFail()
        )
    assert await traces.outbox() == []
    assert [(r["action"], r["outcome"]) for r in await traces.audit()] == [
        ("user.rename", "failed")
    ]
    assert await traces.owner_name() != "Failed Rename"


async def test_real_use_case_denied_without_permission_is_audited(
    container: Container, owner_conn: asyncpg.Connection, tenant: TenantHandle
) -> None:
    """PLT-3 through a real use case: creating a user without users:manage is denied,
    audited, and creates no user."""
    ctx = _ctx(tenant, permissions=frozenset())
    email = f"denied-{uuid.uuid4().hex[:6]}@example.com"
    with pytest.raises(PermissionDenied):
        await container.use_cases.run(
            ctx, CreateUser(NewUser(email, "Denied User", PASSWORD, ["staff"]))
        )
    assert (
        await owner_conn.fetchval(
            "SELECT count(*) FROM users WHERE tenant_id = $1 AND email = $2", tenant.id, email
        )
        == 0
    )
    audit = await Traces(owner_conn, tenant, ctx.request_id).audit()
    assert [(r["action"], r["outcome"]) for r in audit] == [("user.create", "denied")]


async def test_a_unit_of_work_hands_its_connection_back_outside_any_transaction(
    tenant: TenantHandle,
) -> None:
    """Decision 97: the transaction is the driver's (``BEGIN`` and the tenant setting in one
    round trip), so the pool's own reset cannot end it. Whether the unit of work commits,
    raises or fails mid-statement, the next borrower of its one pooled connection is in no
    transaction and sees no tenant; a connection whose ``ROLLBACK`` cannot be sent is
    closed, not reused."""
    settings = tenant.container.settings
    engine = create_engine(settings.database_url, pool_size=1, max_overflow=0)
    factory = PostgresUnitOfWorkFactory(
        engine, engine, tenant.container.clock, tenant.container.ids, tenant.container.cipher
    )

    async def next_borrower() -> tuple[bool, str | None, int]:
        async with engine.connect() as conn:
            driver = (await conn.get_raw_connection()).driver_connection
            assert driver is not None
            return (
                driver.is_in_transaction(),
                await conn.scalar(text("SELECT current_setting('app.tenant_id', true)")),
                await conn.scalar(text("SELECT count(*) FROM users")),
            )

    try:
        async with factory.for_tenant(_ctx(tenant)) as uow:
            assert await uow.connection.scalar(text("SELECT count(*) FROM users")) > 0
            await uow.commit()
        assert await next_borrower() == (False, "", 0)

        with pytest.raises(RuntimeError):
            async with factory.for_tenant(_ctx(tenant)) as uow:
                await uow.connection.execute(text("SELECT 1"))
                raise RuntimeError("the handler failed")
        assert await next_borrower() == (False, "", 0)

        with pytest.raises(DBAPIError):  # the transaction aborted by a failed statement
            async with factory.for_tenant(_ctx(tenant)) as uow:
                await uow.connection.execute(text("SELECT 1 / 0"))
        assert await next_borrower() == (False, "", 0)

        with pytest.raises(Exception):  # the server ends the connection mid-transaction
            async with factory.for_tenant(_ctx(tenant)) as uow:
                pid = await uow.connection.scalar(text("SELECT pg_backend_pid()"))
                killer = await asyncpg.connect(settings.database_url)  # its own role may
                try:
                    await killer.execute("SELECT pg_terminate_backend($1)", pid)
                finally:
                    await killer.close()
                await uow.connection.execute(text("SELECT 1"))
        assert await next_borrower() == (False, None, 0)  # a new one: never set
    finally:
        await engine.dispose()
