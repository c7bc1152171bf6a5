"""What the tenant repositories share (#8): the connection and tenant they work in, the
condition naming one row of the tenant, and records moved between a dataclass and a row
whose columns carry its field names.

Every tenant-scoped query names its tenant explicitly as well: row-level security is the
backstop, and the platform role (which bypasses it) must never see another tenant's rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import fields
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar
from uuid import UUID

from asyncpg import Record
from sqlalchemy import Column, ColumnElement, Table, Update, and_, insert, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import Executable

from domain.shared.errors import StaleVersion

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    R = TypeVar("R", bound=DataclassInstance)


# A row of any shape: Core selects type their rows by their columns, and the repositories'
# row mappers take the rows of several such selects.
AnyRow: TypeAlias = Row[*tuple[Any, ...]]


class TenantRepository:
    """Reads and writes one tenant's rows in the caller's transaction."""

    def __init__(self, conn: AsyncConnection, tenant_id: UUID) -> None:
        self._conn = conn
        self._tenant_id = tenant_id

    def _row_of(self, table: Table, row_id: UUID) -> ColumnElement[bool]:
        """This tenant's row ``row_id`` of ``table`` (by its ``id`` column)."""
        return and_(table.c.tenant_id == self._tenant_id, table.c.id == row_id)

    def _at_version(self, table: Table, row_id: UUID, expected_version: int) -> Update:
        """An update of this tenant's row ``row_id`` that finds the row only while it is
        at ``expected_version`` (optimistic concurrency: see :func:`one_updated`)."""
        return update(table).where(self._row_of(table, row_id), table.c.version == expected_version)

    async def _insert(self, table: Table, values: dict[str, Any]) -> None:
        """Inserts one row of this tenant into ``table``."""
        await self._conn.execute(insert(table).values(tenant_id=self._tenant_id, **values))

    async def _first(
        self, statement: Executable, parameters: dict[str, Any] | None = None
    ) -> AnyRow | None:
        """The statement's first row, if any."""
        return (await self._conn.execute(statement, parameters)).first()


def columns_of(row: AnyRow | Record) -> Mapping[str, Any]:
    """A row's values by column name: SQLAlchemy's row, or the driver's record (a
    ``DriverStatement``'s, which is read by name already)."""
    return row if isinstance(row, Record) else row._mapping  # type: ignore[return-value]


def from_row(record: type[R], row: AnyRow | Record, **converted: Any) -> R:
    """A ``record`` (a dataclass) read from the row's columns named as its fields (a field
    no column names keeps its default, such as an aggregate's recorded events);
    ``converted`` gives the fields a column does not hold as they are (an enum, a copy, a
    decoded value)."""
    columns = columns_of(row)
    read = {
        f.name: columns[f.name]
        for f in fields(record)
        if f.init and f.name in columns and f.name not in converted
    }
    return record(**read, **converted)


def values_of(record: object, columns: Iterable[Column[Any]], **converted: Any) -> dict[str, Any]:
    """The values of ``columns`` (say, ``table.c`` less some) for an insert or update, read
    from the record's attributes of the same names; ``converted`` gives the columns that
    need more than the attribute."""
    values = {c.name: getattr(record, c.name) for c in columns if c.name not in converted}
    return {**values, **converted}


def one_updated(rowcount: int, expected_version: int) -> None:
    """StaleVersion unless the versioned write found its one row: another writer changed
    (or removed) it since it was read at ``expected_version``."""
    if rowcount != 1:
        raise StaleVersion(expected=expected_version)
