"""Every order awaiting review, reviewed again by the current rule set, as a job (审单;
ORD-1, ORD-5, PLT-9): what a caller of ``ReviewWaiting`` does by following its cursor page
after page, done by the system for all of them — a rule set switched on over thousands of
waiting orders is long-running work — with its progress on the job row (``GET
/api/v1/jobs/{id}``, the CLI's progress bar).

The runner reads where each run of ``RANGE`` waiting orders ends (their keys only, nothing
locked) and reviews the ranges ``AT_ONCE`` at a time: each range is ``ReviewWaiting``
confined to it (``down_to``), so each page is its own transaction with its audit records,
events and notifications, its orders locked (``FOR UPDATE SKIP LOCKED``: a review running
beside it, or a second run of the job, skips them). Two transactions at once let one's
statements run in PostgreSQL while this process evaluates the other's orders
(bench/README.md, the review). The ranges are disjoint, so they never wait on each other's
orders.

A page the database rolls back for meeting another (a deadlock between the two ranges,
possible where rules move stock and their orders share SKUs) is reviewed again
(``retried_on_contention``) rather than failing the job.

Resuming (a failed or abandoned job) needs no checkpoint: an order the review changed no
longer awaits review, and one still waiting is reviewed again, where a rule that already
acted on it acts no more.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from functools import partial
from uuid import UUID

from application.jobs.ports import JOBS
from application.orders.common import store_of
from application.orders.ports import OrderPosition
from application.orders.review import DEFAULT_REVIEW_PAGE, ReviewWaiting
from application.shared.clock import Clock
from application.shared.contention import retried_on_contention
from application.shared.context import CallContext
from application.shared.job import Job
from application.shared.job_steps import JobSteps, enqueue_job, new_job
from application.shared.messaging import TaskQueue
from application.shared.pagination import encode_cursor, time_and_id
from application.shared.unit_of_work import UnitOfWorkFactory
from application.shared.use_case import Command, Work, runs
from application.shared.use_cases import UseCases
from domain.orders.permissions import ORDERS_RULES
from domain.orders.state import ENTITY

REVIEW_KIND = "orders.review_waiting"
RANGE = DEFAULT_REVIEW_PAGE  # orders a range: one page, one transaction
AT_ONCE = 2  # ranges reviewed at once, each on its own connection


class StartWaitingReview(
    Command[Job], action="order.review_waiting_job", entity=ENTITY, permission=ORDERS_RULES
):
    """The job that reviews every order awaiting review, queued (``WaitingReviews.run``
    runs it)."""


class StartWaitingReviewHandler:
    async def handle(self, command: StartWaitingReview, work: Work) -> Job:
        job = new_job(work.clock, work.ids, work.ctx, REVIEW_KIND, {})
        await work.uow.of(JOBS).jobs.add(job)
        work.audit(None, detail={"job": str(job.id)})
        return job


def _cursor(position: OrderPosition) -> str:
    return encode_cursor(time_and_id(position.placed_at, position.order_id))


def ranges_of(ends: list[OrderPosition]) -> list[tuple[str | None, str | None]]:
    """Each range as ``ReviewWaiting``'s ``(cursor, down_to)``: after the previous range's
    last order, down to its own; the first from the newest order, the last to the oldest
    (an order placed since the ends were read is in the first)."""
    cursors = [_cursor(end) for end in ends]
    return [
        (cursors[i - 1] if i else None, cursors[i] if i < len(ends) - 1 else None)
        for i in range(len(ends))
    ]


class WaitingReviews:
    """Starts the job (queued for a worker, or run by the caller: the CLI) and runs it."""

    def __init__(
        self, use_cases: UseCases, uow_factory: UnitOfWorkFactory, tasks: TaskQueue, clock: Clock
    ) -> None:
        self._use_cases = use_cases
        self._uow_factory = uow_factory
        self._tasks = tasks
        self._steps = JobSteps(uow_factory, clock, REVIEW_KIND)

    @runs(StartWaitingReview)
    async def start(self, ctx: CallContext, *, enqueue: bool = True) -> Job:
        """The job, queued for a worker after its commit (``enqueue``), or left for the
        caller to run."""
        job = await self._use_cases.run(ctx, StartWaitingReview())
        if enqueue:
            await enqueue_job(self._tasks, REVIEW_KIND, ctx.tenant_id, job.id)
        return job

    async def run(self, tenant_id: UUID, job_id: UUID) -> Job:
        """The job (a worker's task, or the CLI's)."""
        return await self._steps.run(tenant_id, job_id, self._review)

    async def _review(self, ctx: CallContext, job: Job) -> Job:
        # The requester's name on every page's audit records, with the permission the
        # job's start was checked for.
        caller = replace(ctx, permissions=frozenset({ORDERS_RULES}))
        async with self._uow_factory.for_tenant(ctx) as uow:
            total, ends = await store_of(uow).orders.waiting_ranges(RANGE)
        await self._steps.progress(ctx, job, 0, total)
        pending = iter(ranges_of(ends))
        reported = asyncio.Lock()  # one progress write at a time: the job row's values
        reviewed = 0

        async def review_ranges() -> None:
            nonlocal reviewed
            for after, down_to in pending:  # the ranges shared: each taken once
                cursor: str | None = after
                while True:
                    review = ReviewWaiting(cursor, RANGE, down_to)
                    page = await retried_on_contention(partial(self._use_cases.run, caller, review))
                    reviewed += page.reviewed
                    cursor = page.next_cursor
                    if cursor is None:
                        break
                async with reported:
                    await self._steps.progress(ctx, job, reviewed, max(total, reviewed))

        try:
            async with asyncio.TaskGroup() as group:  # one failing stops the other
                for _ in range(AT_ONCE):
                    group.create_task(review_ranges())
        except ExceptionGroup as failed:
            raise failed.exceptions[0] from None  # recorded on the job by its code
        async with self._uow_factory.for_tenant(ctx) as uow:
            return await self._steps.succeed(uow, job, reviewed)
