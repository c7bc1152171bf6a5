"""Migrations are reversible on a database holding data (PLT-10), and keep tenancy (PLT-1).

Each test creates its own database (never the shared test database, which other tests
use) and drops it in a ``finally``. Alembic's env runs its own event loop, so upgrades and
downgrades run in a thread.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import pytest
from alembic.script import ScriptDirectory

from tests.support.databases import (
    TestDatabase,
    alembic_config,
    create_database,
    downgrade,
    drop_database,
    migrate,
)

# Everything in ``public`` that a migration creates, in comparable text form.
SNAPSHOT_QUERIES = {
    "relations": """
        SELECT c.relname, c.relkind::text, c.relrowsecurity, c.relforcerowsecurity,
               pg_get_userbyid(c.relowner) AS owner
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relname <> 'alembic_version'
          AND c.relname <> 'alembic_version_pkc'""",
    "columns": """
        SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid) AS default_expr
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
          AND c.relname <> 'alembic_version' AND a.attnum > 0 AND NOT a.attisdropped""",
    "constraints": """
        SELECT c.relname, con.conname, pg_get_constraintdef(con.oid)
        FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relname <> 'alembic_version'""",
    "indexes": """
        SELECT indexname, indexdef FROM pg_indexes
        WHERE schemaname = 'public' AND tablename <> 'alembic_version'""",
    "policies": """
        SELECT tablename, policyname, permissive, roles::text, cmd, qual, with_check
        FROM pg_policies WHERE schemaname = 'public'""",
    "grants": """
        SELECT c.relname, pg_get_userbyid(acl.grantee) AS grantee, acl.privilege_type
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
             aclexplode(c.relacl) acl
        WHERE n.nspname = 'public' AND c.relname <> 'alembic_version'""",
    "functions": """
        SELECT p.oid::regprocedure::text, pg_get_functiondef(p.oid)
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public'""",
    "types": """
        SELECT t.typname, t.typtype::text FROM pg_type t
        JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'r', 'm')""",
    "triggers": """
        SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid)
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND NOT t.tgisinternal""",
}

Snapshot = dict[str, list[tuple[Any, ...]]]


async def snapshot(db: TestDatabase) -> Snapshot:
    conn = await asyncpg.connect(db.owner_url)
    try:
        return {
            kind: sorted(tuple(str(v) for v in row) for row in await conn.fetch(query))
            for kind, query in SNAPSHOT_QUERIES.items()
        }
    finally:
        await conn.close()


def tables_of(snap: Snapshot) -> dict[str, Snapshot]:
    """Per table, everything about it: to tell which tables a revision touched."""
    names = {row[0] for row in snap["relations"] if row[1] in ("r", "p")}
    return {
        name: {
            kind: [row for row in rows if row[0] == name]
            for kind, rows in snap.items()
            if kind in ("relations", "columns", "constraints", "policies", "grants", "triggers")
        }
        for name in names
    }


async def fingerprints(db: TestDatabase) -> dict[str, tuple[int, str]]:
    """Row count and a digest of the contents of every table in ``public``."""
    conn = await asyncpg.connect(db.owner_url)
    try:
        tables = await conn.fetch(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')"
            " AND c.relname <> 'alembic_version'"
        )
        result = {}
        for (name,) in tables:
            count, digest = await conn.fetchrow(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), ''))"
                f" FROM {name} t"
            )
            result[name] = (count, digest)
        return result
    finally:
        await conn.close()


async def insert_sample_data(db: TestDatabase) -> uuid.UUID:
    """A tenant, a user, an audit row and a customer, written as the owner (BYPASSRLS)."""
    tenant_id = uuid.uuid4()
    conn = await asyncpg.connect(db.owner_url)
    try:
        async with conn.transaction():
            await conn.execute(
                "INSERT INTO tenants (id, slug, name) VALUES ($1, $2, 'Migration Shop')",
                tenant_id,
                f"mig-{tenant_id.hex[:8]}",
            )
            await conn.execute(
                "INSERT INTO users (tenant_id, id, email, display_name, password_hash)"
                " VALUES ($1, $2, 'owner@mig.example.com', 'Owner', 'not-a-real-hash')",
                tenant_id,
                uuid.uuid4(),
            )
            await conn.execute(
                "INSERT INTO audit_log (tenant_id, id, actor, action, entity_type, outcome)"
                " VALUES ($1, $2, 'support:pytest', 'tenant.create', 'tenant', 'success')",
                tenant_id,
                uuid.uuid4(),
            )
            await conn.execute(
                "INSERT INTO customers (tenant_id, id, tags, created_at, updated_at)"
                " VALUES ($1, $2, '{vip}', now(), now())",
                tenant_id,
                uuid.uuid4(),
            )
    finally:
        await conn.close()
    return tenant_id


def revisions() -> list[str]:
    """Revision ids from base to head (a single line of history); reads only the scripts."""
    script = ScriptDirectory.from_config(alembic_config("postgresql://unused/unused"))
    assert len(script.get_heads()) == 1, "migrations must have exactly one head"
    return [rev.revision for rev in reversed(list(script.walk_revisions("base", "heads")))]


@asynccontextmanager
async def scratch_database() -> AsyncIterator[TestDatabase]:
    """A database of this test's own, dropped whatever happens."""
    db = await create_database(f"mig_{uuid.uuid4().hex[:8]}")
    try:
        yield db
    finally:
        await drop_database(db)


async def _current_revision(db: TestDatabase) -> str | None:
    conn = await asyncpg.connect(db.owner_url)
    try:
        exists = await conn.fetchval("SELECT to_regclass('public.alembic_version') IS NOT NULL")
        return await conn.fetchval("SELECT version_num FROM alembic_version") if exists else None
    finally:
        await conn.close()


async def test_base_head_base_head_on_a_database_holding_data() -> None:
    """PLT-10: upgrade to head, write data, downgrade to base (every app object gone),
    upgrade again: the schema is exactly the first one, and it takes data again."""
    async with scratch_database() as db:
        await _base_head_round_trip(db)


async def _base_head_round_trip(db: TestDatabase) -> None:
    empty = await snapshot(db)
    assert all(rows == [] for rows in empty.values()), empty

    await asyncio.to_thread(migrate, db)
    first = await snapshot(db)
    assert await _current_revision(db) == revisions()[-1]
    assert {"tenants", "users", "audit_log", "customers"} <= {r[0] for r in first["relations"]}
    assert first["policies"], "head has tenant policies"
    await insert_sample_data(db)
    assert {name: fp[0] for name, fp in (await fingerprints(db)).items() if fp[0]} == {
        "tenants": 1,
        "users": 1,
        "audit_log": 1,
        "customers": 1,
    }

    await asyncio.to_thread(downgrade, db, "base")
    assert await _current_revision(db) is None
    assert await snapshot(db) == empty, "downgrade to base must remove every object it made"

    await asyncio.to_thread(migrate, db)
    second = await snapshot(db)
    for kind in SNAPSHOT_QUERIES:
        assert second[kind] == first[kind], kind
    assert all(count == 0 for count, _ in (await fingerprints(db)).values())
    await insert_sample_data(db)


def test_history_is_one_line_from_base() -> None:
    """PLT-10: one head, so ``upgrade head`` and ``downgrade -1`` are unambiguous."""
    assert revisions()


async def test_newest_revision_round_trip_keeps_data_it_does_not_touch() -> None:
    """PLT-10: downgrading and re-applying only the newest revision keeps the rows of every
    table that revision does not touch, and restores the head schema exactly."""
    history = revisions()
    if len(history) < 2:
        pytest.skip(f"a single revision ({history[0]}): base↔head is covered above")
    async with scratch_database() as db:
        await _newest_revision_round_trip(db, history)


async def _newest_revision_round_trip(db: TestDatabase, history: list[str]) -> None:
    await asyncio.to_thread(migrate, db)
    head = await snapshot(db)
    await insert_sample_data(db)
    data_before = await fingerprints(db)

    await asyncio.to_thread(downgrade, db, history[-2])
    assert await _current_revision(db) == history[-2]
    previous = await snapshot(db)
    await asyncio.to_thread(migrate, db)
    assert await _current_revision(db) == history[-1]

    assert await snapshot(db) == head
    head_tables, previous_tables = tables_of(head), tables_of(previous)
    untouched = {name for name in head_tables if head_tables[name] == previous_tables.get(name)}
    data_after = await fingerprints(db)
    assert {name: data_after[name] for name in untouched} == {
        name: data_before[name] for name in untouched
    }
