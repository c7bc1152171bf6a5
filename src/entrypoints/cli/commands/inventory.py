"""``shopkeeper inventory …``: support commands for stock.

- ``check-ledger [--tenant SLUG]`` (INV-6): prove that every stock figure is the sum of its
  ledger rows, for one tenant or every tenant. Runs as the platform role, recorded in the
  operator audit. Prints ``ok`` per tenant, or each level that differs with both sets of
  figures; exits 1 when any tenant differs.
- ``position --tenant SLUG [--date YYYY-MM-DD] [--warehouse CODE]`` (INV-9): the daily
  position per warehouse, with the cost amount and stock value.
- ``import-stock FILE --tenant SLUG [--dry-run] [--valid-only]`` (#10): the opening-stock
  import in this process, with progress bars read from the job rows, like ``catalog
  import``: the check first (the dry run); with bad rows the full report is written beside
  the file (``FILE.errors.csv``) and nothing is posted (exit 1) unless ``--valid-only``.
Runs as the platform role, recorded in the operator audit. Prints ``ok`` per tenant, or
each level that differs with both sets of figures; exits 1 when any tenant differs.

``shopkeeper inventory serial --tenant SLUG --sku ID SERIAL`` (INV-8): where a serial
(唯一码) is and the movements that moved it; ``shopkeeper inventory expiring --tenant
SLUG [--days N] [--warehouse CODE]``: batch stock expiring within N days (default: the
company's warning window), expired included.

``shopkeeper inventory valuation --tenant SLUG [--at TIME] [--limit N [--cursor C]]``
(INV-7): the value by SKU × warehouse at a time (default now) as CSV, its total last
(whole, or one page with ``--limit``); ``shopkeeper inventory close-values [--tenant
SLUG]`` writes the daily closings due now and prunes the old ones (what the scheduler runs
hourly).
"""

from __future__ import annotations

import asyncio
import csv
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import UUID

import click

from application.identity.tenant_operations import TenantOperations
from application.inventory.analysis.queries import DailyPosition, GetDailyPosition
from application.inventory.batches.queries import Expiring, GetSerial, ListExpiringStock
from application.inventory.costing.closing import StockClosings
from application.inventory.costing.queries import ExportValuation, GetValuation
from application.inventory.imports.service import StockImports
from application.inventory.ports import SerialRecord, StockImportRecord, Valuation
from application.inventory.stock.check import LedgerCheck, TenantLedgerReport
from domain.inventory.stock import FIGURES
from entrypoints.cli.file_imports import Wording, check_and_commit, file_import_arguments
from entrypoints.cli.runtime import run, support_call, system_context

if TYPE_CHECKING:
    from bootstrap import Container  # imported when a command runs (runtime.run)


@click.group()
def inventory() -> None:
    """Warehouses and stock."""


def describe(slug: str, report: TenantLedgerReport) -> list[str]:
    if report.ok:
        return [f"{slug}: ok, every figure equals its ledger"]
    lines = [f"{slug}: {len(report.differences)} stock level(s) differ from the ledger"]
    for found in report.differences:
        against = "serials" if found.serials else "ledger"
        differing = ", ".join(
            f"{f} {getattr(found.figures, f)} != {against} {getattr(found.ledger, f)}"
            for f in FIGURES
            if getattr(found.figures, f) != getattr(found.ledger, f)
        )
        batch = f" batch {found.batch_id}" if found.batch_id else ""
        lines.append(f"  sku {found.sku_id} warehouse {found.warehouse_id}{batch}: {differing}")
    return lines


@inventory.command("check-ledger")
@click.option("--tenant", "slug", help="Only this tenant (default: every tenant).")
@click.option("--reason", default="support: ledger check", show_default=True)
def check_ledger(slug: str | None, reason: str) -> None:
    """Compare every stock figure with the sum of its ledger rows."""

    async def work(c: Container) -> list[tuple[str, TenantLedgerReport]]:
        ctx = system_context(reason)
        operations = c.get(TenantOperations)
        tenants = [await operations.show(ctx, slug)] if slug else await operations.list_all(ctx)
        check = c.get(LedgerCheck)
        return [(t.slug, await check.check_tenant(ctx, t.id)) for t in tenants]

    reports = run(work)
    for name, report in reports:
        for line in describe(name, report):
            click.echo(line)
    if any(not report.ok for _, report in reports):
        sys.exit(1)


def _checked(record: StockImportRecord) -> None:
    counts = record.counts
    click.echo(
        f"import {record.id}: {counts.get('rows', 0)} rows — {counts.get('valid', 0)} valid"
        f" ({counts.get('units', 0)} units), {counts.get('rejected', 0)} rejected"
    )


@inventory.command("import-stock")
@file_import_arguments("post nothing", "Post the rows without errors.")
@click.option("--reason", default="support: opening stock import", show_default=True)
def import_stock(file: Path, slug: str, dry_run: bool, valid_only: bool, reason: str) -> None:
    """Post FILE's opening stock (.csv or .xlsx: sku_code, warehouse_code, quantity, and
    optionally bin_code and unit_cost) as receipts, in one transaction."""

    async def work(c: Container) -> int:
        call = await support_call(c, reason, slug, "inventory.import_stock", {"file": file.name})
        service = c.get(StockImports)
        content = await asyncio.to_thread(file.read_bytes)
        view = await service.upload(call, file.name, content, enqueue=False)
        return await check_and_commit(
            c,
            call,
            service,
            file,
            view,
            dry_run=dry_run,
            valid_only=valid_only,
            wording=Wording("nothing posted", "use --valid-only to post the valid rows", "posting"),
            checked=_checked,
            done=lambda done: (
                f"posted: {done.counts.get('valid', 0)} receipts,"
                f" {done.counts.get('units', 0)} units"
            ),
        )

    sys.exit(run(work))


@inventory.command("position")
@click.option("--tenant", "slug", required=True, help="The tenant's slug.")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), help="The day (default: today).")
@click.option("--warehouse", help="Only this warehouse (its code or id).")
@click.option("--reason", default="support: daily position", show_default=True)
def position(slug: str, day: datetime | None, warehouse: str | None, reason: str) -> None:
    """The daily position per warehouse: stock, free bins, in and out, values."""

    async def work(c: Container) -> DailyPosition:
        call = await support_call(c, reason, slug, "inventory.position", {"warehouse": warehouse})
        return await c.use_cases.query(
            call, GetDailyPosition(day.date() if day else None, warehouse)
        )

    found = run(work)
    click.echo(f"{slug}: {found.day} ({found.time_zone})")
    click.echo(
        f"{'warehouse':<12}{'SKUs':>7}{'on hand':>10}{'available':>11}{'bins free':>11}"
        f"{'in':>8}{'out':>8}{'cost':>14}{'value':>14}"
    )
    for p in found.warehouses:
        bins = f"{p.free_bins}/{p.bins}"
        cost = "—" if p.cost_amount is None else str(p.cost_amount)
        value = "—" if p.stock_value is None else str(p.stock_value)
        click.echo(
            f"{p.warehouse_code:<12}{p.skus:>7}{p.on_hand:>10}{p.available:>11}{bins:>11}"
            f"{p.received_today:>8}{p.issued_today:>8}{cost:>14}{value:>14}"
        )
    if found.stock_value_at_todays_prices:
        click.echo("value: that day's units at today's list prices (no past prices are kept)")


@inventory.command("serial")
@click.argument("serial")
@click.option("--tenant", "slug", required=True, help="The tenant's slug.")
@click.option("--sku", "sku", type=click.UUID, required=True, help="The SKU's id.")
@click.option("--reason", default="support: serial history", show_default=True)
def serial(serial: str, slug: str, sku: UUID, reason: str) -> None:
    """Where a serial (唯一码) is, and the ledger movements that moved it."""

    async def work(c: Container) -> SerialRecord:
        detail = {"sku": str(sku), "serial": serial}
        call = await support_call(c, reason, slug, "inventory.serial", detail)
        return await c.use_cases.query(call, GetSerial(sku, serial))

    found = run(work)
    state = "in stock" if found.in_stock else "in transit" if found.in_transit else "issued"
    batch = f" batch {found.batch_id}" if found.batch_id else ""
    click.echo(f"{found.serial}: {state}, warehouse {found.warehouse_id}{batch}")
    for move in found.moves:
        source = f"{move.source_type}:{move.source_id}" if move.source_id else move.source_type
        click.echo(
            f"{move.occurred_at.isoformat()}  #{move.seq} {move.kind.value}"
            f" warehouse {move.warehouse_id} {source} by {move.actor}"
        )


@inventory.command("expiring")
@click.option("--tenant", "slug", required=True, help="The tenant's slug.")
@click.option("--days", type=int, help="Days ahead (default: the company's warning window).")
@click.option("--warehouse", help="Only this warehouse (its code or id).")
@click.option("--reason", default="support: expiring stock", show_default=True)
def expiring(slug: str, days: int | None, warehouse: str | None, reason: str) -> None:
    """Batch stock expiring within the days (expired included), soonest first."""

    async def work(c: Container) -> Expiring:
        detail = {"warehouse": warehouse}
        call = await support_call(c, reason, slug, "inventory.expiring", detail)
        return await c.use_cases.query(call, ListExpiringStock(days, warehouse))

    found = run(work)
    click.echo(f"{slug}: expiring by {found.until} (today {found.today})")
    click.echo(f"{'sku':<20}{'warehouse':<12}{'batch':<16}{'expiry':<12}{'units':>8}{'days':>6}")
    for item, left in found.items:
        batch = item.stock.batch
        units = item.stock.on_hand + item.stock.non_sellable
        click.echo(
            f"{item.sku_code:<20}{item.warehouse_code:<12}{batch.number:<16}"
            f"{batch.expiry_date!s:<12}{units:>8}{left:>6}"
        )


@inventory.command("valuation")
@click.option("--tenant", "slug", required=True, help="The tenant's slug.")
@click.option(
    "--at",
    "at",
    default=None,
    help="The time, ISO 8601 with its offset (2026-11-30T23:59:59+08:00); default now.",
)
@click.option("--limit", type=int, help="One page of this many levels (default: all of them).")
@click.option("--cursor", help="The page after this one (the cursor a page printed).")
@click.option("--reason", default="support: stock valuation", show_default=True)
def valuation(
    slug: str, at: str | None, limit: int | None, cursor: str | None, reason: str
) -> None:
    """Value by SKU × warehouse at a time, as CSV (sku,warehouse,quantity,value): every
    level and the total, or one page with ``--limit`` (the next cursor on stderr)."""
    moment = datetime.fromisoformat(at) if at else datetime.now(UTC)
    if moment.tzinfo is None:
        raise click.BadParameter("give the time with its offset, e.g. +08:00", param_hint="--at")
    paged = limit is not None or cursor is not None

    async def work(c: Container) -> Valuation:
        call = await support_call(
            c, reason, slug, "inventory.valuation", {"at": moment.isoformat()}
        )
        query = (
            GetValuation(moment, cursor=cursor, limit=limit) if paged else ExportValuation(moment)
        )
        return await c.use_cases.query(call, query)

    found = run(work)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["sku", "warehouse", "quantity", "value"])
    for level in found.levels:
        out.writerow([level.sku_id, level.warehouse_id, level.quantity, level.value])
    if found.total is not None:
        quantity = "" if paged else sum(level.quantity for level in found.levels)
        out.writerow(["total", "", quantity, found.total])
    if found.next_cursor:
        click.echo(f"more: --cursor {found.next_cursor}", err=True)


@inventory.command("close-values")
@click.option("--tenant", "slug", help="Only this tenant (default: every tenant).")
@click.option("--reason", default="support: stock value closing", show_default=True)
def close_values(slug: str | None, reason: str) -> None:
    """Write the daily stock value closings due now, at each tenant's midnight, and prune
    those no longer kept (the scheduler does this hourly)."""

    async def work(c: Container) -> list[tuple[str, int]]:
        operations = c.get(TenantOperations)
        ctx = system_context(reason)
        slugs = [slug] if slug else [t.slug for t in await operations.list_all(ctx)]
        closings = c.get(StockClosings)
        now = c.clock.now()
        done = []
        for name in slugs:
            call = await support_call(c, reason, name, "inventory.close_values", {})
            done.append((name, len(await closings.close_tenant(call, now))))
        return done

    for name, days in run(work):
        click.echo(f"{name}: {days} day(s) closed")
