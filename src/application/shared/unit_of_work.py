"""The unit of work port: one transaction in one tenant's context.

It exposes the parts every module shares (audit, outbox, idempotency, processed messages,
operator audit) and one *store* per module, reached by the module's key:
``uow.of(CATALOG).products``. A module declares its store (a Protocol of its repositories)
and its key in its own ``ports``; the adapters register how to build it; the unit of work
builds a store the first time a command asks for it. Adding a module touches no list here.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Generic, Protocol, Self, TypeVar
from uuid import UUID

from application.shared.audit_log import AuditLog
from application.shared.context import CallContext, SystemContext
from application.shared.idempotency import IdempotencyStore
from application.shared.messaging import ProcessedMessages
from application.shared.operator_audit import OperatorAudit
from application.shared.outbox import Outbox
from domain.shared.audit import AuditEntry
from domain.shared.events import DomainEvent

T = TypeVar("T")


class StoreKey(Generic[T]):
    """Names one module's store; ``uow.of(key)`` answers the store, typed as ``T``."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"StoreKey({self.name!r})"


class Transaction(Protocol):
    """Entered, it opens the transaction; left without ``commit``, it rolls back."""

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...


class UnitOfWork(Transaction, Protocol):
    """One transaction in one tenant's context (docs/architecture.md, Tenancy).

    Entering it opens the transaction and sets the tenant as its first statement; leaving
    it without ``commit`` rolls back. Audit records, outbox events and the idempotency
    record are written in the same transaction as the change.
    """

    tenant_id: UUID
    audit: AuditLog
    outbox: Outbox
    idempotency: IdempotencyStore
    operator_audit: OperatorAudit
    processed: ProcessedMessages  # worker dedupe: claim a message id in this transaction

    def of(self, key: StoreKey[T]) -> T:
        """The module store named by ``key``, in this transaction (built on first use)."""
        ...

    async def write_changes(
        self, entries: Sequence[AuditEntry], events: Sequence[DomainEvent]
    ) -> None:
        """A command's audit records and outbox events (``audit.record_many`` and
        ``outbox.add_many``), in one round trip where the database allows it."""
        ...


class UnitOfWorkFactory(Protocol):
    def for_tenant(self, ctx: CallContext) -> UnitOfWork:
        """A unit of work as the request role, under row-level security."""
        ...

    def for_system(self, ctx: SystemContext, tenant_id: UUID | None) -> UnitOfWork:
        """Operator work as the platform role; every use of it is audited."""
        ...
