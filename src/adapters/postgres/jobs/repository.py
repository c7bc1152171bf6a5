"""Job rows in Postgres: the ``jobs`` table of a tenant, in the caller's transaction (the
re-encryption walk, catalog imports and exports all keep their progress here)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from application.shared.job import Job, JobStatus

_JOB_COLUMNS = (
    "id, kind, status, done, total, checkpoint, parameters, error, created_by, created_at,"
    " updated_at, finished_at"
)


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


class PostgresJobRepository:
    def __init__(self, conn: AsyncConnection, tenant_id: UUID) -> None:
        self._conn = conn
        self._tenant_id = tenant_id

    async def add(self, job: Job) -> None:
        await self._conn.execute(
            text(
                "INSERT INTO jobs (tenant_id, id, kind, status, done, total, checkpoint,"
                " parameters, error, created_by, created_at, updated_at, finished_at)"
                " VALUES (:tenant_id, :id, :kind, :status, :done, :total,"
                " CAST(:checkpoint AS jsonb), CAST(:parameters AS jsonb), :error, :created_by,"
                " :created_at, :updated_at, :finished_at)"
            ),
            {
                **self._values(job),
                "kind": job.kind,
                "parameters": json.dumps(job.parameters),
                "created_by": job.created_by,
                "created_at": job.created_at,
            },
        )

    def _values(self, job: Job) -> dict[str, Any]:
        return {
            "tenant_id": self._tenant_id,
            "id": job.id,
            "status": job.status.value,
            "done": job.done,
            "total": job.total,
            "checkpoint": json.dumps(job.checkpoint),
            "error": job.error,
            "updated_at": job.updated_at,
            "finished_at": job.finished_at,
        }

    async def save(self, job: Job) -> None:
        await self._conn.execute(
            text(
                "UPDATE jobs SET status = :status, done = :done, total = :total,"
                " checkpoint = CAST(:checkpoint AS jsonb), error = :error,"
                " updated_at = :updated_at, finished_at = :finished_at"
                " WHERE tenant_id = :tenant_id AND id = :id"
            ),
            self._values(job),
        )

    async def get(self, job_id: UUID, *, for_update: bool = False) -> Job | None:
        lock = " FOR UPDATE" if for_update else ""
        row = (
            await self._conn.execute(
                text(
                    f"SELECT {_JOB_COLUMNS} FROM jobs WHERE tenant_id = :tenant_id"
                    f" AND id = :id{lock}"
                ),
                {"tenant_id": self._tenant_id, "id": job_id},
            )
        ).first()
        return _job(row) if row is not None else None

    async def latest(self, kind: str) -> Job | None:
        row = (
            await self._conn.execute(
                text(
                    f"SELECT {_JOB_COLUMNS} FROM jobs WHERE tenant_id = :tenant_id"
                    " AND kind = :kind ORDER BY created_at DESC, id DESC LIMIT 1"
                ),
                {"tenant_id": self._tenant_id, "kind": kind},
            )
        ).first()
        return _job(row) if row is not None else None

    async def lock_kind(self, kind: str) -> None:
        await self._conn.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"jobs:{self._tenant_id}:{kind}"},
        )

    async def page(
        self, kind: str | None, after: tuple[datetime, UUID] | None, limit: int
    ) -> list[Job]:
        clauses = ["tenant_id = :tenant_id"]
        params: dict[str, Any] = {"tenant_id": self._tenant_id, "limit": limit}
        if kind is not None:
            clauses.append("kind = :kind")
            params["kind"] = kind
        if after is not None:
            clauses.append("(created_at, id) < (:after_at, :after_id)")
            params["after_at"], params["after_id"] = after
        rows = await self._conn.execute(
            text(
                f"SELECT {_JOB_COLUMNS} FROM jobs WHERE {' AND '.join(clauses)}"
                " ORDER BY created_at DESC, id DESC LIMIT :limit"
            ),
            params,
        )
        return [_job(r) for r in rows]
