"""The raw side of a benchmark as "the raw SQL of the same statements": every statement one
call of the application sends to asyncpg, captured during a warm-up call, then replayed on
a plain asyncpg connection, statement for statement, with fresh ids.

Captured at the driver, below SQLAlchemy, so nothing the application sends is missed
whichever way it sends it (a Core statement, ``text``, the driver connection itself):
``PreparedStatement.fetch*`` (SQLAlchemy's path), ``Connection._execute`` (``fetch``,
``fetchrow``, ``execute`` with arguments) and ``Connection.execute`` without arguments
(the simple protocol: ``BEGIN``, ``COMMIT``). The replay sends each the same way: a
prepared statement with the same arguments, or the same simple query; the transaction's
``BEGIN`` and ``COMMIT`` come from ``conn.transaction()``, which sends exactly those.

A call may send statements of its own before its transaction (an HTTP request's token
check, on a pooled connection of its own): they are kept apart (``before``) and replayed
first, each alone, as they were sent.

Fresh ids: every id the application generated during the captured call (its id
generator's ``new_id``) is replaced by a new one from the same generator, consistently
across the statements (in arrays and in JSON text too), every timestamp by the time of the
replay, and named values (the SKU of the call) by the replay's own.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import asyncpg
from asyncpg.prepared_stmt import PreparedStatement

from application.shared.clock import IdGenerator


@dataclass(frozen=True)
class Sent:
    query: str
    args: tuple[Any, ...]
    prepared: bool  # the extended protocol (parse once, bind each time), else simple


@contextmanager
def capturing(ids: IdGenerator) -> Iterator[tuple[list[Sent], set[UUID]]]:
    """While open: every statement sent through asyncpg in this process, in order, and
    every id ``ids`` generated."""
    sent: list[Sent] = []
    generated: set[UUID] = set()
    connection, statement = asyncpg.connection.Connection, PreparedStatement
    saved = {
        (connection, "execute"): connection.execute,
        (connection, "_execute"): connection._execute,
        (statement, "fetch"): statement.fetch,
        (statement, "fetchrow"): statement.fetchrow,
        (statement, "fetchval"): statement.fetchval,
    }

    async def execute(self: Any, query: str, *args: Any, **kw: Any) -> Any:
        if not args:  # with arguments it goes through _execute, recorded there
            # one simple query may hold several statements (a unit of work's first round
            # trip: ``BEGIN; SET LOCAL …``, decision 97): recorded one by one
            parts = (part.strip() for part in query.split(";"))
            sent.extend(Sent(part, (), prepared=False) for part in parts if part)
        return await saved[(connection, "execute")](self, query, *args, **kw)

    async def _execute(self: Any, query: str, args: Any, *rest: Any, **kw: Any) -> Any:
        sent.append(Sent(query, tuple(args), prepared=True))
        return await saved[(connection, "_execute")](self, query, args, *rest, **kw)

    def prepared(name: str) -> Any:
        async def call(self: PreparedStatement, *args: Any, **kw: Any) -> Any:
            sent.append(Sent(self.get_query(), args, prepared=True))
            return await saved[(statement, name)](self, *args, **kw)

        return call

    new_id = ids.new_id

    def recorded_id() -> UUID:
        made = new_id()
        generated.add(made)
        return made

    # patched for the capture only (mypy refuses assigning to a method)
    setattr(connection, "execute", execute)  # noqa: B010
    setattr(connection, "_execute", _execute)  # noqa: B010
    for name in ("fetch", "fetchrow", "fetchval"):
        setattr(statement, name, prepared(name))
    setattr(ids, "new_id", recorded_id)  # noqa: B010
    try:
        yield sent, generated
    finally:
        for (owner, name), original in saved.items():
            setattr(owner, name, original)
        delattr(ids, "new_id")  # the instance attribute: the class's method again


@dataclass(frozen=True)
class Replay:
    """A captured call's statements, to send again on asyncpg with fresh values."""

    statements: list[Sent]  # between the transaction's BEGIN and COMMIT
    generated: frozenset[UUID]  # ids the call made: fresh ones each replay
    ids: IdGenerator
    unique: tuple[str, ...] = ()  # texts made unique each replay (an order's number)
    tag: str = "R"  # in those texts: another for each process replaying into one database
    before: tuple[Sent, ...] = ()  # sent alone before the transaction (a token check)
    _serial: Iterator[int] = field(default_factory=itertools.count, compare=False)

    @classmethod
    def of(
        cls, sent: list[Sent], generated: set[UUID], ids: IdGenerator, unique: tuple[str, ...] = ()
    ) -> Replay:
        """``sent``: one call's statements — any sent alone, then a transaction from BEGIN
        to COMMIT; ``unique``: values the database keeps unique (an order number, an
        idempotency key's row), another each replay."""
        begin = next((i for i, s in enumerate(sent) if _control(s) == "BEGIN"), None)
        if begin is None:
            raise ValueError(f"the call sent no BEGIN: {sent[:1]}")
        if _control(sent[-1]) != "COMMIT":
            raise ValueError(f"the call did not end with COMMIT: {sent[-1:]}")
        before = tuple(sent[:begin])
        return cls(sent[begin + 1 : -1], frozenset(generated), ids, unique, before=before)

    def describe(self) -> list[str]:
        """What one call sends: the statements before its transaction, BEGIN, each
        statement's first words, COMMIT."""
        return [
            *(_summary(s.query) for s in self.before),
            "BEGIN",
            *(_summary(s.query) for s in self.statements),
            "COMMIT",
        ]

    async def send(self, conn: asyncpg.Connection, named: Mapping[UUID, UUID]) -> None:
        """One call again: ``named`` maps captured values to this call's (the SKU)."""
        swap: dict[Any, Any] = {old: self.ids.new_id() for old in self.generated}
        swap.update(named)
        texts = {str(old): str(new) for old, new in swap.items()}
        serial = next(self._serial)
        texts.update({u: f"{u[:2]}{self.tag}{serial:0{len(u) - 3}d}" for u in self.unique})
        now = datetime.now(UTC)
        for sent in self.before:
            await conn.fetch(sent.query, *(_fresh(a, swap, texts, now) for a in sent.args))
        async with conn.transaction():
            for sent in self.statements:
                args = tuple(_fresh(a, swap, texts, now) for a in sent.args)
                if sent.prepared:
                    await conn.fetch(sent.query, *args)
                else:
                    await conn.execute(sent.query)


def _fresh(value: Any, swap: dict[Any, Any], texts: dict[str, str], now: datetime) -> Any:
    if isinstance(value, UUID):
        return swap.get(value, value)
    if isinstance(value, datetime):
        return now
    if isinstance(value, str):
        for old, new in texts.items():
            if old in value:
                value = value.replace(old, new)
        return value
    if isinstance(value, (list, tuple)):
        return type(value)(_fresh(v, swap, texts, now) for v in value)
    return value


def _control(sent: Sent) -> str:
    return sent.query.strip().upper().rstrip(";")


def _summary(query: str) -> str:
    words = re.sub(r"\s+", " ", query).strip()
    return words if len(words) <= 60 else words[:57] + "..."
