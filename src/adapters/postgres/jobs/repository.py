"""Job rows in Postgres: the ``jobs`` table of a tenant, in the caller's transaction (the
re-encryption walk, catalog imports and exports all keep their progress here)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, insert, select, text, tuple_, update

from adapters.postgres.jobs.tables import jobs
from adapters.postgres.shared.rows import TenantRepository
from application.shared.job import Job, JobStatus

_JOB_COLUMNS = tuple(c for c in jobs.c if c.name != "tenant_id")


def _uuid(value: Any) -> UUID:
    return value if type(value) is UUID else UUID(str(value))


def _job(row: Any) -> Job:
    return Job(
        id=_uuid(row.id),
        kind=row.kind,
        status=JobStatus(row.status),
        done=int(row.done),
        total=int(row.total) if row.total is not None else None,
        checkpoint=dict(row.checkpoint),
        parameters=dict(row.parameters),
        error=row.error,
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        finished_at=row.finished_at,
    )


class PostgresJobRepository(TenantRepository):
    async def add(self, job: Job) -> None:
        await self._conn.execute(
            insert(jobs).values(
                **self._progress(job),
                tenant_id=self._tenant_id,
                id=job.id,
                kind=job.kind,
                parameters=job.parameters,
                created_by=job.created_by,
                created_at=job.created_at,
            )
        )

    @staticmethod
    def _progress(job: Job) -> dict[str, Any]:
        """What saving a job writes (its kind, parameters and creation never change)."""
        return {
            "status": job.status.value,
            "done": job.done,
            "total": job.total,
            "checkpoint": job.checkpoint,
            "error": job.error,
            "updated_at": job.updated_at,
            "finished_at": job.finished_at,
        }

    def _job_is(self, job_id: UUID) -> ColumnElement[bool]:
        return self._row_of(jobs, job_id)

    async def save(self, job: Job) -> None:
        await self._conn.execute(
            update(jobs).where(self._job_is(job.id)).values(self._progress(job))
        )

    async def get(self, job_id: UUID, *, for_update: bool = False) -> Job | None:
        query = select(*_JOB_COLUMNS).where(self._job_is(job_id))
        if for_update:
            query = query.with_for_update()
        row = await self._first(query)
        return _job(row) if row is not None else None

    async def latest(self, kind: str) -> Job | None:
        row = await self._first(
            select(*_JOB_COLUMNS)
            .where(jobs.c.tenant_id == self._tenant_id, jobs.c.kind == kind)
            .order_by(jobs.c.created_at.desc(), jobs.c.id.desc())
            .limit(1)
        )
        return _job(row) if row is not None else None

    async def lock_kind(self, kind: str) -> None:
        # An advisory lock (hand-written SQL): it guards a kind, not an existing row.
        await self._conn.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"jobs:{self._tenant_id}:{kind}"},
        )

    async def page(
        self, kind: str | None, after: tuple[datetime, UUID] | None, limit: int
    ) -> list[Job]:
        query = select(*_JOB_COLUMNS).where(jobs.c.tenant_id == self._tenant_id)
        if kind is not None:
            query = query.where(jobs.c.kind == kind)
        if after is not None:
            query = query.where(tuple_(jobs.c.created_at, jobs.c.id) < tuple_(*after))
        rows = await self._conn.execute(
            query.order_by(jobs.c.created_at.desc(), jobs.c.id.desc()).limit(limit)
        )
        return [_job(r) for r in rows]
