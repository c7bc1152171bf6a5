"""What the file imports share (the catalog import, CAT-2; the opening-stock import,
INV-1; the order-file import, ORD-9): the largest file taken, the record's statuses from
upload to commit, an upload's record started with its check job (``start_check``), a
record loaded or 404 (``load_import``), and the view of a record with its two jobs (the
check, the commit)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar
from uuid import UUID

from application.jobs.ports import JOBS
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.job import Job
from application.shared.job_steps import JobSteps, enqueue_job, new_job
from application.shared.messaging import TaskQueue
from application.shared.unit_of_work import UnitOfWork, UnitOfWorkFactory
from application.shared.use_case import Work
from application.shared.versions import check_version
from domain.shared.errors import Conflict, NotFound, ValidationFailed

MAX_FILE_BYTES = 64 * 1024 * 1024

# An import record's statuses.
CHECKING = "checking"
CHECKED = "checked"
COMMITTING = "committing"
COMMITTED = "committed"

R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)


@dataclass(frozen=True)
class FileImportView(Generic[R]):
    record: R
    check_job: Job | None
    commit_job: Job | None


V = TypeVar("V", bound=FileImportView[Any])


def uploaded_format(file_name: str, content: bytes, formats: tuple[str, ...]) -> str:
    """The uploaded file's format by its name's suffix (one of ``formats``), once its bytes
    are there and within ``MAX_FILE_BYTES``; refused (422 on ``file``) otherwise."""
    suffix = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if suffix not in formats:
        raise ValidationFailed.single("file", "unsupported_file_format", allowed=list(formats))
    if not content:
        raise ValidationFailed.single("file", "required")
    if len(content) > MAX_FILE_BYTES:
        raise ValidationFailed.single(
            "file", "file_too_large", max_mib=MAX_FILE_BYTES // (1024 * 1024)
        )
    return suffix


async def start_check(
    work: Work,
    file_name: str,
    content: bytes,
    fmt: str,
    check_kind: str,
    make: Callable[..., R],
    add: Callable[[R], Awaitable[None]],
    detail: Mapping[str, object] | None = None,
) -> FileImportView[R]:
    """An uploaded file's record, checking, with its check job (the dry run): the record
    made by ``make`` from the fields every import record has (an import's own given beside
    them by the caller), the job and the record added (``add``), the upload audited
    (``detail``, then the format — ``uploaded_format``'s —, size and job)."""
    now, import_id = work.clock.now(), work.ids.new_id()
    job = new_job(work.clock, work.ids, work.ctx, check_kind, {"import_id": str(import_id)})
    record = make(
        id=import_id,
        file_name=file_name[:255],
        format=fmt,
        content=content,
        status=CHECKING,
        check_job_id=job.id,
        created_by=work.ctx.actor.label,
        created_at=now,
        updated_at=now,
        errors=[],
        counts={},
    )
    await work.uow.of(JOBS).jobs.add(job)
    await add(record)
    work.audit(
        import_id,
        detail={**(detail or {}), "format": fmt, "bytes": len(content), "job": str(job.id)},
    )
    return FileImportView(record, job, None)


class LoadsImports(Protocol[R_co]):
    """An import's records (``get``: None for none of the tenant's)."""

    async def get(
        self, import_id: UUID, *, for_update: bool = False, with_content: bool = False
    ) -> R_co | None: ...


async def load_import(
    records: LoadsImports[R],
    entity: str,
    import_id: UUID,
    *,
    for_update: bool = False,
    with_content: bool = False,
) -> R:
    """The import record (locked for the transaction with ``for_update``; with its file's
    bytes with ``with_content``), or 404 ``entity``."""
    record = await records.get(import_id, for_update=for_update, with_content=with_content)
    if record is None:
        raise NotFound(entity=entity)
    return record


class Committable(Protocol):
    """What starting a record's commit reads and sets."""

    id: UUID
    status: str
    check_job_id: UUID
    commit_job_id: UUID | None
    valid_only: bool | None
    errors: list[Any]
    version: int
    updated_at: datetime


C = TypeVar("C", bound=Committable)


async def view_of(uow: UnitOfWork, record: C) -> FileImportView[C]:
    """A record with its check and commit jobs."""
    jobs = uow.of(JOBS).jobs
    commit_job = await jobs.get(record.commit_job_id) if record.commit_job_id else None
    return FileImportView(record, await jobs.get(record.check_job_id), commit_job)


async def start_commit(
    work: Work,
    record: C,
    valid_only: bool,
    expected_version: int | None,
    kind: str,
    save: Callable[[C], Awaitable[None]],
) -> FileImportView[C]:
    """A checked record's commit job, created (the record locked by the caller): asking
    again answers the job started before (another ``valid_only`` is 409
    ``import_already_committed``); a file with errors is 409 ``import_has_errors`` unless
    ``valid_only``."""
    if record.commit_job_id is not None:
        if record.valid_only != valid_only:
            raise Conflict("import_already_committed")
        return await view_of(work.uow, record)
    check_version(expected_version, record.version)
    if record.status != CHECKED:
        raise Conflict("import_not_checked")
    if record.errors and not valid_only:
        raise Conflict("import_has_errors", count=len(record.errors))
    job = new_job(work.clock, work.ids, work.ctx, kind, {"import_id": str(record.id)})
    await work.uow.of(JOBS).jobs.add(job)
    record.status, record.valid_only, record.commit_job_id = COMMITTING, valid_only, job.id
    record.version += 1
    record.updated_at = work.clock.now()
    await save(record)
    work.audit(record.id, detail={"validOnly": valid_only, "job": str(job.id)})
    return await view_of(work.uow, record)


# A test sets this to interrupt a commit after ``done`` rows were written in its
# transaction (the "killed mid-way" fault point); it may raise anything.
FaultHook = Callable[[int], None]


class Versioned(Protocol):
    version: int
    updated_at: datetime


class FileImportJobs(Protocol):
    """An import's two jobs (``catalog.imports.jobs``, ``inventory.imports.jobs``)."""

    fault: FaultHook | None

    async def run_check(self, tenant_id: UUID, job_id: UUID) -> Job: ...

    async def run_commit(self, tenant_id: UUID, job_id: UUID) -> Job: ...


class FileImportService:
    """What an import's service shares with the other's: its jobs run here (the CLI, a
    test) or by the worker from the task the upload and the commit enqueue."""

    def __init__(
        self, jobs: FileImportJobs, tasks: TaskQueue, check_kind: str, commit_kind: str
    ) -> None:
        self._jobs = jobs
        self._tasks = tasks
        self._check_kind = check_kind
        self._commit_kind = commit_kind

    @property
    def fault(self) -> FaultHook | None:
        """A test's fault point inside the commit job."""
        return self._jobs.fault

    @fault.setter
    def fault(self, hook: FaultHook | None) -> None:
        self._jobs.fault = hook

    async def run_check(self, tenant_id: UUID, job_id: UUID) -> Job:
        """The check (the dry run): evaluate, keep errors and counts, write nothing else."""
        return await self._jobs.run_check(tenant_id, job_id)

    async def run_commit(self, tenant_id: UUID, job_id: UUID) -> Job:
        """The commit, in one transaction; restartable from scratch after any failure."""
        return await self._jobs.run_commit(tenant_id, job_id)

    async def _checking(self, ctx: CallContext, view: V, enqueue: bool) -> V:
        """An uploaded record's check enqueued (unless the caller runs it)."""
        if enqueue:
            check_job_id = view.record.check_job_id
            await enqueue_job(self._tasks, self._check_kind, ctx.tenant_id, check_job_id)
        return view

    async def _committing(self, ctx: CallContext, view: V, enqueue: bool) -> V:
        """A commit's job enqueued (unless the caller runs it, or it is done)."""
        if enqueue and view.commit_job is not None and view.commit_job.unfinished:
            await enqueue_job(self._tasks, self._commit_kind, ctx.tenant_id, view.commit_job.id)
        return view


class FileImportJobsBase(ABC):
    """What an import's two jobs share: their steps (``JobSteps``: started under the
    requester's name, progress in transactions of their own, a failure recorded), the
    test's fault point, and a record's save stamping its next version."""

    def __init__(
        self, uow_factory: UnitOfWorkFactory, clock: Clock, ids: IdGenerator, runner_name: str
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._ids = ids
        self._steps = JobSteps(uow_factory, clock, runner_name)
        self.fault: FaultHook | None = None

    async def run_check(self, tenant_id: UUID, job_id: UUID) -> Job:
        return await self._steps.run(tenant_id, job_id, self._check)

    async def run_commit(self, tenant_id: UUID, job_id: UUID) -> Job:
        return await self._steps.run(tenant_id, job_id, self._commit)

    @abstractmethod
    async def _check(self, ctx: CallContext, job: Job) -> Job: ...

    @abstractmethod
    async def _commit(self, ctx: CallContext, job: Job) -> Job: ...

    def _next_version(self, record: Versioned) -> None:
        """The record's next version, stamped now (before its save)."""
        record.version += 1
        record.updated_at = self._clock.now()
