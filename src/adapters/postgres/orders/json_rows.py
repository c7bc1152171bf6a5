"""The child rows an order write adds — timeline entries, lines, discounts, payments,
refunds — sent as ONE JSON document a table and read by ``json_to_recordset``.

A page of 200 orders reviewed adds ~700 timeline entries; bound as one array per column
(``unnest``), that was ~8,000 array elements the driver encoded one by one, each text
element costing it two Python-level ``isinstance`` checks against the collection ABCs
(bench/README.md, the review: the largest share of the driver's time in this process).
msgspec encodes the whole document in C; the server reads it once. The columns and their
types come from the tables' metadata, as ``_unnest_insert``'s do. Placement's one
``INSERT`` is unchanged (bench/orders_place.py measured it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Table, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.postgres.shared.driver import DriverStatement
from adapters.postgres.shared.json_text import json_text

_PG = postgresql.dialect()  # type: ignore[no-untyped-call]


def _recordset_insert(table: Table) -> str:
    """``INSERT INTO table`` of the rows of ``:rows`` (a JSON array of objects keyed by
    column name), the tenant's."""
    columns = [c for c in table.c if c.name != "tenant_id"]
    names = ", ".join(c.name for c in columns)
    typed = ", ".join(f"{c.name} {c.type.compile(dialect=_PG)}" for c in columns)
    return (
        f"INSERT INTO {table.name} (tenant_id, {names})"
        f" SELECT CAST(:tenant_id AS uuid), {names}"
        f" FROM json_to_recordset(CAST(:rows AS json)) AS v({typed})"
    )


class ChildRows:
    """One table's insert of rows given as dicts (a key per column; extra keys ignored)."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self._statement = DriverStatement(text(_recordset_insert(table)))

    async def insert(
        self, conn: AsyncConnection, tenant_id: UUID, rows: Sequence[Mapping[str, Any]]
    ) -> None:
        document = json_text(rows)
        await self._statement.fetch(conn, {"tenant_id": tenant_id, "rows": document})
