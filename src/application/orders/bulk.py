"""Bulk actions (ORD-5, ORD-8): approve, hold, release, cancel, release one abnormal type,
assign a warehouse or a carrier, or set the priority of many orders at once, with a result
per order. Each order is its own command in its own transaction (audited, its events and
notifications written with it), at whatever version it has now — one order refusing (a
transition the table does not allow, a missing order, the abnormal type not open on it)
never stops the others. A caller without the permission is refused at once, not once per
order. Releasing an abnormal type is the one-by-one release (``ResolveAbnormal``) per
order, so it needs what that needs (``orders:review``) and writes what it writes."""

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
    ResolveAbnormal,
    SetPriority,
)
from application.orders.ports import StoredOrder
from application.shared.context import CallContext
from application.shared.use_case import runs
from application.shared.use_cases import UseCases
from application.shared.versions import ANY_VERSION
from domain.orders.abnormal import AbnormalType
from domain.shared.errors import DomainError, PermissionDenied, ValidationFailed

MAX_BULK = 200


class BulkAction(StrEnum):
    APPROVE = "approve"
    HOLD = "hold"
    RELEASE = "release"
    CANCEL = "cancel"
    RESOLVE_ABNORMAL = "resolve_abnormal"  # release one abnormal type, by hand
    ASSIGN_WAREHOUSE = "assign_warehouse"
    ASSIGN_CARRIER = "assign_carrier"
    SET_PRIORITY = "set_priority"


@dataclass(frozen=True)
class BulkInput:
    """What the actions take besides the orders: ``reason`` (hold, cancel and
    resolve_abnormal need one), ``until`` (hold), ``warehouse_id``, ``carrier``,
    ``priority``, ``abnormal_type`` (each its action's)."""

    reason: str | None = None
    until: datetime | None = None
    warehouse_id: UUID | None = None
    carrier: str | None = None
    priority: int | None = None
    abnormal_type: AbnormalType | None = None


_NEEDS: dict[BulkAction, tuple[str, ...]] = {
    BulkAction.HOLD: ("reason",),
    BulkAction.CANCEL: ("reason",),
    # the type to release on every order, and the person's reason for the timeline
    BulkAction.RESOLVE_ABNORMAL: ("abnormal_type", "reason"),
    BulkAction.ASSIGN_WAREHOUSE: ("warehouse_id",),
    BulkAction.ASSIGN_CARRIER: ("carrier",),
    BulkAction.SET_PRIORITY: ("priority",),
}
_FIELD_NAMES = {
    "reason": "reason",
    "warehouse_id": "warehouseId",
    "carrier": "carrier",
    "priority": "priority",
    "abnormal_type": "abnormalType",
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
        for needed in _NEEDS.get(action, ()):
            value = getattr(given, needed)
            if value is None or (isinstance(value, str) and not value.strip()):
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
        case BulkAction.RESOLVE_ABNORMAL:
            assert given.abnormal_type is not None  # checked before the first order
            # by a person: allowed for automatic types too; an order without the type open
            # is refused (order_abnormal_release_refused, not_open) and left as it was
            return ResolveAbnormal(order_id, given.abnormal_type, reason or "", ANY_VERSION)
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
    | ResolveAbnormal
    | AssignWarehouse
    | AssignCarrier
    | SetPriority
)
