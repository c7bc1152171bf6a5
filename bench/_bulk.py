"""Loading millions of generated rows fast: a table's secondary indexes dropped for the load
and built again after it from their own definitions (``pg_get_indexdef``). Rows arriving in
generation order land all over indexes keyed by SKU, time, warehouse or channel, page after
page touched at random; a build afterwards is one sort an index. Indexes that back a
constraint (primary key, unique) stay: the load is still checked against them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
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
