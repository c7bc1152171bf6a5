"""``shopkeeper orders …`` (ORD-9, CHN-2): orders support commands.

- ``import FILE --tenant SLUG --channel CODE [--dry-run] [--valid-only]``: an order file
  (``.csv`` in Shopify's order-export layout, or the ``.json`` order file) for the channel
  of CODE, in this process with progress bars read from the job rows, like ``catalog
  import``: the check first (the dry run); with bad rows the full report is written beside
  the file (``FILE.errors.csv``) and nothing is taken (exit 1) unless ``--valid-only``.
  The orders go through the channel intake: a re-import updates, never duplicates. Runs
  as the support operator, recorded in the operator audit (``orders.import``).
- ``rebuild-analytics --tenant SLUG``: the tenant's analytics rollups rebuilt from its
  orders (orders placed before the rollups existed, or after a time-zone change), as a job
  (``orders.rollups_backfill``) run in this process with a progress bar; running it again
  gives the same figures. Recorded in the operator audit (``orders.rebuild_analytics``).
- ``review-waiting --tenant SLUG``: every order awaiting review reviewed again by the
  tenant's current rule set, as a job (``orders.review_waiting``: two ranges of orders at a
  time, each page its own transaction) run in this process with a progress bar. Recorded
  in the operator audit (``orders.review_waiting``).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from application.orders.channels.imports.service import OrderImports
from application.orders.channels.ports import OrderImportRecord
from application.orders.queue.backfill import BackfillOrderRollups, RollupBackfill
from application.orders.review_job import WaitingReviews
from entrypoints.cli.file_imports import Wording, check_and_commit, file_import_arguments
from entrypoints.cli.progress import follow_job
from entrypoints.cli.runtime import run, support_call

if TYPE_CHECKING:
    from bootstrap import Container  # imported when a command runs (runtime.run)


@click.group()
def orders() -> None:
    """Orders: import order files, rebuild the analytics rollups."""


def _checked(record: OrderImportRecord) -> None:
    n = record.counts
    click.echo(
        f"import {record.id}: {n.get('rows', 0)} rows — {n.get('orders', 0)} orders"
        f" ({n.get('new', 0)} new, {n.get('known', 0)} already there,"
        f" {n.get('unmapped', 0)} with unmapped SKU codes), {n.get('rejected', 0)} rows rejected"
    )


def _done(record: OrderImportRecord) -> str:
    n = record.counts
    return (
        f"imported: {n.get('placed', 0)} placed, {n.get('updated', 0)} updated,"
        f" {n.get('failed', 0)} refused"
    )


@orders.command("import")
@file_import_arguments("take nothing", "Take the orders without errors.")
@click.option("--channel", "code", required=True, help="The sales channel's code.")
@click.option("--reason", default="support: order import", show_default=True)
def import_orders(
    file: Path, slug: str, dry_run: bool, valid_only: bool, code: str, reason: str
) -> None:
    """Import FILE's orders (.csv in Shopify's order-export layout, or .json) into the
    channel of CODE."""

    async def work(c: Container) -> int:
        detail = {"file": file.name, "channel": code}
        call = await support_call(c, reason, slug, "orders.import", detail)
        service = c.get(OrderImports)
        channel_id = await service.channel_by_code(call, code)
        content = await asyncio.to_thread(file.read_bytes)
        view = await service.upload(call, channel_id, file.name, content, enqueue=False)
        return await check_and_commit(
            c,
            call,
            service,
            file,
            view,
            dry_run=dry_run,
            valid_only=valid_only,
            wording=Wording("nothing taken", "use --valid-only to take the valid orders", "taking"),
            checked=_checked,
            done=_done,
        )

    sys.exit(run(work))


@orders.command("rebuild-analytics")
@click.option("--tenant", "slug", required=True, help="The tenant's slug.")
@click.option("--reason", default="support: analytics rebuild", show_default=True)
def rebuild_analytics(slug: str, reason: str) -> None:
    """Rebuild the tenant's order analytics rollups from its orders (a job)."""

    async def work(c: Container) -> int:
        call = await support_call(c, reason, slug, "orders.rebuild_analytics", {})
        job_id = await c.use_cases.run(call, BackfillOrderRollups())
        running = asyncio.create_task(c.get(RollupBackfill).run(call.tenant_id, job_id))
        job = await follow_job(c, call, job_id, "rebuilding", running)
        click.echo(f"job {job.id}: {job.done} orders read, the rollups rebuilt")
        return 0

    sys.exit(run(work))


@orders.command("review-waiting")
@click.option("--tenant", "slug", required=True, help="The tenant's slug.")
@click.option("--reason", default="support: review of waiting orders", show_default=True)
def review_waiting(slug: str, reason: str) -> None:
    """Review every order awaiting review again by the tenant's rule set (a job)."""

    async def work(c: Container) -> int:
        call = await support_call(c, reason, slug, "orders.review_waiting", {})
        reviews = c.get(WaitingReviews)
        job = await reviews.start(call, enqueue=False)
        running = asyncio.create_task(reviews.run(call.tenant_id, job.id))
        done = await follow_job(c, call, job.id, "reviewing", running)
        click.echo(f"job {done.id}: {done.done} orders awaiting review reviewed")
        return 0

    sys.exit(run(work))
