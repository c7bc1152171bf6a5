"""The category tree on the real Postgres, as shopkeeper_app under RLS (CAT-4).

The closure table is read afterwards as the owner and compared with the closure the
``parent_id`` column implies, after creates, moves and two racing moves.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from adapters.postgres.catalog.categories import TREE_LOCK_CLASS
from application.catalog.categories import CategoryChanges, ChangeCategory, CreateCategory
from application.catalog.ports.store import CATALOG
from application.catalog.reads import GetCategory
from application.shared.context import Actor, ActorKind, CallContext
from bootstrap import Container
from domain.identity.permissions import ALL_PERMISSIONS
from domain.shared.errors import Conflict, ValidationFailed
from tests.conftest import TenantHandle
from tests.support.databases import TestDatabase


@pytest.fixture
async def owner_conn(database: TestDatabase) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(database.owner_url)
    try:
        yield conn
    finally:
        await conn.close()


def ctx(tenant: TenantHandle) -> CallContext:
    return CallContext(
        tenant.id, Actor(ActorKind.SUPPORT, "pytest"), ALL_PERMISSIONS, uuid.uuid4().hex
    )


async def create(
    container: Container, tenant: TenantHandle, name: str, parent: uuid.UUID | None = None
) -> uuid.UUID:
    return (await container.use_cases.run(ctx(tenant), CreateCategory(name, parent))).id


async def move(
    container: Container, tenant: TenantHandle, node: uuid.UUID, parent: uuid.UUID | None
) -> None:
    current = await container.use_cases.query(ctx(tenant), GetCategory(node))
    await container.use_cases.run(
        ctx(tenant), ChangeCategory(node, CategoryChanges(parent_id=parent), current.version)
    )


async def closure(conn: asyncpg.Connection, tenant: TenantHandle) -> set[tuple[uuid.UUID, ...]]:
    rows = await conn.fetch(
        "SELECT ancestor_id, descendant_id, depth FROM category_closure WHERE tenant_id = $1",
        tenant.id,
    )
    return {(r["ancestor_id"], r["descendant_id"], r["depth"]) for r in rows}


async def implied_closure(
    conn: asyncpg.Connection, tenant: TenantHandle
) -> set[tuple[uuid.UUID, ...]]:
    """The closure the parent links imply (fails on a cycle rather than looping)."""
    parents = {
        r["id"]: r["parent_id"]
        for r in await conn.fetch(
            "SELECT id, parent_id FROM categories WHERE tenant_id = $1", tenant.id
        )
    }
    rows = set()
    for node in parents:
        ancestor, depth = node, 0
        while ancestor is not None:
            rows.add((ancestor, node, depth))
            ancestor, depth = parents[ancestor], depth + 1
            assert depth <= len(parents), "the parent links hold a cycle"
    return rows


async def test_creates_and_subtree_moves_keep_the_closure_exact(
    container: Container, tenant: TenantHandle, owner_conn: asyncpg.Connection
) -> None:
    clothes = await create(container, tenant, "服装")
    men = await create(container, tenant, "男装", clothes)
    tees = await create(container, tenant, "T恤", men)
    sale = await create(container, tenant, "特卖")
    assert await closure(owner_conn, tenant) == await implied_closure(owner_conn, tenant)
    assert (clothes, tees, 2) in await closure(owner_conn, tenant)

    await move(container, tenant, men, sale)  # 男装 with its T恤 under 特卖
    rows = await closure(owner_conn, tenant)
    assert rows == await implied_closure(owner_conn, tenant)
    assert (sale, tees, 2) in rows and (clothes, tees, 2) not in rows

    await move(container, tenant, men, None)  # to the top
    assert await closure(owner_conn, tenant) == await implied_closure(owner_conn, tenant)
    assert (await container.use_cases.query(ctx(tenant), GetCategory(men))).version == 3


async def test_a_move_under_a_descendant_is_refused(
    container: Container, tenant: TenantHandle, owner_conn: asyncpg.Connection
) -> None:
    a = await create(container, tenant, "A")
    b = await create(container, tenant, "B", a)
    c = await create(container, tenant, "C", b)
    for target in (a, c):
        with pytest.raises(ValidationFailed) as caught:
            await move(container, tenant, a, target)
        assert caught.value.errors[0].code == "category_cycle"
    assert await closure(owner_conn, tenant) == await implied_closure(owner_conn, tenant)


async def test_sibling_names_are_unique_whatever_the_case_and_width(
    container: Container, tenant: TenantHandle
) -> None:
    root = await create(container, tenant, "Shoes")
    await create(container, tenant, "Kids", root)
    with pytest.raises(Conflict) as caught:
        await create(container, tenant, "ＫＩＤＳ", root)
    assert caught.value.code == "category_name_taken"
    await create(container, tenant, "Kids")  # another level: fine


async def _waiting_for_the_tree_lock(conn: asyncpg.Connection) -> int:
    count = await conn.fetchval(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        " AND classid = $1 AND objsubid = 2"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        TREE_LOCK_CLASS,
    )
    return int(count)


async def test_racing_moves_cannot_make_a_cycle(
    container: Container, tenant: TenantHandle, owner_conn: asyncpg.Connection
) -> None:
    """A under B and B under A, started together: the tree lock lets one through; the
    other then reads the new path and is refused. Both are held at the lock until both
    wait there (a barrier on the database's own lock table, no sleeps as a barrier)."""
    a = await create(container, tenant, "甲")
    b = await create(container, tenant, "乙")
    async with container.uow_factory.for_tenant(ctx(tenant)) as gate:
        await gate.of(CATALOG).categories.lock_tree()  # both moves will queue behind this
        racers = [
            asyncio.create_task(move(container, tenant, a, b)),
            asyncio.create_task(move(container, tenant, b, a)),
        ]
        for _ in range(1000):  # poll the lock table until both wait; no timing guess
            if await _waiting_for_the_tree_lock(owner_conn) == 2:
                break
            await asyncio.sleep(0.01)
        else:
            pytest.fail("the two moves never both waited for the tree lock")
        # leaving without commit rolls back and releases the lock: the race starts
    results = await asyncio.gather(*racers, return_exceptions=True)
    failures = [r for r in results if isinstance(r, BaseException)]
    assert len(failures) == 1, results
    assert isinstance(failures[0], ValidationFailed)
    assert failures[0].errors[0].code == "category_cycle"
    assert await closure(owner_conn, tenant) == await implied_closure(owner_conn, tenant)
