"""Runs a command in one unit of work and audits what was denied or failed.

The command's own audit record is written inside its transaction; when the command is
denied or fails, that transaction rolls back and the attempt is recorded in a separate
one (PLT-3).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar
from uuid import UUID

from application.context import CallContext
from application.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from domain.shared.audit import AuditEntry
from domain.shared.errors import DomainError, PermissionDenied, RateLimited

T = TypeVar("T")


class CommandRunner:
    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow_factory = uow_factory

    async def run(
        self,
        ctx: CallContext,
        action: str,
        entity_type: str,
        command: Callable[[UnitOfWork], Awaitable[T]],
        *,
        entity_id: UUID | None = None,
        before_commit: Callable[[UnitOfWork, T], Awaitable[None]] | None = None,
    ) -> T:
        try:
            async with self._uow_factory.for_tenant(ctx) as uow:
                result = await command(uow)
                if before_commit is not None:
                    await before_commit(uow, result)
                await uow.commit()
                return result
        except RateLimited:
            raise
        except DomainError as error:
            outcome = "denied" if isinstance(error, PermissionDenied) else "failed"
            await self._record_attempt(ctx, action, entity_type, entity_id, outcome, error)
            raise

    async def query(self, ctx: CallContext, read: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        """Reads run in a transaction of their own; only denied reads are audited."""
        try:
            async with self._uow_factory.for_tenant(ctx) as uow:
                return await read(uow)
        except PermissionDenied as error:
            await self._record_attempt(ctx, "read", "", None, "denied", error)
            raise

    async def _record_attempt(
        self,
        ctx: CallContext,
        action: str,
        entity_type: str,
        entity_id: UUID | None,
        outcome: str,
        error: DomainError,
    ) -> None:
        async with self._uow_factory.for_tenant(ctx) as uow:
            await uow.audit.record(
                AuditEntry(
                    action=action,
                    entity_type=entity_type,
                    entity_id=entity_id,
                    outcome=outcome,
                    detail={"error": error.code},
                )
            )
            await uow.commit()
