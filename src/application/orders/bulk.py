"""Bulk review actions (ORD-5, ORD-8): approve, hold, release or cancel many orders at once,
with a result per order. Each order is its own command in its own transaction (audited,
its events and notifications written with it), at whatever version it has now — one order
refusing (a transition the table does not allow, a missing order) never stops the others.
A caller without the permission is refused at once, not once per order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from application.orders.lifecycle import ApproveOrder, CancelOrder, HoldOrder, ReleaseHold
from application.orders.ports import StoredOrder
from application.shared.context import CallContext
from application.shared.use_case import runs
from application.shared.use_cases import UseCases
from application.shared.versions import ANY_VERSION
from domain.shared.errors import DomainError, PermissionDenied, ValidationFailed

MAX_BULK = 200


class BulkAction(StrEnum):
    APPROVE = "approve"
    HOLD = "hold"
    RELEASE = "release"
    CANCEL = "cancel"


@dataclass(frozen=True)
class BulkResult:
    order_id: UUID
    done: bool
    status: str | None = None  # the order's status after the action
    version: int | None = None
    code: str | None = None  # why it was refused
    params: dict[str, Any] | None = None


class BulkOrders:
    def __init__(self, use_cases: UseCases) -> None:
        self._use_cases = use_cases

    @runs(ApproveOrder)  # every action needs orders:review, as each of their commands
    async def apply(
        self,
        ctx: CallContext,
        action: BulkAction,
        order_ids: Sequence[UUID],
        reason: str | None = None,
        until: datetime | None = None,
    ) -> list[BulkResult]:
        ids = list(dict.fromkeys(order_ids))
        if not 1 <= len(ids) <= MAX_BULK:
            raise ValidationFailed.single("orderIds", "bulk_size", max=MAX_BULK)
        if action in (BulkAction.HOLD, BulkAction.CANCEL) and not (reason or "").strip():
            raise ValidationFailed.single("reason", "required")
        results = []
        for order_id in ids:
            try:
                stored = await self._use_cases.run(ctx, _command(action, order_id, reason, until))
            except PermissionDenied:
                raise
            except DomainError as refused:
                results.append(
                    BulkResult(order_id, False, code=refused.code, params=refused.params)
                )
                continue
            results.append(_done(stored))
        return results


def _done(stored: StoredOrder) -> BulkResult:
    order = stored.order
    return BulkResult(order.id, True, order.status.value, order.version)


def _command(
    action: BulkAction, order_id: UUID, reason: str | None, until: datetime | None
) -> ApproveOrder | HoldOrder | ReleaseHold | CancelOrder:
    match action:
        case BulkAction.APPROVE:
            return ApproveOrder(order_id, ANY_VERSION)
        case BulkAction.HOLD:
            return HoldOrder(order_id, reason or "", until, ANY_VERSION)
        case BulkAction.RELEASE:
            return ReleaseHold(order_id, ANY_VERSION, reason or "released")
        case BulkAction.CANCEL:
            return CancelOrder(order_id, reason or "", ANY_VERSION)
