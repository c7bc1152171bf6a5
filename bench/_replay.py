"""The raw side of a benchmark as the very statements the application sends: captured from
one run of a use case (SQLAlchemy's ``before_cursor_execute`` on the request role's
engine, each statement's text and its parameters as handed to asyncpg) and sent again on
a bare asyncpg connection in one transaction, with the ids the run made replaced by fresh
ones — so the baseline cannot drift from what the adapters do.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import asyncpg
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

# Statements a run sends now and then rather than every time: a block of order numbers is
# fetched once in fifty placements (decision 49).
OCCASIONAL = ("nextval('order_number_seq')",)


@dataclass
class Captured:
    """The statements of one run, in order, with their parameters."""

    statements: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)


@contextmanager
def capturing(engine: AsyncEngine) -> Iterator[Captured]:
    captured = Captured()

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *rest: Any) -> None:
        if not any(marker in statement for marker in OCCASIONAL):
            captured.statements.append((statement, tuple(parameters or ())))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield captured
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


class Replay:
    """``captured`` sent again: every UUID but the ``kept`` ones (tenant, warehouses, SKUs)
    becomes a fresh one for each replay — the same fresh one wherever it appears, also
    inside JSON text — ``replaced`` values (the SKU a placement picked) are swapped, the
    ``unique`` strings (an order number) made unique, and times set to now."""

    def __init__(
        self, captured: Captured, kept: set[uuid.UUID], unique: tuple[str, ...] = ()
    ) -> None:
        self.statements = captured.statements
        self._kept = kept
        self._unique = unique
        self._serial = 0

    async def send(self, conn: asyncpg.Connection, replaced: dict[uuid.UUID, uuid.UUID]) -> None:
        self._serial += 1
        ids = dict(replaced)
        texts = {u: f"{u[:2]}R{self._serial:0{len(u) - 3}d}" for u in self._unique}
        now = datetime.now(UTC)

        def fresh(value: Any) -> Any:
            if isinstance(value, uuid.UUID):
                if value in self._kept:
                    return value
                if value not in ids:
                    ids[value] = uuid.uuid4()
                return ids[value]
            if isinstance(value, datetime):
                return now
            if isinstance(value, list | tuple):
                return [fresh(item) for item in value]
            return value

        # UUIDs first, then the text that may mention them (JSON columns, keys).
        prepared = [(sql, [fresh(p) for p in params]) for sql, params in self.statements]
        texts.update({str(old): str(new) for old, new in ids.items()})

        def in_text(value: Any) -> Any:
            if isinstance(value, str):
                for old, new in texts.items():
                    if old in value:
                        value = value.replace(old, new)
                return value
            if isinstance(value, list):
                return [in_text(item) for item in value]
            return value

        async with conn.transaction():
            for sql, params in prepared:
                await conn.execute(sql, *[in_text(p) for p in params])


def sender(
    pool: asyncpg.Pool, replay: Replay, replaced: Callable[[int], dict[uuid.UUID, uuid.UUID]]
) -> Callable[[int], Awaitable[None]]:
    """The ``i``-th call: ``replay`` on a pooled connection with ``replaced(i)``."""

    async def send(i: int) -> None:
        async with pool.acquire() as conn:
            await replay.send(conn, replaced(i))

    return send
