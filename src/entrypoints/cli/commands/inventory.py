"""``shopkeeper inventory check-ledger [--tenant SLUG]`` (INV-6): prove that every stock
figure is the sum of its ledger rows, for one tenant or every tenant.

Runs as the platform role, recorded in the operator audit. Prints ``ok`` per tenant, or
each level that differs with both sets of figures; exits 1 when any tenant differs.

``shopkeeper inventory valuation --tenant SLUG [--at TIME]`` (INV-7): the value by SKU ×
warehouse at a time (default now) as CSV, its total last; ``shopkeeper inventory
close-values [--tenant SLUG]`` writes the daily closings due now (what the scheduler runs
hourly).
"""

from __future__ import annotations

import csv
import sys
from datetime import UTC, datetime

import click

from application.identity.tenant_operations import TenantOperations
from application.inventory.costing.closing import StockClosings
from application.inventory.costing.queries import SupportValuations
from application.inventory.ports import Valuation
from application.inventory.stock.check import LedgerCheck, TenantLedgerReport
from bootstrap import Container
from domain.inventory.stock import FIGURES
from entrypoints.cli.runtime import run, system_context


@click.group()
def inventory() -> None:
    """Warehouses and stock."""


def describe(slug: str, report: TenantLedgerReport) -> list[str]:
    if report.ok:
        return [f"{slug}: ok, every figure equals its ledger"]
    lines = [f"{slug}: {len(report.differences)} stock level(s) differ from the ledger"]
    for found in report.differences:
        differing = ", ".join(
            f"{f} {getattr(found.figures, f)} != ledger {getattr(found.ledger, f)}"
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


@inventory.command("valuation")
@click.option("--tenant", "slug", required=True, help="The tenant's slug.")
@click.option(
    "--at",
    "at",
    default=None,
    help="The time, ISO 8601 with its offset (2026-11-30T23:59:59+08:00); default now.",
)
@click.option("--reason", default="support: stock valuation", show_default=True)
def valuation(slug: str, at: str | None, reason: str) -> None:
    """Value by SKU × warehouse at a time, as CSV (sku,warehouse,quantity,value)."""
    moment = datetime.fromisoformat(at) if at else datetime.now(UTC)
    if moment.tzinfo is None:
        raise click.BadParameter("give the time with its offset, e.g. +08:00", param_hint="--at")

    async def work(c: Container) -> Valuation:
        ctx = system_context(reason)
        tenant = await c.get(TenantOperations).show(ctx, slug)
        return await c.get(SupportValuations).value_at(ctx, tenant.id, moment)

    found = run(work)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["sku", "warehouse", "quantity", "value"])
    for level in found.levels:
        out.writerow([level.sku_id, level.warehouse_id, level.quantity, level.value])
    out.writerow(["total", "", sum(level.quantity for level in found.levels), found.total])


@inventory.command("close-values")
@click.option("--tenant", "slug", help="Only this tenant (default: every tenant).")
@click.option("--reason", default="support: stock value closing", show_default=True)
def close_values(slug: str | None, reason: str) -> None:
    """Write the daily stock value closings due now (the scheduler does this hourly)."""

    async def work(c: Container) -> list[tuple[str, int]]:
        ctx = system_context(reason)
        operations = c.get(TenantOperations)
        tenants = [await operations.show(ctx, slug)] if slug else await operations.list_all(ctx)
        closings = c.get(StockClosings)
        now = c.clock.now()
        return [(t.slug, len(await closings.close_tenant(t.id, now))) for t in tenants]

    for name, days in run(work):
        click.echo(f"{name}: {days} day(s) closed")
