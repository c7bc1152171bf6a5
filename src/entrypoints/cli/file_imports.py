"""The file-import commands' flow (``catalog import``, ``inventory import-stock``,
``orders import``): the
file is uploaded and checked in this process with a progress bar (the dry run); bad rows
are shown and the full report written beside the file (``FILE.errors.csv``, in
``SHOPKEEPER_LANG`` / ``LANG``); then, unless a dry run or errors without
``--valid-only``, the commit runs with its own progress bar. Each command says what its
counts mean."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from application.catalog.imports import CatalogImports
from application.catalog.ports.files import ImportRecord
from application.inventory.imports.service import StockImports
from application.inventory.ports import StockImportRecord
from application.orders.channels.imports.service import OrderImports
from application.orders.channels.ports import OrderImportRecord
from application.shared.context import CallContext
from application.shared.file_imports import FileImportView
from domain.shared.file_rows import RowError
from entrypoints.cli.progress import follow_job
from entrypoints.cli.runtime import language
from entrypoints.messages import message
from entrypoints.reports.catalog_import import error_line, error_report

if TYPE_CHECKING:
    from bootstrap import Container

SHOWN_ERRORS = 10


# What the flow needs of a service: its get, commit and the two jobs.
ImportService = CatalogImports | StockImports | OrderImports
View = (
    FileImportView[ImportRecord]
    | FileImportView[StockImportRecord]
    | FileImportView[OrderImportRecord]
)


F = TypeVar("F", bound=Callable[..., Any])


def file_import_arguments(nothing: str, valid_only: str) -> Callable[[F], F]:
    """A file-import command's FILE, ``--tenant``, ``--dry-run`` (it does ``nothing``:
    "import nothing") and ``--valid-only`` (its help, ``valid_only``), in that order."""
    listed = [
        click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path)),
        click.option("--tenant", "slug", required=True, help="The tenant's slug."),
        click.option(
            "--dry-run",
            is_flag=True,
            help=f"Check the file and report; {nothing}. Exits 1 when a row has an error.",
        ),
        click.option("--valid-only", is_flag=True, help=valid_only),
    ]

    def decorate(command: F) -> F:
        for option in reversed(listed):  # the first listed is the outermost decorator
            command = option(command)
        return command

    return decorate


@dataclass(frozen=True)
class Wording:
    """A command's words: ``nothing`` ("nothing imported"), ``hint`` (how ``--valid-only``
    helps), ``running`` (the commit's progress label)."""

    nothing: str
    hint: str
    running: str


async def show_errors(c: Container, file: Path, errors: Sequence[RowError]) -> None:
    """The first errors on stderr and the full report beside ``file``."""
    report = file.with_name(file.name + ".errors.csv")
    from adapters.files.tables import CsvXlsxTables  # only when a report is written

    data = error_report(errors, language(), "csv", c.get(CsvXlsxTables))
    await asyncio.to_thread(report.write_bytes, data)
    for error in errors[:SHOWN_ERRORS]:
        click.echo(f"  {error_line(error, language())}", err=True)
    more = len(errors) - SHOWN_ERRORS
    if more > 0:
        click.echo(f"  … and {more} more", err=True)
    summary = message("import_errors_summary", language(), count=len(errors), report=report)
    click.echo(summary, err=True)


async def check_and_commit(
    c: Container,
    call: CallContext,
    service: ImportService,
    file: Path,
    uploaded: View,
    *,
    dry_run: bool,
    valid_only: bool,
    wording: Wording,
    checked: Callable[[Any], None],
    done: Callable[[Any], str],
) -> int:
    """The check, its report and (unless stopped) the commit; the exit status.
    ``checked`` prints what the check found; ``done`` says what the commit did."""
    tenant_id = call.tenant_id
    check_job_id = uploaded.record.check_job_id
    check = asyncio.create_task(service.run_check(tenant_id, check_job_id))
    await follow_job(c, call, check_job_id, "checking", check)
    record = (await service.get(call, uploaded.record.id)).record
    checked(record)
    if record.errors:
        await show_errors(c, file, record.errors)
    if dry_run:
        click.echo(f"dry run: {wording.nothing}")
        return 1 if record.errors else 0  # scripts can tell a clean file (#9 item 17)
    if record.errors and not valid_only:
        click.echo(f"{wording.nothing} ({wording.hint})", err=True)
        return 1
    started = await service.commit(call, record.id, valid_only, record.version, enqueue=False)
    assert started.commit_job is not None
    commit = asyncio.create_task(service.run_commit(tenant_id, started.commit_job.id))
    job = await follow_job(c, call, started.commit_job.id, wording.running, commit)
    if not job.succeeded:
        click.echo(f"import failed: {job.error}", err=True)
        return 1
    click.echo(done((await service.get(call, record.id)).record))
    return 0
