"""The tables' metadata and the migrated database describe the same schema (#8).

Every module describes its tables once, as Core ``Table`` objects in its ``tables.py``
(found by walking ``adapters.postgres``: no central list). Alembic's autogenerate
comparison (``compare_metadata``, types and server defaults included) must find no
difference between them and the database the migrations made, so the two cannot drift.
It does not look at constraint names, deferrability or check constraints; the second test
does: every constraint of a described table, by name, kind and Postgres's own rendering of
its definition (a check written in the metadata is rendered by Postgres on a scratch copy
of the table, so ``kind IN ('a', 'b')`` and the stored ``kind = ANY (ARRAY[...])`` compare
equal).

A table in the database that no ``tables.py`` describes fails the first test too.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pprint import pformat
from typing import Any

import asyncpg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import (
    CheckConstraint,
    Connection,
    ForeignKeyConstraint,
    PrimaryKeyConstraint,
    Table,
    UniqueConstraint,
    inspect,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.postgres.shared.engine import async_url
from adapters.postgres.shared.schema import described_metadata, tables_modules
from tests.support.databases import TestDatabase

ALEMBIC_TABLES = {"alembic_version"}


@pytest.fixture
async def owner(database: TestDatabase) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(database.owner_url)
    try:
        yield conn
    finally:
        await conn.close()


def _compare(conn: Connection) -> tuple[set[str], list[Any]]:
    metadata = described_metadata()
    undescribed = set(inspect(conn).get_table_names()) - set(metadata.tables) - ALEMBIC_TABLES
    context = MigrationContext.configure(
        conn, opts={"compare_type": True, "compare_server_default": True}
    )
    return undescribed, compare_metadata(context, metadata)


async def test_every_module_table_is_found_by_walking_the_package() -> None:
    assert "adapters.postgres.catalog.tables" in tables_modules()
    assert "products" in described_metadata().tables


async def test_the_metadata_matches_the_migrated_database(database: TestDatabase) -> None:
    engine = create_async_engine(async_url(database.owner_url))
    try:
        async with engine.connect() as conn:
            undescribed, differences = await conn.run_sync(_compare)
    finally:
        await engine.dispose()
    assert not undescribed, f"in the database but in no tables.py: {sorted(undescribed)}"
    assert not differences, "metadata and migrations differ:\n" + pformat(differences)


def _kind(constraint: object) -> str:
    kinds = {
        PrimaryKeyConstraint: "p",
        UniqueConstraint: "u",
        ForeignKeyConstraint: "f",
        CheckConstraint: "c",
    }
    return next(k for cls, k in kinds.items() if isinstance(constraint, cls))


def _timing(constraint: Any) -> str:
    if not getattr(constraint, "deferrable", None):
        return "immediate"
    return f"deferrable initially {(constraint.initially or 'immediate').lower()}"


async def _rendered_checks(conn: asyncpg.Connection, table: Table) -> dict[str, str]:
    """Postgres's rendering of the metadata's check constraints, on a scratch copy."""
    probe = f"metadata_probe_{uuid.uuid4().hex[:8]}"
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    rendered = {}
    tx = conn.transaction()
    await tx.start()
    try:
        await conn.execute(f"CREATE TEMPORARY TABLE {probe} (LIKE {table.name})")
        for check in table.constraints:
            if isinstance(check, CheckConstraint):
                sql = str(check.sqltext.compile(dialect=dialect))
                await conn.execute(f"ALTER TABLE {probe} ADD CONSTRAINT {check.name} CHECK ({sql})")
        for name, definition in await conn.fetch(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = $1::regclass",
            probe,
        ):
            rendered[name] = definition
    finally:
        await tx.rollback()
    return rendered


async def test_constraint_names_kinds_and_checks_match_the_migrated_database(
    owner: asyncpg.Connection,
) -> None:
    differences = []
    for table in described_metadata().tables.values():
        stored = {
            r["conname"]: (
                r["contype"],
                "immediate"
                if not r["condeferrable"]
                else "deferrable initially " + ("deferred" if r["condeferred"] else "immediate"),
                r["definition"] if r["contype"] == "c" else None,
            )
            for r in await owner.fetch(
                "SELECT conname, contype::text, condeferrable, condeferred,"
                " pg_get_constraintdef(oid) AS definition FROM pg_constraint"
                " WHERE conrelid = $1::regclass AND contype IN ('p', 'u', 'f', 'c')",
                table.name,
            )
        }
        checks = await _rendered_checks(owner, table)
        described = {
            str(c.name): (_kind(c), _timing(c), checks.get(str(c.name)))
            for c in table.constraints
            if c.name is not None
        }
        unnamed = [c for c in table.constraints if c.name is None]
        if described != stored or unnamed:
            differences.append((table.name, {"metadata": described, "database": stored}))
    assert not differences, "constraints differ:\n" + pformat(differences)
