"""Work the database rolls back because it met other work (PLT-1, ORD-1): two units of
work that lock the same rows in opposite orders deadlock, PostgreSQL rolls one back, and
the unit of work says so as ``Contention`` (the API's 503 with Retry-After; a job's page
is done again) — the other commits, and the rolled-back one wrote nothing."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
from sqlalchemy import text

from adapters.postgres.shared.unit_of_work import rolled_back_by_server
from application.shared.context import Actor, ActorKind, CallContext
from bootstrap import Container
from domain.identity.permissions import ALL_PERMISSIONS
from domain.shared.errors import Contention
from tests.conftest import TenantHandle
from tests.support.databases import TestDatabase

TOUCH = text("UPDATE users SET display_name = display_name || '·' WHERE id = :id")


async def _names(database: TestDatabase, tenant: TenantHandle) -> dict[uuid.UUID, str]:
    """The tenant's users' display names by id, read as the owner."""
    conn = await asyncpg.connect(database.owner_url)
    try:
        rows = await conn.fetch(
            "SELECT id, display_name FROM users WHERE tenant_id = $1", tenant.id
        )
    finally:
        await conn.close()
    return {r["id"]: r["display_name"] for r in rows}


async def test_a_deadlock_rolls_one_unit_of_work_back_as_contention_plt_1(
    container: Container, tenant: TenantHandle, database: TestDatabase
) -> None:
    await tenant.add_user(["staff"])
    names = await _names(database, tenant)
    users = sorted(names)[:2]
    ctx = CallContext(
        tenant.id, Actor(ActorKind.SUPPORT, "pytest"), ALL_PERMISSIONS, uuid.uuid4().hex
    )
    locked = [asyncio.Event(), asyncio.Event()]

    async def one(mine: int) -> None:
        first, second = users[mine], users[1 - mine]
        async with container.uow_factory.for_tenant(ctx) as uow:
            await uow.connection.execute(TOUCH, {"id": first})  # its first row locked
            locked[mine].set()
            await locked[1 - mine].wait()  # each holds its first row: now the cycle
            await uow.connection.execute(TOUCH, {"id": second})
            await uow.commit()

    outcomes = await asyncio.gather(one(0), one(1), return_exceptions=True)
    failed = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(failed) == 1 and isinstance(failed[0], Contention), outcomes
    assert rolled_back_by_server(failed[0].__cause__ or failed[0])
    assert failed[0].retry_after == 1
    after = await _names(database, tenant)
    # The winner touched both rows once; the rolled-back one's touch of its first is gone.
    assert {user: after[user] for user in users} == {user: names[user] + "·" for user in users}


def test_other_failures_are_not_contention_plt_1() -> None:
    assert not rolled_back_by_server(asyncpg.UniqueViolationError("duplicate"))
    assert not rolled_back_by_server(asyncpg.exceptions.StatementCompletionUnknownError("?"))
    assert rolled_back_by_server(asyncpg.SerializationError("could not serialize"))
    wrapped = RuntimeError("around")
    wrapped.__cause__ = asyncpg.DeadlockDetectedError("deadlock detected")
    assert rolled_back_by_server(wrapped)
