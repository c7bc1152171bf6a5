"""Constraint violations are told apart by the violated constraint's name, which asyncpg
reports as a field of the error (``adapters/postgres/shared/errors.py``), never by its message.

Each test violates a real constraint of a scratch table made in a transaction that is
rolled back, as the migration owner.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from adapters.postgres.shared.engine import async_url
from adapters.postgres.shared.errors import raise_for_constraint, violated_constraint
from domain.shared.errors import Conflict
from tests.support.databases import TestDatabase


@pytest.fixture
async def scratch(database: TestDatabase) -> AsyncIterator[AsyncConnection]:
    """A connection in a transaction holding ``probe`` with two named unique keys."""
    engine = create_async_engine(async_url(database.owner_url))
    try:
        async with engine.connect() as conn, conn.begin() as tx:
            await conn.execute(
                text(
                    "CREATE TEMPORARY TABLE probe (code text, label text,"
                    " CONSTRAINT probe_code_key UNIQUE (code),"
                    " CONSTRAINT probe_label_key UNIQUE (label))"
                )
            )
            await conn.execute(text("INSERT INTO probe VALUES ('A', 'a')"))
            yield conn
            await tx.rollback()
    finally:
        await engine.dispose()


async def violation(conn: AsyncConnection, code: str, label: str) -> IntegrityError:
    with pytest.raises(IntegrityError) as caught:
        async with conn.begin_nested():
            await conn.execute(
                text("INSERT INTO probe VALUES (:code, :label)"), {"code": code, "label": label}
            )
    return caught.value


async def test_the_violated_constraint_is_named_by_the_driver(scratch: AsyncConnection) -> None:
    assert violated_constraint(await violation(scratch, "A", "b")) == "probe_code_key"
    assert violated_constraint(await violation(scratch, "B", "a")) == "probe_label_key"


async def test_a_named_constraint_raises_what_it_means(scratch: AsyncConnection) -> None:
    error = await violation(scratch, "A", "b")
    with pytest.raises(Conflict) as caught:
        raise_for_constraint(
            error,
            {
                "probe_label_key": lambda: Conflict("label_taken"),
                "probe_code_key": lambda: Conflict("code_taken", value="A"),
            },
        )
    assert (caught.value.code, caught.value.params) == ("code_taken", {"value": "A"})
    assert caught.value.__suppress_context__


async def test_a_constraint_not_named_raises_the_violation_itself(
    scratch: AsyncConnection,
) -> None:
    error = await violation(scratch, "B", "a")
    with pytest.raises(IntegrityError) as caught:
        raise_for_constraint(error, {"probe_code_key": lambda: Conflict("code_taken")})
    assert caught.value is error
