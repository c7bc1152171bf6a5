"""An uploaded file's record between upload, check and commit, as the file imports keep
it (#8): the catalog import (``catalog_imports``) and the opening-stock import
(``stock_imports``). Both tables carry the same columns, the catalog's with two more
(``create_missing``, ``to_create``); the record's fields are named as the columns.

The file's bytes (``content``) are read only when asked for; ``errors`` is kept as JSON
(``errors_json``), ``counts`` as a JSON object. An upload inserts every column; a save
writes only what changes after the upload.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, Generic, Protocol, TypeVar
from uuid import UUID

from sqlalchemy import Column, Table, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.postgres.shared.rows import AnyRow, TenantRepository, values_of
from application.catalog.ports.files import errors_from_json, errors_json
from domain.shared.file_rows import RowError


class ImportRecord(Protocol):
    """What the rows need of a record beyond the columns named as its fields."""

    id: UUID
    counts: dict[str, int]
    errors: list[RowError]


R = TypeVar("R", bound=ImportRecord)

# What the upload sets once: a save leaves these columns alone.
_UPLOADED = frozenset(
    {
        "tenant_id",
        "id",
        "file_name",
        "format",
        "content",
        "include_cost",
        "check_job_id",
        "create_missing",
        "created_by",
        "created_at",
    }
)


@cache
def _columns(table: Table) -> tuple[tuple[Column[Any], ...], tuple[Column[Any], ...]]:
    """A table's columns read back (all but the tenant and the file's bytes) and those a
    save writes, listed once a process: every unit of work that builds its module's store
    builds these rows, most without touching them (a placement builds three)."""
    read = tuple(c for c in table.c if c.name not in ("tenant_id", "content"))
    return read, tuple(c for c in table.c if c.name not in _UPLOADED)


class ImportRecordRows(TenantRepository, Generic[R]):
    """One tenant's import records of ``table``, read as ``build(**columns)``."""

    def __init__(
        self, conn: AsyncConnection, tenant_id: UUID, table: Table, build: Callable[..., R]
    ) -> None:
        super().__init__(conn, tenant_id)
        self._table = table
        self._build = build
        self._read, self._changing = _columns(table)

    def _values(self, record: R, columns: Sequence[Column[Any]]) -> dict[str, Any]:
        return values_of(
            record,
            columns,
            counts=dict(record.counts),
            errors=errors_json(record.errors),
        )

    async def add(self, record: R) -> None:
        columns = [c for c in self._table.c if c.name != "tenant_id"]
        await self._insert(self._table, self._values(record, columns))

    async def get(
        self, import_id: UUID, *, for_update: bool = False, with_content: bool = False
    ) -> R | None:
        content = [self._table.c.content] if with_content else []
        query = select(*self._read, *content).where(self._row_of(self._table, import_id))
        if for_update:
            query = query.with_for_update()
        row = await self._first(query)
        return self._record(row) if row is not None else None

    async def save(self, record: R) -> None:
        await self._conn.execute(
            update(self._table)
            .where(self._row_of(self._table, record.id))
            .values(self._values(record, self._changing))
        )

    def _record(self, row: AnyRow) -> R:
        columns = dict(row._mapping)
        converted: dict[str, Any] = {
            "content": bytes(row.content) if "content" in columns else b"",
            "counts": dict(row.counts),
            "errors": errors_from_json(row.errors),
        }
        if "to_create" in columns:
            converted["to_create"] = {kind: list(names) for kind, names in row.to_create.items()}
        return self._build(**{**columns, **converted})
