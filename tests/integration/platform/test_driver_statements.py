"""Statements run on the transaction's own driver connection (decision 82): in the unit of
work's transaction (its tenant, its rollback), constraint violations mapped by name as any
other, never outside a transaction, still seen by the engine's statement listeners; and the
collector paused for a large read comes back on whatever happens."""

from __future__ import annotations

import gc
import uuid
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError

from adapters.postgres.shared.driver import DriverStatement, uncollected
from adapters.postgres.shared.errors import violated_constraint
from adapters.postgres.shared.unit_of_work import PostgresUnitOfWork
from application.shared.context import Actor, ActorKind, CallContext
from domain.identity.permissions import ALL_PERMISSIONS
from tests.conftest import TenantFactory, TenantHandle

_RENAME = DriverStatement(
    text("UPDATE users SET display_name = :name WHERE email = :email RETURNING id, display_name")
)
_WAREHOUSE = DriverStatement(
    text(
        "INSERT INTO warehouses (tenant_id, id, code, name, kind, version, created_at,"
        " updated_at) VALUES (:tenant, :id, :code, 'x', 'own', 1, now(), now())"
    )
)


def _uow(tenant: TenantHandle) -> PostgresUnitOfWork:
    ctx = CallContext(tenant.id, Actor(ActorKind.SUPPORT, "pytest"), ALL_PERMISSIONS)
    return tenant.container.uow_factory.for_tenant(ctx)


async def _owner_name(tenant: TenantHandle) -> str:
    async with _uow(tenant) as uow:
        found = await uow.connection.scalar(
            text("SELECT display_name FROM users WHERE email = :email"),
            {"email": tenant.owner_email},
        )
    return str(found)


async def test_a_driver_statement_runs_in_the_unit_of_works_transaction(
    tenant: TenantHandle, new_tenant: TenantFactory
) -> None:
    before = await _owner_name(tenant)
    async with _uow(tenant) as uow:
        row = await _RENAME.fetchrow(
            uow.connection, {"name": "Never Committed", "email": tenant.owner_email}
        )
        assert row is not None and row["display_name"] == "Never Committed"
        # another tenant's user is not found: the tenant the unit of work set applies
        other = await new_tenant()
        assert await _RENAME.fetch(uow.connection, {"name": "x", "email": other.owner_email}) == []
    assert await _owner_name(tenant) == before  # rolled back with the unit of work


async def test_a_violation_arrives_as_integrity_error_naming_its_constraint(
    tenant: TenantHandle,
) -> None:
    async with _uow(tenant) as uow:
        values = {"tenant": tenant.id, "code": "DUP"}
        await _WAREHOUSE.fetch(uow.connection, {**values, "id": uuid.uuid4()})
        with pytest.raises(IntegrityError) as raised:
            await _WAREHOUSE.fetch(uow.connection, {**values, "id": uuid.uuid4()})
    assert violated_constraint(raised.value) == "warehouses_tenant_id_code_key"


async def test_a_driver_statement_refuses_to_run_outside_a_transaction(
    tenant: TenantHandle,
) -> None:
    async with tenant.container.app_engine.connect() as conn:
        await conn.get_raw_connection()  # checked out, no statement yet: no BEGIN sent
        with pytest.raises(RuntimeError, match="transaction"):
            await _RENAME.fetch(conn, {"name": "x", "email": tenant.owner_email})


async def test_statement_listeners_still_see_driver_statements(tenant: TenantHandle) -> None:
    seen: list[str] = []
    engine = tenant.container.app_engine.sync_engine

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        async with _uow(tenant) as uow:
            await _RENAME.fetch(uow.connection, {"name": "x", "email": "nobody@example.com"})
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert _RENAME.sql in seen


_TENANT_SETTING = DriverStatement(text("SELECT current_setting('app.tenant_id', true) AS tenant"))


async def test_a_pooled_statement_hands_its_connection_back_and_is_still_counted(
    tenant: TenantHandle,
) -> None:
    """Decision 106: the token check's way — a clean connection of the pool (no tenant
    entered), the statement seen by the engine's listeners, and the connection back in the
    pool afterwards, also when the statement fails."""
    engine = tenant.container.app_engine
    pool = engine.sync_engine.pool
    seen: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    checked_out = pool.checkedout()  # type: ignore[attr-defined]
    event.listen(engine.sync_engine, "before_cursor_execute", note)
    try:
        [row] = await _TENANT_SETTING.fetch_pooled(engine, {})
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", note)
    assert not row["tenant"]
    assert seen == [_TENANT_SETTING.sql]
    assert pool.checkedout() == checked_out  # type: ignore[attr-defined]
    failing = DriverStatement(text("SELECT 1 / 0"))
    with pytest.raises(Exception, match="division by zero"):
        await failing.fetch_pooled(engine, {})
    assert pool.checkedout() == checked_out  # type: ignore[attr-defined]
    [again] = await _TENANT_SETTING.fetch_pooled(engine, {})  # the pool still serves
    assert not again["tenant"]


def test_the_collector_comes_back_after_a_paused_read_even_when_it_fails() -> None:
    assert gc.isenabled()
    with pytest.raises(ValueError), uncollected():
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()


def test_a_statement_rendered_at_execution_is_refused_when_built() -> None:
    """An expanding IN is rendered per execution: compiled once it would go out with its
    placeholder still in the text."""
    from sqlalchemy import bindparam, column, select, table

    skus = table("skus", column("id"))
    with pytest.raises(ValueError, match="rendered at execution"):
        DriverStatement(select(skus.c.id).where(skus.c.id.in_(bindparam("ids", expanding=True))))
