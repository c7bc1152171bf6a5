"""Carrier settlement (ORD-11): statements imported and reconciled as a job, COD
remittances recorded and reconciled (``domain.logistics.settlement``).

- ``UploadStatement`` (``logistics:settle``): a carrier's statement for a month, CSV or
  XLSX (the file imports' format and size rules), kept with its reconciliation job;
  ``Settlements.upload`` enqueues the job after the commit.
- The job (``logistics.statement_reconcile``): the file read, its lines matched to the
  waybill register by tracking number (the carrier's waybills booked in the month, in the
  tenant's time zone, for what is missing), the differences and unreadable rows kept on
  the statement. Run again, it reconciles again from the file.
- ``RecordRemittance`` (``logistics:settle``): a COD remittance's lines (tracking number,
  amount collected) reconciled against the carrier's COD waybills; each line that pays a
  COD waybill in full marks it remitted; the remittance is kept with its differences (a
  carrier's reference once: 409 ``remittance_recorded``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from decimal import Decimal
from uuid import UUID

from application.catalog.ports.files import TableFiles, UnreadableFile
from application.jobs.ports import JOBS
from application.logistics.carriers import carrier_by_code, load_carrier
from application.logistics.ports import LOGISTICS
from application.shared.clock import Clock
from application.shared.context import CallContext
from application.shared.file_imports import uploaded_format
from application.shared.job import Job
from application.shared.job_steps import JobSteps, enqueue_job, new_job
from application.shared.messaging import TaskQueue
from application.shared.reads import ById
from application.shared.tenant_terms import tenant_terms
from application.shared.unit_of_work import UnitOfWork, UnitOfWorkFactory
from application.shared.use_case import Command, Work, runs
from application.shared.use_cases import UseCases
from domain.logistics.money import checked_amount
from domain.logistics.permissions import LOGISTICS_SETTLE
from domain.logistics.settlement import (
    FAILED,
    RECONCILED,
    CarrierStatement,
    CodRemittance,
    Remitted,
    reconcile_remittance,
    reconcile_statement,
)
from domain.logistics.statement_file import bill_lines
from domain.logistics.waybill import MAX_TRACKING_NO
from domain.shared.errors import DomainError, NotFound, ValidationFailed, bounded_text
from domain.shared.file_rows import RowError

RECONCILE_KIND = "logistics.statement_reconcile"
STATEMENT, REMITTANCE = "carrier_statement", "cod_remittance"
FORMATS = ("csv", "xlsx")
MAX_REMITTED = 5000
MAX_REFERENCE = 64


def month_bounds(month: str, zone: tzinfo) -> tuple[datetime, datetime]:
    """The month ``YYYY-MM`` as ``[start, end)`` in ``zone``; refused (422) otherwise."""
    year, _, number = month.partition("-")
    if len(month) != 7 or not (year.isdigit() and number.isdigit()) or not 0 < int(number) < 13:
        raise ValidationFailed.single("month", "invalid_month")
    start = datetime(int(year), int(number), 1, tzinfo=zone)
    after = int(number) % 12 + 1
    return start, datetime(int(year) + (after == 1), after, 1, tzinfo=zone)


class UploadStatement(
    Command[CarrierStatement],
    action="carrier_statement.upload",
    entity=STATEMENT,
    permission=LOGISTICS_SETTLE,
    target="carrier_id",
):
    carrier_id: UUID
    month: str
    file_name: str
    content: bytes


class GetStatement(ById[CarrierStatement], entity=STATEMENT, permission=LOGISTICS_SETTLE):
    pass


class RecordRemittance(
    Command[CodRemittance],
    action="cod_remittance.record",
    entity=REMITTANCE,
    permission=LOGISTICS_SETTLE,
    target="carrier_id",
):
    carrier_id: UUID
    reference: str
    lines: tuple[Remitted, ...]


class GetRemittance(ById[CodRemittance], entity=REMITTANCE, permission=LOGISTICS_SETTLE):
    pass


class UploadStatementHandler:
    async def handle(self, command: UploadStatement, work: Work) -> CarrierStatement:
        carrier = await load_carrier(work.uow, command.carrier_id)
        file_format = uploaded_format(command.file_name, command.content, FORMATS)
        month_bounds(command.month, (await tenant_terms(work.uow)).zone)
        job = new_job(work.clock, work.ids, work.ctx, RECONCILE_KIND, {})
        statement = CarrierStatement(
            work.ids.new_id(),
            carrier.code,
            command.month,
            command.file_name,
            file_format,
            command.content,
            job.id,
            work.ctx.actor.label,
            work.clock.now(),
        )
        job.parameters["statement_id"] = str(statement.id)
        await work.uow.of(JOBS).jobs.add(job)
        await work.uow.of(LOGISTICS).settlements.add_statement(statement)
        work.audit(
            statement.id,
            detail={"carrier": carrier.code, "month": command.month, "job": str(job.id)},
            entity=STATEMENT,
        )
        return statement


async def load_statement(uow: UnitOfWork, statement_id: UUID) -> CarrierStatement:
    found = await uow.of(LOGISTICS).settlements.statement(statement_id)
    if found is None:
        raise NotFound(entity=STATEMENT)
    return found


async def load_remittance(uow: UnitOfWork, remittance_id: UUID) -> CodRemittance:
    found = await uow.of(LOGISTICS).settlements.remittance(remittance_id)
    if found is None:
        raise NotFound(entity=REMITTANCE)
    return found


def _checked_lines(lines: Sequence[Remitted]) -> tuple[Remitted, ...]:
    if not 0 < len(lines) <= MAX_REMITTED:
        raise ValidationFailed.single("lines", "too_many_items", max=MAX_REMITTED)
    return tuple(
        Remitted(
            bounded_text(f"lines[{i}].trackingNo", line.tracking_no, MAX_TRACKING_NO),
            checked_amount(line.amount, f"lines[{i}].amount"),
        )
        for i, line in enumerate(lines)
    )


class RecordRemittanceHandler:
    async def handle(self, command: RecordRemittance, work: Work) -> CodRemittance:
        carrier = await load_carrier(work.uow, command.carrier_id)
        lines = _checked_lines(command.lines)
        reference = bounded_text("reference", command.reference, MAX_REFERENCE)
        store = work.uow.of(LOGISTICS)
        numbers = [line.tracking_no for line in lines]
        known = await store.waybills.by_tracking_nos(carrier.code, numbers, for_update=True)
        outstanding = await store.waybills.cod_outstanding(carrier.code)
        differences = reconcile_remittance(lines, known, outstanding)
        flagged = {(d.row, d.tracking_no) for d in differences if d.row is not None}
        remittance_id, matched = work.ids.new_id(), 0
        for row, line in enumerate(lines, start=1):  # rows as the differences count them
            waybill = known.get(line.tracking_no)
            if waybill is None or (row, line.tracking_no) in flagged:
                continue
            read_version = waybill.version
            waybill.remitted(remittance_id, line.amount)
            await store.waybills.save(waybill, read_version)
            matched += 1
        remittance = CodRemittance(
            remittance_id,
            carrier.code,
            reference,
            lines,
            sum((line.amount for line in lines), Decimal("0.00")),
            matched,
            tuple(differences),
            work.ctx.actor.label,
            work.clock.now(),
        )
        await store.settlements.add_remittance(remittance)
        work.audit(
            remittance.id,
            detail={
                "carrier": carrier.code,
                "reference": reference,
                "total": str(remittance.total),
                "matched": matched,
                "differences": len(differences),
            },
            entity=REMITTANCE,
        )
        return remittance


class Settlements:
    """The statement's upload (its job enqueued after the commit) and the job itself, run
    by the worker (or here, by a test or the CLI)."""

    def __init__(
        self,
        use_cases: UseCases,
        uow_factory: UnitOfWorkFactory,
        tables: TableFiles,
        tasks: TaskQueue,
        clock: Clock,
    ) -> None:
        self._use_cases = use_cases
        self._uow_factory = uow_factory
        self._tables = tables
        self._tasks = tasks
        self._steps = JobSteps(uow_factory, clock, "system:settlement")

    @runs(UploadStatement)
    async def upload(
        self,
        ctx: CallContext,
        carrier_id: UUID,
        month: str,
        file_name: str,
        content: bytes,
        *,
        enqueue: bool = True,
    ) -> CarrierStatement:
        statement = await self._use_cases.run(
            ctx, UploadStatement(carrier_id, month, file_name, content)
        )
        if enqueue:
            await enqueue_job(self._tasks, RECONCILE_KIND, ctx.tenant_id, statement.job_id)
        return statement

    async def run(self, tenant_id: UUID, job_id: UUID) -> Job:
        return await self._steps.run(tenant_id, job_id, self._reconcile)

    async def _refuse(
        self,
        uow: UnitOfWork,
        job: Job,
        statement: CarrierStatement,
        read_version: int,
        code: str,
    ) -> Job:
        """The statement failed (never left ``reconciling``), with the reason, and its job
        refused in the same transaction."""
        statement.status, statement.errors = FAILED, (RowError(1, None, code),)
        statement.version += 1
        await uow.of(LOGISTICS).settlements.save_statement(statement, read_version)
        return await self._steps.refuse(uow, job, code)

    async def _reconcile(self, ctx: CallContext, job: Job) -> Job:
        async with self._uow_factory.for_tenant(ctx) as uow:
            store = uow.of(LOGISTICS)
            statement_id = UUID(job.parameters["statement_id"])
            statement = await store.settlements.statement(statement_id, for_update=True)
            if statement is None:
                raise NotFound(entity=STATEMENT)
            read_version = statement.version
            try:
                rows = self._tables.read(statement.content, statement.format)
                lines, errors = bill_lines(rows)
                start, end = month_bounds(statement.month, (await tenant_terms(uow)).zone)
                numbers = [line.tracking_no for line in lines]
                carrier = statement.carrier_code
                known = await store.waybills.by_tracking_nos(carrier, numbers)
                booked = await store.waybills.booked_between(carrier, start, end)
                table = await store.price_tables.get((await carrier_by_code(uow, carrier)).id)
                tolerance = (await store.settings.get()).bill_tolerance_percent
            except UnreadableFile:
                return await self._refuse(uow, job, statement, read_version, "file_unreadable")
            except DomainError as error:  # its carrier gone, say: the statement says why
                return await self._refuse(uow, job, statement, read_version, error.code)
            differences = reconcile_statement(lines, known, booked, table, tolerance)
            statement.status, statement.lines = RECONCILED, len(lines)
            statement.billed_total = sum((line.amount for line in lines), Decimal("0.00"))
            statement.differences, statement.errors = tuple(differences), tuple(errors)
            statement.version += 1
            await store.settlements.save_statement(statement, read_version)
            return await self._steps.succeed(uow, job, len(lines))
