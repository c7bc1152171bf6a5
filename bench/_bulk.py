"""Loading millions of generated rows fast: a table's secondary indexes dropped for the load
and built again after it from their own definitions (``pg_get_indexdef``). Rows arriving in
generation order land all over indexes keyed by SKU, time, warehouse or channel, page after
page touched at random; a build afterwards is one sort an index. Indexes that back a
constraint (primary key, unique) stay: the load is still checked against them.

A load the server does on its own (``INSERT … SELECT``, one backend a statement) leaves the
second core idle: ``side_by_side`` runs independent parts of it on connections of their own
at once (a generated year of closings in two chains: 66 s → 43 s at full scale).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager

import asyncpg

SECONDARY = """
SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS sql
FROM pg_index i
WHERE i.indrelid = $1::regclass
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
ORDER BY 1
"""


@asynccontextmanager
async def indexes_rebuilt(conn: asyncpg.Connection, *tables: str) -> AsyncIterator[None]:
    """Drops ``tables``' secondary indexes (``conn`` as the owner or the superuser), and on
    the way out — after a failure too — builds them again."""
    indexes = [row for table in tables for row in await conn.fetch(SECONDARY, table)]
    for index in indexes:
        await conn.execute(f"DROP INDEX {index['name']}")
    try:
        yield
    finally:
        await conn.execute("SET maintenance_work_mem = '256MB'")  # each build one sort
        for index in indexes:
            await conn.execute(index["sql"])


Part = Callable[[asyncpg.Connection], Awaitable[None]]


async def side_by_side(url: str, parts: Sequence[Part]) -> None:
    """Runs each of ``parts`` on a connection of its own to ``url`` (the superuser), all at
    once, with foreign-key triggers off (``session_replication_role = replica``: generated
    rows known to be consistent); the first failure cancels the others."""

    async def run(part: Part) -> None:
        conn = await asyncpg.connect(url)
        try:
            await conn.execute("SET session_replication_role = replica")  # no FK triggers
            await part(conn)
        finally:
            await conn.close()

    async with asyncio.TaskGroup() as group:
        for part in parts:
            group.create_task(run(part))
