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
from typing import Any, Self
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.crypto.field_cipher import EnvelopeFieldCipher, key_version
from adapters.postgres.shared.encrypted_sources import EncryptedSource, encrypted_sources
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


class PostgresEncryptedColumns:
    def __init__(self, conn: AsyncConnection, tenant_id: UUID) -> None:
        self._conn = conn
        self._tenant_id = tenant_id

    def sources(self) -> tuple[str, ...]:
        return tuple(source.name for source in encrypted_sources())

    async def count(self, source: str) -> int:
        table = _source(source).table
        value = await self._conn.scalar(
            text(f"SELECT count(*) FROM {table} WHERE tenant_id = :tenant_id"),
            {"tenant_id": self._tenant_id},
        )
        return int(value or 0)

    async def rows(
        self, source: str, after: str | None, limit: int, *, not_on_version: int | None = None
    ) -> list[EncryptedRow]:
        s = _source(source)
        columns = [column for column, _ in s.columns]
        clauses = ["tenant_id = :tenant_id"]
        params: dict[str, Any] = {"tenant_id": self._tenant_id, "limit": limit}
        if after is not None:
            clauses.append(f"{s.key_column} > CAST(:after AS {s.key_type})")
            params["after"] = after
        if not_on_version is not None:
            # The version sits in bytes 2..5 of the header: no decryption needed to filter.
            clauses.append(
                "("
                + " OR ".join(
                    f"({c} IS NOT NULL AND substring({c} FROM 2 FOR 4) <> :version)"
                    for c in columns
                )
                + ")"
            )
            params["version"] = version_header(not_on_version)
        rows = await self._conn.execute(
            text(
                f"SELECT {s.key_column}::text AS key, {', '.join(columns)} FROM {s.table}"
                f" WHERE {' AND '.join(clauses)} ORDER BY {s.key_column} LIMIT :limit"
                " FOR UPDATE"
            ),
            params,
        )
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
        assignments = ", ".join(f"{column} = :{column}" for column in sorted(ciphertexts))
        await self._conn.execute(
            text(
                f"UPDATE {s.table} SET {assignments} WHERE tenant_id = :tenant_id"
                f" AND {s.key_column} = CAST(:key AS {s.key_type})"
            ),
            {**ciphertexts, "tenant_id": self._tenant_id, "key": key},
        )

    async def retire_versions_before(self, version: int) -> list[int]:
        rows = await self._conn.execute(
            text(
                "UPDATE tenant_data_keys SET retired_at = now() WHERE tenant_id = :tenant_id"
                " AND id < :version AND retired_at IS NULL RETURNING id"
            ),
            {"tenant_id": self._tenant_id, "version": version},
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
