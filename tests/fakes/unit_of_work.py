"""An in-memory unit of work with real transaction semantics: each unit works on a copy
of its tenant's tables and publishes it on ``commit``; leaving without commit discards it
(so a failed command leaves nothing behind, as in Postgres)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from application.customers.ports import CUSTOMERS
from application.shared.context import CallContext, SystemContext
from application.shared.idempotency import IdempotencyScope, StoredResponse
from application.shared.unit_of_work import StoreKey
from domain.shared.audit import AuditEntry
from domain.shared.errors import Conflict
from domain.shared.events import DomainEvent
from tests.fakes.customers import CustomerTables, FakeCustomerRepository, FakeFieldCipher

T = TypeVar("T")


class FakeCustomerStore:
    def __init__(self, customers: FakeCustomerRepository) -> None:
        self.customers = customers


class FakeIds:
    def __init__(self) -> None:
        self.issued: list[UUID] = []

    def new_id(self) -> UUID:
        self.issued.append(uuid.uuid4())
        return self.issued[-1]


@dataclass
class TenantTables:
    customers: CustomerTables = field(default_factory=CustomerTables)
    audit: list[tuple[str, AuditEntry]] = field(default_factory=list)  # (actor, entry)
    outbox: list[DomainEvent] = field(default_factory=list)
    idempotency: dict[IdempotencyScope, StoredResponse] = field(default_factory=dict)

    def copy(self) -> TenantTables:
        return TenantTables(
            self.customers.copy(), list(self.audit), list(self.outbox), dict(self.idempotency)
        )


class FakeAuditLog:
    def __init__(self, tables: TenantTables, actor: str) -> None:
        self._tables = tables
        self._actor = actor

    async def record(self, entry: AuditEntry, actor: str | None = None) -> None:
        self._tables.audit.append((actor or self._actor, entry))

    async def record_many(self, entries: Sequence[AuditEntry], actor: str | None = None) -> None:
        for entry in entries:
            await self.record(entry, actor)

    async def query(self, *_: Any) -> list[Any]:
        raise NotImplementedError


class FakeOutbox:
    def __init__(self, tables: TenantTables) -> None:
        self._tables = tables

    async def add(self, event: DomainEvent) -> None:
        self._tables.outbox.append(event)

    async def add_many(self, events: Sequence[DomainEvent]) -> None:
        self._tables.outbox.extend(events)


class FakeIdempotencyStore:
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


class FakeUnitOfWork:
    def __init__(self, db: FakeDatabase, tenant_id: UUID, actor: str) -> None:
        self._db = db
        self.tenant_id = tenant_id
        self._actor = actor
        self.committed = False

    async def __aenter__(self) -> Self:
        self._work = self._db.tenant(self.tenant_id).copy()
        self._stores: dict[StoreKey[Any], Any] = {
            CUSTOMERS: FakeCustomerStore(
                FakeCustomerRepository(self._work.customers, self.tenant_id, self._db.cipher)
            ),
        }
        self.audit = FakeAuditLog(self._work, self._actor)
        self.outbox = FakeOutbox(self._work)
        self.idempotency = FakeIdempotencyStore(self._work, self._db.in_flight)
        return self

    def of(self, key: StoreKey[T]) -> T:
        return cast(T, self._stores[key])

    async def commit(self) -> None:
        self._db.tenants[self.tenant_id] = self._work
        self.committed = True

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for scope in self.idempotency.claimed:
            self._db.in_flight.discard(scope)


class FakeDatabase:
    """Every tenant's tables, and a ``UnitOfWorkFactory`` over them."""

    def __init__(self) -> None:
        self.tenants: dict[UUID, TenantTables] = {}
        self.cipher = FakeFieldCipher()
        self.in_flight: set[IdempotencyScope] = set()

    def tenant(self, tenant_id: UUID) -> TenantTables:
        return self.tenants.setdefault(tenant_id, TenantTables())

    def for_tenant(self, ctx: CallContext) -> FakeUnitOfWork:
        return FakeUnitOfWork(self, ctx.tenant_id, ctx.actor.label)

    def for_system(self, ctx: SystemContext, tenant_id: UUID | None) -> FakeUnitOfWork:
        assert tenant_id is not None, "the fake runs system work inside one tenant only"
        return FakeUnitOfWork(self, tenant_id, ctx.actor.label)
