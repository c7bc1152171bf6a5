"""/api/v1/jobs: tenant admins follow background jobs (``jobs:read``), e.g. the
re-encryption after a key rotation (PLT-4); whoever started a job follows that one
without it. Read-only; errors are problem+json."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get
from litestar.params import FromPath, QueryParameter

from application.jobs.queries import GetJob, ListJobs
from application.shared.job import Job
from entrypoints.http.conventions import Cursor, Limit
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.jobs.schemas import JobOut, JobPageOut
from entrypoints.http.permissions import needs


def job_out(job: Job) -> JobOut:
    progress = None
    if job.total is not None:
        progress = 1.0 if job.total == 0 else min(job.done / job.total, 1.0)
    return JobOut.of(job, status=job.status.value, progress=progress)


class JobsController(Controller):
    path = "/"

    @get("/", opt=needs(ListJobs))
    async def list_jobs(
        self,
        ctx: Context,
        use_cases: Dispatch,
        kind: Annotated[
            str | None, QueryParameter(name="kind", description="e.g. keys.reencrypt")
        ] = None,
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> JobPageOut:
        """Newest first, optionally of one kind."""
        page = await use_cases.query(ctx, ListJobs.window(kind, cursor, limit))
        return JobPageOut.of_page(page, job_out)

    @get("/{job_id:uuid}", opt=needs(GetJob))
    async def get_job(self, ctx: Context, use_cases: Dispatch, job_id: FromPath[UUID]) -> JobOut:
        """Status and progress of one job: any of the company's with ``jobs:read``, the
        caller's own (one they started) without it; another tenant's job is 404."""
        return job_out(await use_cases.query(ctx, GetJob(job_id)))
