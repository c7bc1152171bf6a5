"""An in-memory unit of work with real transaction semantics: each unit works on a copy
of its tenant's tables (and of the global tenant directory) and publishes it on
``commit``; leaving without commit discards it (so a failed command leaves nothing behind,
as in Postgres).

Like the Postgres unit of work, it exposes the shared parts (audit, outbox, idempotency,
processed messages, operator audit) and builds a module's store the first time
``uow.of(KEY)`` asks for it, from the ``FAKE`` each module's fake declares (found by
discovery, ``tests/fakes/stores.py``). A module with no fake store raises ``LookupError``,
as an unregistered one does in production.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from types import TracebackType
from typing import Any, Self, TypeVar, cast
from uuid import UUID

import uuid_utils

from application.shared.audit_log import AuditFilter, AuditLog, AuditRecord
from application.shared.clock import IdGenerator
from application.shared.context import CallContext, SystemContext
from application.shared.field_cipher import FieldCipher
from application.shared.idempotency import IdempotencyScope, IdempotencyStore, StoredResponse
from application.shared.messaging import ProcessedMessages
from application.shared.operator_audit import OperatorAudit
from application.shared.outbox import Outbox
from application.shared.unit_of_work import StoreKey, UnitOfWork, UnitOfWorkFactory
from domain.shared.audit import AuditEntry
from domain.shared.errors import Conflict
from domain.shared.events import DomainEvent
from tests.fakes.customers import FakeFieldCipher
from tests.fakes.identity import DirectoryTables
from tests.fakes.stores import FakeStore, Tables, discover_fakes

T = TypeVar("T")

# The tenant of system work outside any tenant (the Postgres adapter's NO_TENANT).
NO_TENANT = UUID(int=0)


class FakeIds(IdGenerator):
    """Time-ordered (v7) ids like production's, so id order is creation order."""

    def __init__(self) -> None:
        self.issued: list[UUID] = []

    def new_id(self) -> UUID:
        self.issued.append(UUID(bytes=uuid_utils.uuid7().bytes))
        return self.issued[-1]


@dataclass(frozen=True)
class OperatorRecord:
    actor: str
    reason: str
    action: str
    tenant_id: UUID | None
    detail: dict[str, Any]


def _module_tables() -> dict[str, Tables]:
    return {name: fake.tables() for name, fake in discover_fakes().items()}


@dataclass
class TenantTables:
    """One tenant's tables: each module's (by the module's name, ``tables.catalog``), and
    the shared audit, outbox, idempotency and processed-message tables."""

    modules: dict[str, Tables] = field(default_factory=_module_tables)
    audit: list[tuple[str, AuditEntry]] = field(default_factory=list)  # (actor, entry)
    outbox: list[DomainEvent] = field(default_factory=list)
    idempotency: dict[IdempotencyScope, StoredResponse] = field(default_factory=dict)
    processed: set[tuple[str, str]] = field(default_factory=set)  # (consumer, message id)

    def __getattr__(self, name: str) -> Any:
        modules = self.__dict__.get("modules", {})
        if name not in modules:
            raise AttributeError(name)
        return modules[name]

    def copy(self) -> TenantTables:
        return TenantTables(
            {name: tables.copy() for name, tables in self.modules.items()},
            list(self.audit),
            list(self.outbox),
            dict(self.idempotency),
            set(self.processed),
        )


class FakeAuditLog(AuditLog):
    def __init__(self, tables: TenantTables, actor: str) -> None:
        self._tables = tables
        self._actor = actor

    async def record(self, entry: AuditEntry, actor: str | None = None) -> None:
        self._tables.audit.append((actor or self._actor, entry))

    async def record_many(self, entries: Sequence[AuditEntry], actor: str | None = None) -> None:
        for entry in entries:
            await self.record(entry, actor)

    async def query(
        self, flt: AuditFilter, after: tuple[datetime, UUID] | None, limit: int
    ) -> list[AuditRecord]:
        # Reading the trail (keyset over the rows' time and id, the hash chain beside it)
        # is tested against Postgres; use-case tests read ``TenantTables.audit`` directly.
        raise NotImplementedError("the audit trail is read from Postgres only")


class FakeOutbox(Outbox):
    def __init__(self, tables: TenantTables) -> None:
        self._tables = tables

    async def add(self, event: DomainEvent) -> None:
        self._tables.outbox.append(event)

    async def add_many(self, events: Sequence[DomainEvent]) -> None:
        self._tables.outbox.extend(events)


class FakeIdempotencyStore(IdempotencyStore):
    def __init__(self, tables: TenantTables, in_flight: set[IdempotencyScope]) -> None:
        self._tables = tables
        self._in_flight = in_flight
        self.claimed: list[IdempotencyScope] = []

    async def claim(self, scope: IdempotencyScope, request_hash: bytes) -> StoredResponse | None:
        if scope in self._in_flight:
            raise Conflict("idempotency_in_flight")
        self._in_flight.add(scope)
        self.claimed.append(scope)
        return self._tables.idempotency.get(scope)

    async def complete(self, scope: IdempotencyScope, response: StoredResponse) -> None:
        self._tables.idempotency[scope] = response


class FakeProcessedMessages(ProcessedMessages):
    def __init__(self, tables: TenantTables) -> None:
        self._tables = tables

    async def claim(self, consumer: str, message_id: str) -> bool:
        if (consumer, message_id) in self._tables.processed:
            return False
        self._tables.processed.add((consumer, message_id))
        return True


class FakeOperatorAudit(OperatorAudit):
    def __init__(self, records: list[OperatorRecord]) -> None:
        self._records = records

    async def record(
        self,
        ctx: SystemContext,
        action: str,
        tenant_id: UUID | None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        self._records.append(
            OperatorRecord(ctx.actor.label, ctx.reason, action, tenant_id, dict(detail or {}))
        )


class FakeUnitOfWork:
    db: FakeDatabase
    tenant_id: UUID
    cipher: FieldCipher
    work: TenantTables  # this transaction's copy of the tenant's tables
    directory: DirectoryTables  # and of the tenant directory
    audit: AuditLog
    outbox: Outbox
    idempotency: IdempotencyStore
    operator_audit: OperatorAudit
    processed: ProcessedMessages

    def __init__(self, db: FakeDatabase, tenant_id: UUID, actor: str) -> None:
        self.db = db
        self.tenant_id = tenant_id
        self.cipher = db.cipher
        self._actor = actor

    async def __aenter__(self) -> Self:
        self.work = self.db.tenant(self.tenant_id).copy()
        self.directory = self.db.directory.copy()
        self._operator_records: list[OperatorRecord] = []
        self._stores: dict[StoreKey[Any], object] = {}
        self._claims = FakeIdempotencyStore(self.work, self.db.in_flight)
        self.audit = FakeAuditLog(self.work, self._actor)
        self.outbox = FakeOutbox(self.work)
        self.idempotency = self._claims
        self.operator_audit = FakeOperatorAudit(self._operator_records)
        self.processed = FakeProcessedMessages(self.work)
        return self

    def of(self, key: StoreKey[T]) -> T:
        if key not in self._stores:
            found = _by_key().get(key)
            if found is None:
                raise LookupError(f"no fake store is registered for {key!r}")
            name, fake = found
            self._stores[key] = fake.store(self.work.modules[name], self)
        return cast(T, self._stores[key])

    async def write_changes(
        self, entries: Sequence[AuditEntry], events: Sequence[DomainEvent]
    ) -> None:
        await self.audit.record_many(entries)
        await self.outbox.add_many(events)

    async def commit(self) -> None:
        self.db.tenants[self.tenant_id] = self.work
        self.db.directory = self.directory
        self.db.operator_audit.extend(self._operator_records)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for scope in self._claims.claimed:
            self.db.in_flight.discard(scope)


class FakeDatabase(UnitOfWorkFactory):
    """Every tenant's tables, the tenant directory, and a ``UnitOfWorkFactory`` over them."""

    def __init__(self) -> None:
        self.tenants: dict[UUID, TenantTables] = {}
        self.directory = DirectoryTables()
        self.operator_audit: list[OperatorRecord] = []
        self.cipher = FakeFieldCipher()
        self.in_flight: set[IdempotencyScope] = set()

    def tenant(self, tenant_id: UUID) -> TenantTables:
        return self.tenants.setdefault(tenant_id, TenantTables())

    def for_tenant(self, ctx: CallContext) -> UnitOfWork:
        return FakeUnitOfWork(self, ctx.tenant_id, ctx.actor.label)

    def for_system(self, ctx: SystemContext, tenant_id: UUID | None) -> UnitOfWork:
        return FakeUnitOfWork(self, tenant_id or NO_TENANT, ctx.actor.label)


@cache
def _by_key() -> dict[StoreKey[Any], tuple[str, FakeStore[Any, Any]]]:
    return {fake.key: (name, fake) for name, fake in discover_fakes().items()}
