"""``shopkeeper catalog import|export`` (CAT-2): support staff import a CSV/XLSX file into a
tenant's catalog, or export it, in this process with a progress bar read from the job row
(as any observer of ``GET /api/v1/jobs/{id}`` would see it).

Both run under the operator's name (``SHOPKEEPER_OPERATOR`` or the login name), recorded
in the operator audit; products' versions and audit records name the operator as actor.
``import`` checks the file first (the dry run); with bad rows it writes the error report
beside the file (``FILE.errors.csv``, in ``SHOPKEEPER_LANG`` / ``LANG``) and imports
nothing unless ``--valid-only``. ``--dry-run`` stops after the check.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from application.catalog.exports import CatalogExports
from application.catalog.imports import CatalogImports
from application.catalog.ports.files import ImportRecord
from entrypoints.cli.file_imports import Wording, check_and_commit, file_import_arguments
from entrypoints.cli.progress import follow_job
from entrypoints.cli.runtime import run, support_call
from entrypoints.reports.catalog_export import CatalogSheetLabels

if TYPE_CHECKING:
    from bootstrap import Container  # imported when a command runs (runtime.run)


@click.group()
def catalog() -> None:
    """Bulk import and export of a tenant's catalog (CSV or XLSX)."""


_follow = follow_job  # shared with the opening-stock import (entrypoints/cli/progress.py)


def _checked(record: ImportRecord, create_missing: bool) -> None:
    counts = record.counts
    click.echo(
        f"import {record.id}: {counts.get('products', 0)} products —"
        f" {counts.get('created', 0)} to create, {counts.get('updated', 0)} to update,"
        f" {counts.get('unchanged', 0)} unchanged, {counts.get('rejected', 0)} rejected"
    )
    for kind, names in record.to_create.items():
        verb = "to create" if create_missing else "missing (--create-missing creates them)"
        click.echo(f"  {kind} {verb}: {', '.join(names)}")


@catalog.command("import")
@file_import_arguments("import nothing", "Import the products without errors.")
@click.option(
    "--create-missing",
    is_flag=True,
    help="Create the categories (by path), brands and product types the file names.",
)
@click.option("--reason", default="support: catalog import", show_default=True)
def import_file(
    file: Path, slug: str, dry_run: bool, valid_only: bool, create_missing: bool, reason: str
) -> None:
    """Import FILE (.csv or .xlsx) into the tenant's catalog, in one transaction."""

    async def work(c: Container) -> int:
        call = await support_call(
            c, reason, slug, "catalog.import", {"file": file.name, "dryRun": dry_run}
        )
        service = c.get(CatalogImports)
        content = await asyncio.to_thread(file.read_bytes)
        view = await service.upload(
            call, file.name, content, create_missing=create_missing, enqueue=False
        )
        return await check_and_commit(
            c,
            call,
            service,
            file,
            view,
            dry_run=dry_run,
            valid_only=valid_only,
            wording=Wording(
                "nothing imported", "use --valid-only to import the valid products", "importing"
            ),
            checked=lambda record: _checked(record, create_missing),
            done=lambda done: (
                f"imported: {done.counts.get('created', 0)} created,"
                f" {done.counts.get('updated', 0)} updated,"
                f" {done.counts.get('unchanged', 0)} unchanged"
            ),
        )

    sys.exit(run(work))


@catalog.command("export")
@click.option("--tenant", "slug", required=True, help="The tenant's slug.")
@click.option(
    "--format", "file_format", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--reason", default="support: catalog export", show_default=True)
def export_file(slug: str, file_format: str, output: Path, reason: str) -> None:
    """Export every product not archived (costs included) to OUTPUT."""

    async def work(c: Container) -> int:
        call = await support_call(c, reason, slug, "catalog.export", {"format": file_format})
        record, job = await c.get(CatalogExports).start(call, file_format, enqueue=False)
        labels = CatalogSheetLabels()
        task = asyncio.create_task(c.get(CatalogExports).run(call.tenant_id, job.id, labels))
        await _follow(c, call, job.id, "exporting", task)
        done = await c.get(CatalogExports).file(call, record.id)
        await asyncio.to_thread(output.write_bytes, done.content or b"")
        click.echo(f"exported {done.products} products to {output}")
        return 0

    sys.exit(run(work))
