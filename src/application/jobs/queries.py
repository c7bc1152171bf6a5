"""Tenant admins follow their jobs' progress (``jobs:read``): one job, or a page of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from application.jobs.ports import JOBS
from application.shared.context import CallContext
from application.shared.job import Job
from application.shared.pagination import Page, clamp_limit, decode_cursor, encode_cursor
from application.shared.runner import CommandRunner
from application.shared.use_case import Query, Reading, runs
from domain.identity.permissions import JOBS_READ
from domain.shared.errors import NotFound, ValidationFailed


@dataclass(frozen=True)
class GetJob(Query[Job], entity="job", permission=JOBS_READ):
    job_id: UUID


class GetJobHandler:
    async def handle(self, query: GetJob, reading: Reading) -> Job:
        job = await reading.uow.of(JOBS).jobs.get(query.job_id)
        if job is None:
            raise NotFound(entity="job")
        return job


@dataclass(frozen=True)
class ListJobs(Query[Page[Job]], entity="job", permission=JOBS_READ):
    """Newest first, of one kind or all."""

    kind: str | None
    after: tuple[datetime, UUID] | None
    size: int


class ListJobsHandler:
    async def handle(self, query: ListJobs, reading: Reading) -> Page[Job]:
        size = query.size
        jobs = await reading.uow.of(JOBS).jobs.page(query.kind, query.after, size + 1)
        more = len(jobs) > size
        jobs = jobs[:size]
        nxt = encode_cursor([jobs[-1].created_at.isoformat(), str(jobs[-1].id)]) if more else None
        return Page(jobs, nxt)


class JobQueries:
    def __init__(self, runner: CommandRunner) -> None:
        self._runner = runner

    @runs(GetJob)
    async def get(self, ctx: CallContext, job_id: UUID) -> Job:
        return await self._runner.query(ctx, GetJob(job_id), GetJobHandler())

    @runs(ListJobs)
    async def list(
        self, ctx: CallContext, kind: str | None, cursor: str | None, limit: int | None
    ) -> Page[Job]:
        size = clamp_limit(limit)
        after = None
        if cursor:
            key = decode_cursor(cursor)
            try:
                after = (datetime.fromisoformat(key[0]), UUID(key[1]))
            except (ValueError, IndexError):
                raise ValidationFailed.single("cursor", "invalid_cursor") from None
        query = ListJobs(kind, after, size)
        return await self._runner.query(ctx, query, ListJobsHandler())
