"""The Postgres unit of work: one transaction, the tenant set as its first statement."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any, Self, TypeVar, cast
from uuid import UUID

import asyncpg
import structlog
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncTransaction

from adapters.postgres.shared.audit_log import INSERT_AUDIT, PostgresAuditLog
from adapters.postgres.shared.driver import DriverStatement
from adapters.postgres.shared.idempotency import (
    STORE_ANSWER,
    PostgresIdempotencyStore,
    stored,
)
from adapters.postgres.shared.operator_audit import PostgresOperatorAudit
from adapters.postgres.shared.outbox import INSERT_EVENTS, PostgresOutbox
from adapters.postgres.shared.processed_messages import PostgresProcessedMessages
from adapters.postgres.shared.stores import StoreBuilder, StoreParts, discover_stores
from adapters.postgres.shared.unreadable import UnreadableValues
from application.shared.audit_log import AuditLog
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext, SystemContext
from application.shared.field_cipher import FieldCipher
from application.shared.idempotency import IdempotencyStore
from application.shared.messaging import ProcessedMessages
from application.shared.operator_audit import OperatorAudit
from application.shared.outbox import Outbox
from application.shared.unit_of_work import StoreKey
from domain.shared.audit import AuditEntry
from domain.shared.errors import Contention
from domain.shared.events import DomainEvent

T = TypeVar("T")
log = structlog.get_logger("shopkeeper.crypto")

NO_TENANT = UUID(int=0)
# A command's audit records and its events in one round trip: the records' INSERT as a
# data-modifying CTE beside the events' (both run, whatever the outer statement reads).
# Every command sends it: run on the driver (decision 82).
_INSERT_AUDIT_AND_EVENTS = DriverStatement(
    text(f"WITH audited AS ({INSERT_AUDIT}) {INSERT_EVENTS}")
)
# An idempotent command's: its stored answer too, in the same round trip (decision 97).
# Data-modifying CTEs all run, whether the outer query reads them or not.
_ANSWERED = DriverStatement(
    text(
        f"WITH answered AS ({STORE_ANSWER}), audited AS ({INSERT_AUDIT}),"
        f" evented AS ({INSERT_EVENTS}) SELECT id FROM answered"
    )
)


def set_tenant_statement(tenant: str) -> str:
    """``SET LOCAL app.tenant_id = '<uuid>'``; '' (no tenant) reads no rows under RLS."""
    literal = str(UUID(tenant)) if tenant else ""  # only a canonical UUID reaches the SQL
    return f"SET LOCAL app.tenant_id = '{literal}'"


async def begin_for_tenant(conn: AsyncConnection, tenant: str) -> None:
    """``BEGIN`` and the tenant setting, one round trip on the driver (the simple query
    protocol takes both); what counts statements sees the setting."""
    statement = set_tenant_statement(tenant)
    sync = conn.sync_connection
    if sync is not None and (sync._has_events or sync.engine._has_events):
        sync.dispatch.before_cursor_execute(sync, None, statement, (), None, False)
    await _driver(conn).execute(f"BEGIN; {statement}")


async def finish(conn: AsyncConnection, ending: str) -> None:
    """``COMMIT`` or ``ROLLBACK`` of the driver's transaction; a constraint checked at
    commit (a deferred one) fails as SQLAlchemy's ``IntegrityError``, as any statement's."""
    driver = _driver(conn)
    if not driver.is_in_transaction():
        return
    try:
        await driver.execute(ending)
    except asyncpg.IntegrityConstraintViolationError as error:
        raise IntegrityError(ending, None, error) from error


async def hand_back(conn: AsyncConnection) -> None:
    """Back to the pool — never inside a transaction: a connection still in one (its
    ``ROLLBACK`` failed or was cancelled) is closed instead of reused."""
    try:
        if _in_transaction(conn):
            await conn.invalidate()
    finally:
        await conn.close()


def _in_transaction(conn: AsyncConnection) -> bool:
    """Whether the driver's connection is in a transaction — or cannot say (then: yes)."""
    try:
        return bool(_driver(conn).is_in_transaction())
    except Exception:
        return True


def _driver(conn: AsyncConnection) -> asyncpg.Connection:
    driver = conn.sync_connection.connection.driver_connection if conn.sync_connection else None
    if driver is None:
        raise RuntimeError("the connection is not open")
    return driver


# What PostgreSQL rolls a transaction back for when it meets another (SQLSTATE 40P01,
# 40001): nothing of it was written, so the same work again is safe. Not "statement
# completion unknown" (40003): that one may have committed.
_CONTENDED = (asyncpg.DeadlockDetectedError, asyncpg.SerializationError)


def rolled_back_by_server(error: BaseException) -> bool:
    """Whether ``error`` (the driver's, or SQLAlchemy's around it) is a deadlock or a
    serialization failure."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        candidate = pending.pop()
        if candidate is None or id(candidate) in seen:
            continue
        seen.add(id(candidate))
        if isinstance(candidate, _CONTENDED):
            return True
        orig = getattr(candidate, "orig", None)
        pending += [orig if isinstance(orig, BaseException) else None, candidate.__cause__]
    return False


class MissingTenant(RuntimeError):
    """A tenant unit of work was asked for without a tenant: refuse rather than guess."""


class PostgresUnitOfWork:
    # Typed as the ports, so mypy checks every adapter against its protocol.
    audit: AuditLog
    outbox: Outbox
    idempotency: IdempotencyStore
    operator_audit: OperatorAudit
    processed: ProcessedMessages
    _audit: PostgresAuditLog
    _outbox: PostgresOutbox
    _idempotency: PostgresIdempotencyStore

    def __init__(
        self,
        engine: AsyncEngine,
        tenant_id: UUID | None,
        actor: str,
        request_id: str,
        ip: str | None,
        clock: Clock,
        ids: IdGenerator,
        cipher: FieldCipher,
        stores: Mapping[StoreKey[Any], StoreBuilder],
    ) -> None:
        self.tenant_id = tenant_id or NO_TENANT
        self._engine = engine
        self._tenant_setting = str(tenant_id) if tenant_id else ""
        self._actor = actor
        self._request_id = request_id
        self._ip = ip
        self._clock = clock
        self._ids = ids
        self._cipher = cipher
        self._store_builders = stores
        self._stores: dict[StoreKey[Any], Any] = {}
        self._conn: AsyncConnection | None = None
        self._tx: AsyncTransaction | None = None
        self.unreadable = UnreadableValues()

    @property
    def connection(self) -> AsyncConnection:
        if self._conn is None:
            raise RuntimeError("unit of work not entered")
        return self._conn

    async def __aenter__(self) -> Self:
        self._conn = await self._engine.connect()
        try:
            # The transaction is the driver's, begun with the tenant setting in one round
            # trip (decision 97): SQLAlchemy, in autocommit, sends no BEGIN or COMMIT of its
            # own, and its statements run inside this transaction. SET LOCAL (not
            # set_config) because Citus propagates it to the worker nodes that evaluate the
            # policy (with citus.propagate_set_commands = 'local'); a parameter cannot be
            # bound in SET, so the value is a validated UUID quoted as a literal.
            # Transaction-local: it never leaks to the next borrower of this pooled
            # connection, which ``__aexit__`` hands back outside any transaction.
            await self._conn.execution_options(isolation_level="AUTOCOMMIT")
            self._tx = await self._conn.begin()
            await begin_for_tenant(self._conn, self._tenant_setting)
        except BaseException:
            await hand_back(self._conn)
            raise
        conn, tid = self._conn, self.tenant_id
        self._stores = {}
        self.unreadable = UnreadableValues()
        self._audit = PostgresAuditLog(
            conn, tid, self._ids, self._actor, self._request_id, self._ip
        )
        self._outbox = PostgresOutbox(conn, tid, self._ids, self._request_id)
        self.audit, self.outbox = self._audit, self._outbox
        self._idempotency = PostgresIdempotencyStore(
            conn, tid, self._clock, self._cipher, self.unreadable
        )
        self.idempotency = self._idempotency
        self.operator_audit = PostgresOperatorAudit(conn, self._ids)
        self.processed = PostgresProcessedMessages(conn, tid)
        return self

    def of(self, key: StoreKey[T]) -> T:
        store = self._stores.get(key)
        if store is None:
            builder = self._store_builders.get(key)
            if builder is None:
                raise LookupError(f"no store is registered for {key!r}")
            parts = StoreParts(self.connection, self.tenant_id, self._cipher, self.unreadable)
            store = builder(parts)
            self._stores[key] = store
        return cast(T, store)

    async def write_changes(
        self, entries: Sequence[AuditEntry], events: Sequence[DomainEvent]
    ) -> None:
        if self._idempotency.pending is not None:
            stored(
                await _ANSWERED.fetch(
                    self.connection,
                    self._audit.parameters(entries)
                    | self._outbox.parameters(events)
                    | self._idempotency.take(),
                )
            )
            return
        if not entries or not events:
            await self.audit.record_many(entries)
            await self.outbox.add_many(events)
            return
        # The two parameter sets share only the tenant and the request id, with equal values.
        await _INSERT_AUDIT_AND_EVENTS.fetch(
            self.connection, self._audit.parameters(entries) | self._outbox.parameters(events)
        )

    async def commit(self) -> None:
        if self._tx is None:
            raise RuntimeError("unit of work not entered")
        await self._idempotency.flush()
        await finish(self.connection, "COMMIT")
        await self._tx.commit()
        self._tx = None

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._tx is not None and self._conn is not None:
                await finish(self._conn, "ROLLBACK")
                await self._tx.rollback()
        finally:
            self._tx = None
            if self._conn is not None:
                await hand_back(self._conn)
                self._conn = None
        if self.unreadable.found:
            await self._audit_unreadable()
        if exc is not None and rolled_back_by_server(exc):
            raise Contention() from exc

    async def _audit_unreadable(self) -> None:
        """Audit the values this unit of work could not decrypt, in a transaction of its
        own (the reading one may have rolled back). A failure here is logged, never raised:
        the read itself succeeded."""
        entries = [value.audit_entry() for value in self.unreadable.found]
        self.unreadable = UnreadableValues()
        try:
            async with self._engine.connect() as conn, conn.begin():
                await conn.execute(text(set_tenant_statement(self._tenant_setting)))
                audit = PostgresAuditLog(
                    conn, self.tenant_id, self._ids, self._actor, self._request_id, self._ip
                )
                await audit.record_many(entries)
        except Exception as error:  # the read's answer stands either way
            log.error("unreadable_not_audited", error_type=type(error).__name__)


class PostgresUnitOfWorkFactory:
    def __init__(
        self,
        app_engine: AsyncEngine,
        platform_engine: AsyncEngine,
        clock: Clock,
        ids: IdGenerator,
        cipher: FieldCipher,
        stores: Mapping[StoreKey[Any], StoreBuilder] | None = None,
    ) -> None:
        self._app = app_engine
        self._platform = platform_engine
        self._clock = clock
        self._ids = ids
        self._cipher = cipher
        self._stores = discover_stores() if stores is None else stores

    def for_tenant(self, ctx: CallContext) -> PostgresUnitOfWork:
        if not ctx.tenant_id or ctx.tenant_id == NO_TENANT:
            raise MissingTenant("a tenant unit of work needs a tenant")
        return PostgresUnitOfWork(
            self._app,
            ctx.tenant_id,
            ctx.actor.label,
            ctx.request_id,
            ctx.ip,
            self._clock,
            self._ids,
            self._cipher,
            self._stores,
        )

    def for_system(self, ctx: SystemContext, tenant_id: UUID | None) -> PostgresUnitOfWork:
        if not ctx.reason:
            raise MissingTenant("system work must say why it runs outside a tenant")
        return PostgresUnitOfWork(
            self._platform,
            tenant_id,
            ctx.actor.label,
            ctx.request_id,
            None,
            self._clock,
            self._ids,
            self._cipher,
            self._stores,
        )
