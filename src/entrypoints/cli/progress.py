"""A progress bar that follows a job's row (as any observer of ``GET /api/v1/jobs/{id}``
would see it) while the job runs in this process: the catalog import and export and the
opening-stock import share it."""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING
from uuid import UUID

import click

from application.jobs.queries import GetJob
from application.shared.context import CallContext
from application.shared.job import Job

if TYPE_CHECKING:
    from bootstrap import Container

POLL_SECONDS = 0.3


async def follow_job(
    c: Container, call: CallContext, job_id: UUID, label: str, task: asyncio.Task[Job]
) -> Job:
    """A progress bar that follows the job row until ``task`` ends."""
    with click.progressbar(length=1, label=label, show_pos=True, file=sys.stderr) as bar:
        shown = 0
        while not task.done():
            await asyncio.wait({task}, timeout=POLL_SECONDS)
            job = await c.use_cases.query(call, GetJob(job_id))
            bar.length = max(job.total or 0, job.done, 1)
            bar.update(job.done - shown)
            shown = job.done
    return await task
