"""``shopkeeper audit seal|verify`` (PLT-3): seal tenants' new audit rows by hand, and
check a tenant's chain of digests against its rows and its anchor outside the database.

``verify`` exits 0 when the chain holds ("ok: N rows in M digests"), 1 with the first
mismatch (naming the digest seq and audit row), 2 on a usage or lookup error.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from application.audit.sealing import AuditSealer, TenantSealing
from application.audit.verify import VerifyAuditChain
from application.identity.tenant_operations import TenantOperations
from domain.audit.verification import ChainReport
from entrypoints.cli.runtime import run, system_context

if TYPE_CHECKING:
    from bootstrap import Container  # imported when a command runs (runtime.run)


@click.group()
def audit() -> None:
    """Tamper evidence of the tenants' audit logs."""


def _describe(slug: str, result: TenantSealing) -> str:
    if result.error is not None:
        return f"{slug}: NOT SEALED: {result.error}"
    if not result.digests:
        newest = f"seq {result.newest_seq}" if result.newest_seq else "no digest yet"
        return f"{slug}: nothing new ({newest})"
    first, last = result.digests[0], result.digests[-1]
    span = f"seq {first}" if first == last else f"seqs {first}..{last}"
    return f"{slug}: sealed {result.rows} rows into digest {span}"


@audit.command("seal")
@click.option("--tenant", "slug", help="Only this tenant (default: every tenant with new rows).")
def seal(slug: str | None) -> None:
    """Seal new audit rows now (the scheduler does this every few seconds)."""

    async def work(c: Container) -> list[tuple[str, TenantSealing]]:
        ctx = system_context("audit seal")
        if slug is not None:
            tenant = await c.get(TenantOperations).show(ctx, slug)
            return [(tenant.slug, await c.get(AuditSealer).seal_tenant(tenant.id))]
        results = await c.get(AuditSealer).seal_all()
        slugs = {t.id: t.slug for t in await c.get(TenantOperations).list_all(ctx)}
        return [(slugs.get(r.tenant_id, str(r.tenant_id)), r) for r in results]

    results = run(work)
    for name, result in results:
        click.echo(_describe(name, result))
    if slug is None and not results:
        click.echo("nothing new to seal")
    if any(result.error is not None for _, result in results):
        sys.exit(1)


def show_report(report: ChainReport) -> None:
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(report.summary())
    if report.problem is not None:
        problem = report.problem
        click.echo(f"  finding: {problem.finding.value}")
        if problem.seq is not None:
            click.echo(f"  digest seq: {problem.seq}")
        if problem.audit_id is not None:
            click.echo(f"  audit row: {problem.audit_id}")
        click.echo(f"  ({report.digests} digests, {report.rows} rows verified before it)")


@audit.command("verify")
@click.option("--tenant", "slug", required=True)
def verify(slug: str) -> None:
    """Recompute the tenant's chain; report the first row or digest that does not match."""

    async def work(c: Container) -> ChainReport:
        tenant = await c.get(TenantOperations).show(system_context("audit verify"), slug)
        return await c.get(VerifyAuditChain)(tenant.id)

    report = run(work)
    show_report(report)
    if not report.ok:
        sys.exit(1)
