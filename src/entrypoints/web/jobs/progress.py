"""The company's jobs, newest first, and one job's progress: while it is queued or running
its page asks for its progress bar again every second (htmx), and stops asking once the
job has finished."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from application.identity.users.queries import NameActors
from application.jobs.queries import GetJob, ListJobs
from application.shared.job import Job, JobStatus
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.jobs.kinds import KINDS
from entrypoints.web.pages import is_htmx, page, view_of

STATUS_LABELS = {
    JobStatus.QUEUED: "jobs.queued",
    JobStatus.RUNNING: "jobs.running",
    JobStatus.SUCCEEDED: "jobs.succeeded",
    JobStatus.FAILED: "jobs.failed",
}


def percent(job: Job) -> int | None:
    """How far the job is, when it knows its total."""
    if job.status is JobStatus.SUCCEEDED:
        return 100
    if not job.total:
        return None
    return min(100, job.done * 100 // job.total)


class JobPages(Controller):
    @get("/", name="console_jobs", opt=needs(ListJobs))
    async def jobs(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        cursor: FromQuery[str | None] = None,
    ) -> Template:
        found = await use_cases.query(ctx, ListJobs.window(None, cursor, None))
        return await page(
            request,
            use_cases,
            "jobs/list.html",
            found=found,
            labels=STATUS_LABELS,
            kinds=KINDS,
            percent=percent,
        )

    @get("/{job_id:uuid}", name="console_job", opt=needs(GetJob))
    async def job(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        job_id: FromPath[UUID],
    ) -> Template:
        job = await use_cases.query(ctx, GetJob(job_id))
        # htmx polling asks for the bar alone; a visit gets the whole page.
        if is_htmx(request):
            return await page(
                request, use_cases, "jobs/_bar.html", job=job, labels=STATUS_LABELS, percent=percent
            )
        view = await view_of(request, use_cases)
        return await page(
            request,
            use_cases,
            "jobs/job.html",
            view=view,
            job=job,
            labels=STATUS_LABELS,
            kinds=KINDS,
            people=await use_cases.query(ctx, NameActors((job.created_by,))),
            percent=percent,
        )
