"""A support operator (the CLI) acting in one tenant: the access is recorded in the
operator audit first, then the operator works through the tenant's use cases with every
permission, named in the versions and audit records they write."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from application.shared.context import CallContext, SystemContext
from application.shared.unit_of_work import UnitOfWorkFactory
from domain.identity.permissions import ALL_PERMISSIONS


async def support_access(
    uow_factory: UnitOfWorkFactory,
    ctx: SystemContext,
    tenant_id: UUID,
    action: str,
    detail: dict[str, Any],
) -> CallContext:
    """Record ``action`` (with ``detail`` and the operator's reason) in the operator audit;
    the returned context names the operator in the tenant."""
    async with uow_factory.for_system(ctx, tenant_id) as uow:
        await uow.operator_audit.record(ctx, action, tenant_id, {**detail, "reason": ctx.reason})
        await uow.commit()
    return CallContext(tenant_id, ctx.actor, ALL_PERMISSIONS, ctx.request_id)
