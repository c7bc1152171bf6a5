"""``shopkeeper inventory check-ledger [--tenant SLUG]`` (INV-6): prove that every stock
figure is the sum of its ledger rows, for one tenant or every tenant.

Runs as the platform role, recorded in the operator audit. Prints ``ok`` per tenant, or
each level that differs with both sets of figures; exits 1 when any tenant differs.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from application.identity.tenant_operations import TenantOperations
from application.inventory.stock.check import LedgerCheck, TenantLedgerReport
from domain.inventory.stock import FIGURES
from entrypoints.cli.runtime import run, system_context

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
