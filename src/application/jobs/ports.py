"""Ports of the jobs slice: the job repository, and a unit of work that carries it."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from application.shared.audit_log import AuditLog
from application.shared.context import CallContext, SystemContext
from application.shared.job import Job
from application.shared.operator_audit import OperatorAudit
from application.shared.unit_of_work import StoreKey, Transaction


class JobRepository(Protocol):
    """The tenant's jobs, in the caller's transaction."""

    async def add(self, job: Job) -> None: ...

    async def get(self, job_id: UUID, *, for_update: bool = False) -> Job | None:
        """``for_update`` locks the row: concurrent runners of one job take turns."""
        ...

    async def save(self, job: Job) -> None: ...

    async def latest(self, kind: str) -> Job | None:
        """The newest job of this kind."""
        ...

    async def lock_kind(self, kind: str) -> None:
        """Serialise starting jobs of one kind in this tenant (until the transaction ends)."""
        ...

    async def page(
        self, kind: str | None, after: tuple[datetime, UUID] | None, limit: int
    ) -> list[Job]:
        """Newest first."""
        ...


class JobsUnitOfWork(Transaction, Protocol):
    """One transaction in one tenant: the job row, with the audit trail beside it."""

    tenant_id: UUID
    jobs: JobRepository
    audit: AuditLog
    operator_audit: OperatorAudit


class JobsUnitOfWorkFactory(Protocol):
    def for_tenant(self, ctx: CallContext) -> JobsUnitOfWork: ...

    def for_system(self, ctx: SystemContext, tenant_id: UUID) -> JobsUnitOfWork: ...


class JobStore(Protocol):
    """The jobs repository in a module's unit of work (``uow.of(JOBS)``)."""

    jobs: JobRepository


JOBS: StoreKey[JobStore] = StoreKey("jobs")
