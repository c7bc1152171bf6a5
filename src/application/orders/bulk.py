"""Bulk actions (ORD-5, ORD-8): approve, hold, release, cancel, assign a warehouse or a
carrier, or set the priority of many orders at once, with a result per order. Each
order is its own command in its own transaction (audited, its events and notifications
written with it), at whatever version it has now — one order refusing (a transition the
table does not allow, a missing order) never stops the others. A caller without the
permission is refused at once, not once per order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from application.orders.lifecycle import (
    ApproveOrder,
    AssignCarrier,
    AssignWarehouse,
    CancelOrder,
    HoldOrder,
    ReleaseHold,
    SetPriority,
)
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
    ASSIGN_WAREHOUSE = "assign_warehouse"
    ASSIGN_CARRIER = "assign_carrier"
    SET_PRIORITY = "set_priority"


@dataclass(frozen=True)
class BulkInput:
    """What the actions take besides the orders: ``reason`` (hold and cancel need one),
    ``until`` (hold), ``warehouse_id``, ``carrier``, ``priority`` (each its action's)."""

    reason: str | None = None
    until: datetime | None = None
    warehouse_id: UUID | None = None
    carrier: str | None = None
    priority: int | None = None


_NEEDS: dict[BulkAction, str] = {
    BulkAction.HOLD: "reason",
    BulkAction.CANCEL: "reason",
    BulkAction.ASSIGN_WAREHOUSE: "warehouse_id",
    BulkAction.ASSIGN_CARRIER: "carrier",
    BulkAction.SET_PRIORITY: "priority",
}
_FIELD_NAMES = {
    "reason": "reason",
    "warehouse_id": "warehouseId",
    "carrier": "carrier",
    "priority": "priority",
}


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
        given: BulkInput | None = None,
    ) -> list[BulkResult]:
        given = given or BulkInput()
        ids = list(dict.fromkeys(order_ids))
        if not 1 <= len(ids) <= MAX_BULK:
            raise ValidationFailed.single("orderIds", "bulk_size", max=MAX_BULK)
        needed = _NEEDS.get(action)
        value = getattr(given, needed) if needed else True
        if value is None or (isinstance(value, str) and not value.strip()):
            assert needed is not None
            raise ValidationFailed.single(_FIELD_NAMES[needed], "required")
        results = []
        for order_id in ids:
            try:
                stored = await self._use_cases.run(ctx, _command(action, order_id, given))
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


def _command(action: BulkAction, order_id: UUID, given: BulkInput) -> BulkCommand:
    reason = given.reason
    match action:
        case BulkAction.APPROVE:
            return ApproveOrder(order_id, ANY_VERSION)
        case BulkAction.HOLD:
            return HoldOrder(order_id, reason or "", given.until, ANY_VERSION)
        case BulkAction.RELEASE:
            return ReleaseHold(order_id, ANY_VERSION, reason or "released")
        case BulkAction.CANCEL:
            return CancelOrder(order_id, reason or "", ANY_VERSION)
        case BulkAction.ASSIGN_WAREHOUSE:
            assert given.warehouse_id is not None  # checked before the first order
            return AssignWarehouse(order_id, given.warehouse_id, ANY_VERSION, reason)
        case BulkAction.ASSIGN_CARRIER:
            return AssignCarrier(order_id, given.carrier or "", ANY_VERSION, reason)
        case BulkAction.SET_PRIORITY:
            return SetPriority(order_id, given.priority or 0, ANY_VERSION, reason)


BulkCommand = (
    ApproveOrder
    | HoldOrder
    | ReleaseHold
    | CancelOrder
    | AssignWarehouse
    | AssignCarrier
    | SetPriority
)
