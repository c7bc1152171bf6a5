"""The audit chain in Postgres: ``audit_digests`` and ``audit_seals`` (PLT-3).

Runs as the platform role (it bypasses row-level security), so every statement names the
tenant. The platform role may insert digests and seal entries but neither update nor
delete them (migration 0002), and may not touch ``audit_log`` beyond reading and inserting.
The row image is read with the database's own text rendering of jsonb and inet, which is
stable for a stored value.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import BigInteger, Uuid, func, insert, literal, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncTransaction

from adapters.postgres.audit.tables import audit_digests, audit_seals
from adapters.postgres.shared.rows import TenantRepository
from domain.audit.chain import AuditDigest, AuditRowImage
from domain.audit.verification import NamedRow

# The chain's set-based statements below stay hand-written: the row image (jsonb and inet
# in the database's own text rendering, exactly what was hashed), the anti-join against the
# seals and a digest's row list joined in order read more plainly as SQL than as expressions.
_IMAGE = (
    "a.tenant_id, a.id, a.occurred_at, a.actor, a.action, a.entity_type, a.entity_id,"
    " a.outcome, a.changes::text AS changes, a.detail::text AS detail, a.request_id,"
    " a.ip::text AS ip"
)
_DIGEST = tuple(c for c in audit_digests.c if c.name not in ("tenant_id", "created_at"))
_UNSEALED = (
    "NOT EXISTS (SELECT 1 FROM audit_seals s WHERE s.tenant_id = a.tenant_id AND s.audit_id = a.id)"
)
DIGEST_PAGE = 100


def _uuid(value: Any) -> UUID:
    # asyncpg hands back its own UUID subclass; normalise so comparisons and hashing agree.
    return value if type(value) is UUID else UUID(str(value))


def _image(row: Any) -> AuditRowImage:
    return AuditRowImage(
        tenant_id=_uuid(row.tenant_id),
        id=_uuid(row.id),
        occurred_at=row.occurred_at,
        actor=row.actor,
        action=row.action,
        entity_type=row.entity_type,
        entity_id=_uuid(row.entity_id) if row.entity_id is not None else None,
        outcome=row.outcome,
        changes=row.changes,
        detail=row.detail,
        request_id=row.request_id,
        ip=row.ip,
    )


def _digest(row: Any) -> AuditDigest:
    return AuditDigest(
        seq=int(row.seq),
        previous_digest=bytes(row.previous_digest) if row.previous_digest is not None else None,
        digest=bytes(row.digest),
        row_ids=tuple(_uuid(v) for v in row.row_ids),
        row_hashes=tuple(bytes(v) for v in row.row_hashes),
        first_occurred_at=row.first_occurred_at,
        last_occurred_at=row.last_occurred_at,
    )


async def _digest_at(conn: AsyncConnection, tenant_id: UUID, seq: int) -> AuditDigest | None:
    row = (
        await conn.execute(
            select(*_DIGEST).where(
                audit_digests.c.tenant_id == tenant_id, audit_digests.c.seq == seq
            )
        )
    ).first()
    return _digest(row) if row is not None else None


class _SealingSession(TenantRepository):
    def __init__(self, conn: AsyncConnection, tx: AsyncTransaction, tenant_id: UUID) -> None:
        super().__init__(conn, tenant_id)
        self._tx = tx

    async def newest_digest(self) -> AuditDigest | None:
        row = await self._first(
            select(*_DIGEST)
            .where(audit_digests.c.tenant_id == self._tenant_id)
            .order_by(audit_digests.c.seq.desc())
            .limit(1)
        )
        return _digest(row) if row is not None else None

    async def digest_at(self, seq: int) -> AuditDigest | None:
        return await _digest_at(self._conn, self._tenant_id, seq)

    async def unsealed_rows(self, since: datetime | None, limit: int) -> list[AuditRowImage]:
        window = "" if since is None else " AND a.occurred_at >= :since"
        rows = await self._conn.execute(
            text(
                f"SELECT {_IMAGE} FROM audit_log a WHERE a.tenant_id = :t{window}"
                f" AND {_UNSEALED} ORDER BY a.occurred_at, a.id LIMIT :limit"
            ),
            {"t": self._tenant_id, "since": since, "limit": limit},
        )
        return [_image(r) for r in rows]

    async def append(self, digest: AuditDigest) -> None:
        await self._conn.execute(
            insert(audit_digests).values(
                tenant_id=self._tenant_id,
                seq=digest.seq,
                previous_digest=digest.previous_digest,
                digest=digest.digest,
                row_ids=list(digest.row_ids),
                row_hashes=list(digest.row_hashes),
                first_occurred_at=digest.first_occurred_at,
                last_occurred_at=digest.last_occurred_at,
            )
        )
        # The primary key (tenant_id, audit_id) makes "sealed by exactly one digest" a
        # constraint: a second digest claiming a row fails the whole transaction.
        audit_id = func.unnest(literal(list(digest.row_ids), ARRAY(Uuid))).column_valued()
        seals = audit_seals.c
        await self._conn.execute(
            insert(audit_seals).from_select(
                [seals.tenant_id, seals.audit_id, seals.digest_seq],
                select(literal(self._tenant_id, Uuid), audit_id, literal(digest.seq, BigInteger)),
            )
        )

    async def commit(self) -> None:
        await self._tx.commit()


class _ChainView(TenantRepository):
    async def digests(self) -> AsyncIterator[AuditDigest]:
        after = 0
        while True:
            rows = (
                await self._conn.execute(
                    select(*_DIGEST)
                    .where(
                        audit_digests.c.tenant_id == self._tenant_id,
                        audit_digests.c.seq > after,
                    )
                    .order_by(audit_digests.c.seq)
                    .limit(DIGEST_PAGE)
                )
            ).all()
            for row in rows:
                yield _digest(row)
            if len(rows) < DIGEST_PAGE:
                return
            after = int(rows[-1].seq)

    async def named_rows(self, digest: AuditDigest) -> list[NamedRow]:
        rows = await self._conn.execute(
            text(
                f"SELECT r.pos, {_IMAGE}, s.digest_seq AS sealed_by"
                " FROM unnest(CAST(:row_ids AS uuid[])) WITH ORDINALITY AS r (id, pos)"
                " LEFT JOIN audit_log a ON a.tenant_id = :t AND a.id = r.id"
                " LEFT JOIN audit_seals s ON s.tenant_id = :t AND s.audit_id = r.id"
                " ORDER BY r.pos"
            ),
            {"t": self._tenant_id, "row_ids": list(digest.row_ids)},
        )
        return [
            NamedRow(
                _image(r) if r.id is not None else None,
                int(r.sealed_by) if r.sealed_by is not None else None,
            )
            for r in rows
        ]

    async def seal_count(self) -> int:
        count = await self._conn.scalar(
            select(func.count()).where(audit_seals.c.tenant_id == self._tenant_id)
        )
        return int(count or 0)

    async def first_seal_not_named_by_its_digest(self) -> tuple[UUID, int] | None:
        row = await self._first(
            text(
                "SELECT s.audit_id, s.digest_seq FROM audit_seals s"
                " JOIN audit_digests d ON d.tenant_id = s.tenant_id AND d.seq = s.digest_seq"
                " WHERE s.tenant_id = :t AND NOT (s.audit_id = ANY (d.row_ids))"
                " ORDER BY s.digest_seq, s.audit_id LIMIT 1"
            ),
            {"t": self._tenant_id},
        )
        return (_uuid(row.audit_id), int(row.digest_seq)) if row is not None else None

    async def first_unsealed_before(self, cutoff: datetime) -> tuple[UUID, datetime] | None:
        row = await self._first(
            text(
                "SELECT a.id, a.occurred_at FROM audit_log a WHERE a.tenant_id = :t"
                f" AND a.occurred_at < :cutoff AND {_UNSEALED}"
                " ORDER BY a.occurred_at, a.id LIMIT 1"
            ),
            {"t": self._tenant_id, "cutoff": cutoff},
        )
        return (_uuid(row.id), row.occurred_at) if row is not None else None

    async def unsealed_count(self) -> int:
        count = await self._conn.scalar(
            text(f"SELECT count(*) FROM audit_log a WHERE a.tenant_id = :t AND {_UNSEALED}"),
            {"t": self._tenant_id},
        )
        return int(count or 0)


class PostgresAuditChainStore:
    def __init__(self, platform_engine: AsyncEngine) -> None:
        self._engine = platform_engine

    async def tenants_with_unsealed_rows(self, tolerance: timedelta) -> list[UUID]:
        """One query over all tenants: for each, an index range scan of its audit rows
        newer than (newest digest's last row - tolerance), each probed against the seals'
        primary key. Cheap when nothing is new."""
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                text(
                    "SELECT t.id FROM tenants t"
                    " LEFT JOIN LATERAL (SELECT d.last_occurred_at FROM audit_digests d"
                    "   WHERE d.tenant_id = t.id ORDER BY d.seq DESC LIMIT 1) newest ON true"
                    " WHERE EXISTS (SELECT 1 FROM audit_log a WHERE a.tenant_id = t.id"
                    "   AND (newest.last_occurred_at IS NULL OR a.occurred_at >="
                    "        newest.last_occurred_at - CAST(:tolerance AS interval))"
                    f"   AND {_UNSEALED})"
                    " ORDER BY t.id"
                ),
                {"tolerance": tolerance},
            )
            return [_uuid(r.id) for r in rows]

    @asynccontextmanager
    async def sealing(self, tenant_id: UUID) -> AsyncIterator[_SealingSession]:
        async with self._engine.connect() as conn:
            tx = await conn.begin()
            try:
                # Serialises sealers of one tenant; other tenants seal in parallel (an
                # advisory lock: hand-written SQL).
                await conn.execute(
                    text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                    {"key": f"audit_seal:{tenant_id}"},
                )
                yield _SealingSession(conn, tx, tenant_id)
            finally:
                if tx.is_active:
                    await tx.rollback()

    @asynccontextmanager
    async def snapshot(self, tenant_id: UUID) -> AsyncIterator[_ChainView]:
        async with self._engine.connect() as plain:
            # One snapshot for every check, so a sealer committing meanwhile cannot make
            # the counts disagree.
            conn = await plain.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
            async with conn.begin():
                yield _ChainView(conn, tenant_id)
