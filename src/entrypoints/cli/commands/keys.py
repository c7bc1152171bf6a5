"""``shopkeeper keys rotate|resume|status`` (PLT-4): rotate a tenant's data key and move its
personal data to the new version with a resumable background job.

``rotate`` creates data-key version n+1 (new writes use it) and the ``keys.reencrypt`` job,
then runs the job here with a progress bar read from the job row; ``--no-wait`` hands it to
the worker instead (task ``keys.reencrypt``). Killed half-way, ``resume`` continues from the
job's checkpoint; ``status`` shows the newest job. Progress is also readable through
``GET /api/v1/jobs/{id}``.

Test-only fault point: with ``SHOPKEEPER_FAULT_REENCRYPT_AFTER_BATCHES=k`` (development and
test environments only) this process kills itself with SIGKILL once k batches have
committed, in the middle of batch k+1.
"""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import timedelta
from typing import TYPE_CHECKING
from uuid import UUID

import click

from application.identity.tenant_operations import TenantOperations
from application.keys.ports import KEY_CACHE_SECONDS
from application.keys.reencrypt import DEFAULT_BATCH_SIZE, REENCRYPT_KIND, target_version
from application.keys.rotation import KeyRotation
from application.shared.context import SystemContext
from application.shared.job import Job
from entrypoints.cli.runtime import json_option, print_json, run, system_context

if TYPE_CHECKING:
    from bootstrap import Container  # imported when a command runs (runtime.run)

FAULT_ENV = "SHOPKEEPER_FAULT_REENCRYPT_AFTER_BATCHES"
POLL_SECONDS = 0.5


def fault_point(container: Container) -> int | None:
    """The test-only fault point, honoured in development and test environments only."""
    raw = os.environ.get(FAULT_ENV)
    if not raw or not container.settings.is_development:
        return None
    return int(raw)


def kill_self() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def describe(job: Job) -> str:
    total = "?" if job.total is None else str(job.total)
    line = (
        f"job {job.id}: {job.status.value}, {job.done}/{total} rows,"
        f" target version {target_version(job)}"
    )
    if job.error:
        line += f", error: {job.error}"
    return line


async def hand_to_worker(c: Container, tenant_id: UUID, job: Job) -> None:
    await c.task_queue.enqueue(
        REENCRYPT_KIND,
        {"tenant_id": str(tenant_id), "job_id": str(job.id)},
        message_id=f"{REENCRYPT_KIND}:{job.id}:{job.updated_at.isoformat()}",
    )


async def run_with_progress(
    c: Container, ctx: SystemContext, tenant_id: UUID, job: Job, batch_size: int
) -> Job:
    """Run the job in this process; the bar follows the job row, as any observer would."""
    fault_after = fault_point(c)
    runner = asyncio.create_task(
        c.get(KeyRotation).run(
            tenant_id,
            job.id,
            batch_size,
            fault_after,
            kill_self if fault_after is not None else None,
        )
    )
    with click.progressbar(
        length=max(job.total or 0, 1), label="re-encrypting", show_pos=True
    ) as bar:
        shown = 0
        while not runner.done():
            await asyncio.wait({runner}, timeout=POLL_SECONDS)
            current = await c.get(KeyRotation).job(ctx, tenant_id, job.id)
            if current.total is not None:
                bar.length = max(current.total, current.done, 1)
            bar.update(current.done - shown)
            shown = current.done
    return await runner


@click.group()
def keys() -> None:
    """Tenants' data keys: rotate, re-encrypt, follow and resume."""


async def _follow(
    c: Container, ctx: SystemContext, tenant_id: UUID, job: Job, batch_size: int, no_wait: bool
) -> Job:
    if no_wait:
        await hand_to_worker(c, tenant_id, job)
        return job
    return await run_with_progress(c, ctx, tenant_id, job, batch_size)


@keys.command("rotate")
@click.option("--tenant", "slug", required=True)
@click.option("--reason", default="data key rotation", show_default=True)
@click.option("--no-wait", is_flag=True, help="Hand the re-encryption to the worker and return.")
@click.option("--batch-size", default=DEFAULT_BATCH_SIZE, show_default=True, type=click.IntRange(1))
@click.option(
    "--settle-seconds",
    default=KEY_CACHE_SECONDS,
    show_default=True,
    type=click.FloatRange(0),
    help="Wait this long before re-encrypting: other processes may still encrypt under the"
    " old version until their key cache expires.",
)
def rotate(slug: str, reason: str, no_wait: bool, batch_size: int, settle_seconds: float) -> None:
    """Create a new data-key version and re-encrypt the tenant's personal data under it."""

    async def work(c: Container) -> Job:
        ctx = system_context(reason)
        tenant = await c.get(TenantOperations).show(ctx, slug)
        job = await c.get(KeyRotation).rotate(ctx, tenant.id, timedelta(seconds=settle_seconds))
        click.echo(
            f"data key version {target_version(job)} created for {tenant.slug};"
            f" re-encryption job {job.id}"
        )
        if settle_seconds and not no_wait:
            click.echo(
                f"waiting {settle_seconds:g}s until every process encrypts under the new"
                " version (key cache lifetime)"
            )
        return await _follow(c, ctx, tenant.id, job, batch_size, no_wait)

    _report(run(work), no_wait, slug)


@keys.command("resume")
@click.option("--tenant", "slug", required=True)
@click.option("--reason", default="resume re-encryption", show_default=True)
@click.option("--no-wait", is_flag=True, help="Hand the job to the worker and return.")
@click.option("--batch-size", default=DEFAULT_BATCH_SIZE, show_default=True, type=click.IntRange(1))
def resume(slug: str, reason: str, no_wait: bool, batch_size: int) -> None:
    """Continue an interrupted re-encryption from its checkpoint."""

    async def work(c: Container) -> Job:
        ctx = system_context(reason)
        tenant = await c.get(TenantOperations).show(ctx, slug)
        job = await c.get(KeyRotation).resumable(ctx, tenant.id)
        click.echo(f"resuming {describe(job)}")
        return await _follow(c, ctx, tenant.id, job, batch_size, no_wait)

    _report(run(work), no_wait, slug)


@keys.command("status")
@click.option("--tenant", "slug", required=True)
@json_option
def status(slug: str, as_json: bool) -> None:
    """The tenant's newest re-encryption job."""

    async def work(c: Container) -> Job | None:
        ctx = system_context("keys status")
        tenant = await c.get(TenantOperations).show(ctx, slug)
        return await c.get(KeyRotation).latest(ctx, tenant.id)

    job = run(work)
    if as_json:
        print_json(job)
        return
    click.echo(describe(job) if job is not None else "no re-encryption job yet")


def _report(job: Job, no_wait: bool, slug: str) -> None:
    if no_wait:
        click.echo(f"handed to the worker; follow it with: shopkeeper keys status --tenant {slug}")
        return
    click.echo(f"done: {describe(job)}")
