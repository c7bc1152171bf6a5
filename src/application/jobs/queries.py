"""Tenant admins follow their company's jobs' progress (``jobs:read``): one job, or a page
of them. Whoever started a job follows that one without it (decision 105)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from application.jobs.ports import JOBS
from application.shared.job import Job
from application.shared.pagination import Page, clamp_limit, page_of, time_and_id, time_and_id_after
from application.shared.use_case import SIGNED_IN, Query, Reading
from domain.identity.permissions import JOBS_READ
from domain.shared.errors import NotFound


class GetJob(Query[Job], entity="job", permission=SIGNED_IN):
    """One job: any of the company's with ``jobs:read``; without it, one the caller started
    (a review of waiting orders, an import, a re-valuation their receipt caused), followed
    with the permission that started it."""

    job_id: UUID


class GetJobHandler:
    async def handle(self, query: GetJob, reading: Reading) -> Job:
        job = await reading.uow.of(JOBS).jobs.get(query.job_id)
        if job is None:
            raise NotFound(entity="job")
        if job.created_by != reading.ctx.actor.label:
            reading.require_extra(JOBS_READ)
        return job


class ListJobs(Query[Page[Job]], entity="job", permission=JOBS_READ):
    """Newest first, of one kind or all."""

    kind: str | None
    after: tuple[datetime, UUID] | None
    size: int

    @classmethod
    def window(cls, kind: str | None, cursor: str | None, limit: int | None) -> ListJobs:
        size = clamp_limit(limit)
        return cls(kind, time_and_id_after(cursor), size)


class ListJobsHandler:
    async def handle(self, query: ListJobs, reading: Reading) -> Page[Job]:
        jobs = await reading.uow.of(JOBS).jobs.page(query.kind, query.after, query.size + 1)
        return page_of(jobs, query.size, lambda job: time_and_id(job.created_at, job.id))
