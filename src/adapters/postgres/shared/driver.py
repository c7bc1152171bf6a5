"""Statements a hot path runs on its transaction's own asyncpg connection (decision 82).

SQLAlchemy's execution path costs far more Python than the driver's: per statement, an
execution context, the compiled cache's key (a walk of the whole statement), parameter
processing, a greenlet switch and a result wrapper — about 0.2–0.4 ms of CPU against
asyncpg's 0.05–0.1 for the same statement, measured on this machine
(bench/inventory_reserve.py). For the few statements every reservation, every movement and
every command sends, ``DriverStatement`` compiles the statement (a Core expression or a
``text``, described as before) once for asyncpg and then binds each call's values by
position and sends them straight to the driver, inside the same server transaction the unit
of work began (its first statement, ``SET LOCAL``, went through SQLAlchemy, which sent the
``BEGIN``). Listeners of the engine's ``before_cursor_execute`` still see each statement
(the statement-count test, a tracer). Rows come back as asyncpg ``Record``s (by name:
``row["seq"]``); a constraint violation is raised as SQLAlchemy's ``IntegrityError``, so
``raise_for_constraint`` maps it as it maps any other.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, cast

import asyncpg
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.util import greenlet_spawn

_DIALECT = asyncpg_dialect()  # type: ignore[no-untyped-call]


@contextmanager
def uncollected() -> Iterator[None]:
    """The cyclic garbage collector paused while a large result is read and turned into
    records. Every row is a few tracked objects (the driver's record, two UUIDs, the
    record made of it) and none is part of a cycle — reference counting frees them — yet
    40,000 of them set off full collections, each walking the whole heap: measured on the
    valuation at a date (bench/inventory_valuation.py), 16 full passes took 29 s over 10
    reports, 2.9 s of a report's 4.6 s. Paused, one young collection follows."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def driver_of(conn: AsyncConnection) -> asyncpg.Connection:
    """The asyncpg connection under ``conn`` (checked out, so no I/O to reach it), in its
    unit of work's transaction."""
    driver = conn.sync_connection.connection.driver_connection if conn.sync_connection else None
    if driver is None:  # guard: a unit of work's connection is open while it runs
        raise RuntimeError("the connection is not open")
    if not driver.is_in_transaction():  # guard: never autocommitted by mistake
        raise RuntimeError("a driver statement runs in its unit of work's transaction")
    return driver


class DriverStatement:
    """``statement`` compiled once for asyncpg; run with named values like ``execute``."""

    def __init__(self, statement: ClauseElement) -> None:
        compiled = cast(SQLCompiler, statement.compile(dialect=_DIALECT))
        if compiled.post_compile_params or compiled.literal_execute_params:
            # rendered per execution (an expanding IN, a literal_execute bind): the one
            # string compiled here would go out with its placeholders still in it
            raise ValueError("a driver statement cannot hold values rendered at execution")
        self.sql = compiled.string
        self._names = tuple(compiled.positiontup or ())
        # values bound in the statement itself (a literal's parameter), and the few types
        # whose values the dialect converts before sending (arrays of UUIDs); the
        # compiler's processors are a private attribute (SQLAlchemy pinned to 2.1.x in
        # pyproject.toml; tests/integration/platform/test_driver_statements.py and every
        # reservation test run through here)
        self._fixed = {
            name: bind.value for name, bind in compiled.binds.items() if not bind.required
        }
        self._convert: dict[str, Callable[[Any], Any]] = {
            name: cast(Callable[[Any], Any], process)
            for name, process in compiled._bind_processors.items()
            if process
        }

    def arguments(self, values: Mapping[str, Any]) -> list[Any]:
        if not self._fixed and not self._convert:  # a text statement's: bound as given
            return [values[name] for name in self._names]
        found = []
        for name in self._names:
            value = values[name] if name in values else self._fixed[name]
            process = self._convert.get(name)
            found.append(process(value) if process is not None and value is not None else value)
        return found

    async def fetch(self, conn: AsyncConnection, values: Mapping[str, Any]) -> list[asyncpg.Record]:
        arguments = self.arguments(values)
        sync = conn.sync_connection
        if sync is not None and (sync._has_events or sync.engine._has_events):
            # what counts or traces statements still sees this one (cursor and context None)
            sync.dispatch.before_cursor_execute(sync, None, self.sql, arguments, None, False)
        try:
            rows: list[asyncpg.Record] = await driver_of(conn).fetch(self.sql, *arguments)
            return rows
        except asyncpg.IntegrityConstraintViolationError as error:
            raise IntegrityError(self.sql, None, error) from error

    async def fetch_pooled(
        self, engine: AsyncEngine, values: Mapping[str, Any]
    ) -> list[asyncpg.Record]:
        """The statement as a transaction by itself on a connection of ``engine``'s pool,
        borrowed as the pool hands it out (its checkout check runs) but without
        SQLAlchemy's ``Connection`` around it: no execution context, no isolation level
        set and put back — a read every request makes (the token check) costs one
        check-out and one statement (decision 106)."""
        arguments = self.arguments(values)
        sync_engine = engine.sync_engine
        if sync_engine._has_events:  # what counts or traces statements still sees this one
            sync_engine.dispatch.before_cursor_execute(None, None, self.sql, arguments, None, False)
        pooled = await engine.raw_connection()
        try:
            driver = pooled.driver_connection
            if driver is None or driver.is_in_transaction():  # guard: a clean pooled one
                raise RuntimeError("a pooled statement needs an open connection in no transaction")
            rows: list[asyncpg.Record] = await driver.fetch(self.sql, *arguments)
            return rows
        finally:
            await greenlet_spawn(pooled.close)  # back to the pool (its checkin events run)

    async def fetchrow(
        self, conn: AsyncConnection, values: Mapping[str, Any]
    ) -> asyncpg.Record | None:
        rows = await self.fetch(conn, values)
        return rows[0] if rows else None
