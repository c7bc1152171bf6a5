"""Key rotation in Postgres: what the re-encryption job walks, and its unit of work (PLT-4).

- ``PostgresEncryptedColumns``: every encrypted column of a tenant, source by source (the
  re-encryption job's walk). Each module declares its sources in its own ``encrypted.py``
  (``adapters/postgres/shared/encrypted_sources.py`` finds them); a test fails while a ``*_enc``
  column is in no source. Logical field names and row ids are the ones the owning adapter
  uses for associated data.
- ``PostgresJobsUnitOfWork``: the ordinary unit of work plus ``jobs`` (the jobs module's
  store) and ``encrypted``.
- ``EnvelopeDataKeyVersions``: rotation and the version a ciphertext names.
"""

from __future__ import annotations

import struct
from types import TracebackType
from typing import Self
from uuid import UUID

from sqlalchemy import LargeBinary, Text, cast, func, literal, or_, select, update

from adapters.crypto.field_cipher import EnvelopeFieldCipher, key_version
from adapters.postgres.shared.encrypted_sources import EncryptedSource, encrypted_sources
from adapters.postgres.shared.rows import TenantRepository
from adapters.postgres.shared.tables import tenant_data_keys
from adapters.postgres.shared.unit_of_work import PostgresUnitOfWork, PostgresUnitOfWorkFactory
from application.jobs.ports import JOBS, JobRepository
from application.keys.ports import EncryptedColumns, EncryptedRow, EncryptedValue
from application.shared.audit_log import AuditLog
from application.shared.context import CallContext, SystemContext
from application.shared.operator_audit import OperatorAudit

# ---- encrypted columns ---------------------------------------------------------------


def _source(name: str) -> EncryptedSource:
    return {source.name: source for source in encrypted_sources()}[name]


def version_header(version: int) -> bytes:
    """The 4 bytes after the format byte of a field ciphertext (adapters.crypto layout)."""
    return struct.pack(">I", version)


class PostgresEncryptedColumns(TenantRepository):
    def sources(self) -> tuple[str, ...]:
        return tuple(source.name for source in encrypted_sources())

    async def count(self, source: str) -> int:
        table = _source(source).rows
        value = await self._conn.scalar(
            select(func.count()).select_from(table).where(table.c.tenant_id == self._tenant_id)
        )
        return int(value or 0)

    async def rows(
        self, source: str, after: str | None, limit: int, *, not_on_version: int | None = None
    ) -> list[EncryptedRow]:
        s = _source(source)
        key = s.rows.c[s.key_column]
        columns = [s.rows.c[column] for column, _ in s.columns]
        query = select(cast(key, Text).label("key"), *columns).where(
            s.rows.c.tenant_id == self._tenant_id
        )
        if after is not None:
            query = query.where(key > cast(literal(after, Text), key.type))
        if not_on_version is not None:
            # The version sits in bytes 2..5 of the header: no decryption needed to filter.
            version = literal(version_header(not_on_version), LargeBinary)
            query = query.where(
                or_(*(c.is_not(None) & (func.substring(c, 2, 4) != version) for c in columns))
            )
        rows = await self._conn.execute(query.order_by(key).limit(limit).with_for_update())
        result = []
        for row in rows:
            key = row.key
            values = tuple(
                EncryptedValue(column, field, s.row_of(key), bytes(getattr(row, column)))
                for column, field in s.columns
                if getattr(row, column) is not None
            )
            result.append(EncryptedRow(key, values))
        return result

    async def rewrite(self, source: str, key: str, ciphertexts: dict[str, bytes]) -> None:
        s = _source(source)
        known = {column for column, _ in s.columns}
        if not ciphertexts or not set(ciphertexts) <= known:
            raise ValueError(f"not encrypted columns of {source}: {sorted(ciphertexts)}")
        key_column = s.rows.c[s.key_column]
        await self._conn.execute(
            update(s.rows)
            .where(
                s.rows.c.tenant_id == self._tenant_id,
                key_column == cast(literal(key, Text), key_column.type),
            )
            .values(ciphertexts)
        )

    async def retire_versions_before(self, version: int) -> list[int]:
        keys = tenant_data_keys.c
        rows = await self._conn.execute(
            update(tenant_data_keys)
            .where(keys.tenant_id == self._tenant_id, keys.id < version, keys.retired_at.is_(None))
            .values(retired_at=func.now())
            .returning(keys.id)
        )
        return sorted(int(r.id) for r in rows)


# ---- the unit of work ------------------------------------------------------------------


class PostgresJobsUnitOfWork:
    """The ordinary unit of work (same transaction, same tenant setting) with the job
    repository and the encrypted columns on its connection."""

    # Typed as the ports, so mypy checks each adapter against its protocol.
    jobs: JobRepository
    encrypted: EncryptedColumns
    audit: AuditLog
    operator_audit: OperatorAudit

    def __init__(self, inner: PostgresUnitOfWork) -> None:
        self._inner = inner
        self.tenant_id = inner.tenant_id

    async def __aenter__(self) -> Self:
        await self._inner.__aenter__()
        conn, tenant_id = self._inner.connection, self._inner.tenant_id
        self.jobs = self._inner.of(JOBS).jobs
        self.encrypted = PostgresEncryptedColumns(conn, tenant_id)
        self.audit = self._inner.audit
        self.operator_audit = self._inner.operator_audit
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._inner.__aexit__(exc_type, exc, tb)

    async def commit(self) -> None:
        await self._inner.commit()


class PostgresJobsUnitOfWorkFactory:
    def __init__(self, inner: PostgresUnitOfWorkFactory) -> None:
        self._inner = inner

    def for_tenant(self, ctx: CallContext) -> PostgresJobsUnitOfWork:
        return PostgresJobsUnitOfWork(self._inner.for_tenant(ctx))

    def for_system(self, ctx: SystemContext, tenant_id: UUID) -> PostgresJobsUnitOfWork:
        return PostgresJobsUnitOfWork(self._inner.for_system(ctx, tenant_id))


class EnvelopeDataKeyVersions:
    def __init__(self, cipher: EnvelopeFieldCipher) -> None:
        self._cipher = cipher

    async def rotate(self, tenant_id: UUID) -> int:
        return await self._cipher.rotate(tenant_id)

    def version_of(self, ciphertext: bytes) -> int:
        return key_version(bytes(ciphertext))
