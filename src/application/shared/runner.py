"""Runs a command in one unit of work and audits what was denied or failed.

Every use case has one shape (``application.shared.use_case``): the runner checks the
permission the command declares, calls its handler, writes the audit records the handler
noted and the events of the aggregates it published, and commits.

The command's own audit record is written inside its transaction; when the command is
denied or fails, that transaction rolls back and the attempt is recorded in a separate
one (PLT-3).

An entrypoint that wants the command to be idempotent (HTTP's Idempotency-Key) announces
it with ``idempotent_call`` before calling the use case; the runner then claims the key
at the start of the command's transaction and stores the rendered response before commit,
so the change and its stored response commit together or not at all.

A worker handler announces the message it is consuming with
``application.shared.messages.consuming``; the runner claims it in the command's
transaction, so a redelivered message runs once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from application.shared.access_policy import AccessPolicy
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.idempotency import IdempotencyScope, StoredResponse
from application.shared.messages import AlreadyProcessed, take_consumed_message
from application.shared.unit_of_work import UnitOfWorkFactory
from application.shared.use_case import (
    Command,
    CommandHandler,
    Query,
    QueryHandler,
    Reading,
    UseCase,
    Work,
)
from domain.shared.audit import AuditEntry
from domain.shared.errors import DomainError, PermissionDenied, RateLimited

T = TypeVar("T")
C = TypeVar("C", bound=Command[Any])
Q = TypeVar("Q", bound=Query[Any])


@dataclass
class IdempotentCall:
    scope: IdempotencyScope
    request_hash: bytes
    render: Callable[[Any], StoredResponse]


class Replayed(Exception):
    """The key was used before with the same request: answer with the stored response."""

    def __init__(self, stored: StoredResponse) -> None:
        super().__init__("idempotent replay")
        self.stored = stored


_pending: ContextVar[IdempotentCall | None] = ContextVar("idempotent_call", default=None)


@contextmanager
def idempotent_call(call: IdempotentCall) -> Iterator[None]:
    token = _pending.set(call)
    try:
        yield
    finally:
        _pending.reset(token)


class CommandRunner:
    """Runs every use case the same way: permission, handler, audit, outbox, commit."""

    def __init__(
        self, uow_factory: UnitOfWorkFactory, access: AccessPolicy, clock: Clock, ids: IdGenerator
    ) -> None:
        self._uow_factory = uow_factory
        self._access = access
        self._clock = clock  # handed to handlers: ``work.clock``, ``work.ids``
        self._ids = ids

    async def run(self, ctx: CallContext, command: C, handler: CommandHandler[C, T]) -> T:
        """In one transaction: claim the worker's message and the idempotency key (when
        announced), check the command's permission, run the handler, write the audit
        records it noted and the events it published, store the idempotent response and
        commit. A denied or failed attempt is audited in a transaction of its own."""
        call = _pending.get()
        _pending.set(None)  # one command per announced call
        consumed = take_consumed_message()  # a worker's message (application.shared.messages)
        try:
            async with self._uow_factory.for_tenant(ctx) as uow:
                if consumed is not None and not await uow.processed.claim(
                    consumed.consumer, consumed.message_id
                ):
                    raise AlreadyProcessed(consumed)
                if call is not None:
                    stored = await uow.idempotency.claim(call.scope, call.request_hash)
                    if stored is not None:
                        if stored.request_hash != call.request_hash:
                            raise DomainError("idempotency_key_reused")
                        raise Replayed(stored)
                command.check_permission(self._access, ctx)
                work = Work(uow, ctx, self._access, command, self._clock, self._ids)
                result = await handler.handle(command, work)
                if call is not None:  # before the write: stored with its records and events
                    await uow.idempotency.complete(call.scope, call.render(result))
                await work.write()
                await uow.commit()
                return result
        except RateLimited:
            raise
        except DomainError as error:
            outcome = "denied" if isinstance(error, PermissionDenied) else "failed"
            await self._record_attempt(ctx, command, outcome, error.code, error)
            raise
        except (Replayed, AlreadyProcessed):
            raise
        except Exception:
            # An unexpected failure (a bug, a lost connection) is audited too, if the audit
            # can still be written; the original error is what the caller sees either way.
            with suppress(Exception):
                await self._record_attempt(ctx, command, "failed", "internal")
            raise

    async def query(self, ctx: CallContext, query: Q, handler: QueryHandler[Q, T]) -> T:
        """Reads run in a transaction of their own; only a denied read is audited. A
        command's pre-check (e.g. before an upload is processed) is a query declaring the
        command's action, so its denial is audited as that command's."""
        try:
            async with self._uow_factory.for_tenant(ctx) as uow:
                query.check_permission(self._access, ctx)
                reading = Reading(uow, ctx, self._access, query, self._clock)
                return await handler.handle(query, reading)
        except PermissionDenied as error:
            await self._record_attempt(ctx, query, "denied", error.code, error)
            raise

    async def _record_attempt(
        self,
        ctx: CallContext,
        use_case: UseCase[Any],
        outcome: str,
        code: str,
        error: DomainError | None = None,
    ) -> None:
        async with self._uow_factory.for_tenant(ctx) as uow:
            await uow.audit.record(
                AuditEntry(
                    action=use_case.action,
                    entity_type=use_case.entity,
                    entity_id=use_case.target_id(),
                    outcome=outcome,
                    detail={"error": code, **(_safe_params(error) if error else {})},
                )
            )
            await uow.commit()


def _safe_params(error: DomainError) -> dict[str, Any]:
    """Error parameters are codes and names (never personal values); keep the small ones."""
    return {k: v for k, v in error.params.items() if isinstance(v, (str, int)) and k != "value"}
