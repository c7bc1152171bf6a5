"""Pooled connections are checked on checkout without a round trip for recently used ones
(PLT-9, statements per request): a connection the server closed is replaced, one idle for
longer than ``PING_AFTER_IDLE_SECONDS`` is pinged first, one just returned is not."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_connection
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.shared import engine as engines
from tests.support.databases import ADMIN_URL, TestDatabase


@pytest.fixture
async def engine(database: TestDatabase) -> AsyncIterator[AsyncEngine]:
    made = engines.create_engine(database.app_url, pool_size=1, max_overflow=0)
    try:
        yield made
    finally:
        await made.dispose()


@pytest.fixture
def pings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the driver adapter's pings (each is three round trips on asyncpg)."""
    seen: list[int] = []
    real = AsyncAdapt_asyncpg_connection.ping

    def counted(self: Any) -> None:
        seen.append(1)
        real(self)

    monkeypatch.setattr(AsyncAdapt_asyncpg_connection, "ping", counted)
    return seen


async def _backend_pid(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(text("SELECT pg_backend_pid()")))


async def test_a_connection_the_server_closed_is_replaced_without_an_error_plt9(
    engine: AsyncEngine, pings: list[int]
) -> None:
    pid = await _backend_pid(engine)
    admin = await asyncpg.connect(ADMIN_URL)
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()
    await asyncio.sleep(0.2)  # the server's goodbye reaches the pooled socket

    assert await _backend_pid(engine) != pid
    assert pings == []  # seen closed by the driver, no ping needed


async def test_a_recently_used_connection_is_handed_out_unpinged_plt9(
    engine: AsyncEngine, pings: list[int]
) -> None:
    first = await _backend_pid(engine)
    assert await _backend_pid(engine) == first
    assert pings == []


async def test_a_connection_idle_past_the_limit_is_pinged_first_plt9(
    engine: AsyncEngine, pings: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await _backend_pid(engine)  # a fresh connection: not pinged
    assert pings == []
    monkeypatch.setattr(engines, "PING_AFTER_IDLE_SECONDS", 0.0)

    assert await _backend_pid(engine) == first
    assert pings == [1]
