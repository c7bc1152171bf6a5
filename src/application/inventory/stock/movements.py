"""Receipts, issues, adjustments, state changes and return receipts (INV-1, INV-6, ORD-6).

Each is one ledger movement on one stock level (``common.move``): the conditional update
and its ledger row in one statement, then the channel availability it changes announced
once and the level's thresholds evaluated (INV-3). A movement's audit record names the
SKU × warehouse and the movement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from application.inventory.common import load_warehouse, move_posted
from application.inventory.costing.revaluation import check_effective_at, start_revaluation
from application.inventory.references import WarehouseRef, warehouse_id_of
from application.inventory.settle import stock_moved
from application.shared.use_case import Command, Work
from domain.inventory import stock
from domain.inventory.permissions import INVENTORY_COSTING, INVENTORY_WRITE
from domain.inventory.stock import (
    Deltas,
    InspectionResult,
    Movement,
    MovementKind,
    SourceDocument,
    Target,
)
from domain.inventory.warehouse import WarehouseKind
from domain.shared.errors import ValidationFailed

ENTITY = "stock"


@dataclass(frozen=True)
class Moved:
    """What a movement left: the level's figures after it, the value it moved (None
    without ``inventory:costing``, or when it moves none) and the re-valuation job a
    back-dated receipt started."""

    sku_id: UUID
    warehouse_id: UUID
    figures: Deltas
    cost_amount: Decimal | None = None
    revaluation_job_id: UUID | None = None


async def _apply(work: Work, movement: Movement, *, adds_stock: bool) -> Moved:
    warehouse = await load_warehouse(work.uow, movement.warehouse_id)
    if adds_stock:
        warehouse.check_accepts_stock()
    posted = await move_posted(work.uow, work.ctx, movement)
    work.audit(
        movement.sku_id,
        detail={
            "warehouse_id": str(movement.warehouse_id),
            "kind": movement.kind.value,
            **{k: v for k, v in movement.deltas.as_dict().items() if v},
            **({"reason": movement.reason} if movement.reason else {}),
            **(
                {"source": f"{movement.source.type}:{movement.source.id}"}
                if movement.source.id
                else {}
            ),
        },
    )
    await stock_moved(work, {(movement.sku_id, movement.warehouse_id)})
    job_id = None
    if movement.effective_at is not None:
        job_id = await start_revaluation(work, movement.sku_id, movement.warehouse_id, posted)
    amount = posted.cost_amount if work.allows(INVENTORY_COSTING) else None
    return Moved(movement.sku_id, movement.warehouse_id, posted.figures, amount, job_id)


async def _warehouse(work: Work, reference: WarehouseRef) -> UUID:
    """The id of the warehouse the body named by ``warehouseId`` or ``warehouse``."""
    return await warehouse_id_of(work.uow, "warehouse", reference)


def _reason(reason: str | None, *, required: bool = False) -> str | None:
    reason = (reason or "").strip() or None
    if required and reason is None:
        raise ValidationFailed.single("reason", "required")
    if reason is not None and len(reason) > 500:
        raise ValidationFailed.single("reason", "invalid_length", max=500)
    return reason


class ReceiveStock(
    Command[Moved],
    action="stock.receive",
    entity=ENTITY,
    permission=INVENTORY_WRITE,
    target="sku_id",
):
    """Goods in (a purchase, an opening balance): on hand +, or non-sellable + for goods
    received straight into quarantine. A unit cost needs ``inventory:costing``."""

    sku_id: UUID
    warehouse_id: WarehouseRef  # its id or its code (#9 item 16)
    quantity: int
    unit_cost: Decimal | None = None
    target_state: Target = Target.SELLABLE
    bin_id: UUID | None = None
    source_type: str = "receipt"
    source_id: UUID | None = None
    reason: str | None = None
    # INV-7: a back-dated receipt counts from this time (not in the future); its
    # SKU × warehouse is re-valued from then by a job (``revaluationJobId``).
    effective_at: datetime | None = None


class ReceiveStockHandler:
    async def handle(self, command: ReceiveStock, work: Work) -> Moved:
        if command.unit_cost is not None:
            work.require_extra(INVENTORY_COSTING)
            if command.unit_cost < 0:
                raise ValidationFailed.single("unitCost", "must_not_be_negative")
        check_effective_at(work, command.effective_at)
        movement = Movement(
            command.sku_id,
            await _warehouse(work, command.warehouse_id),
            MovementKind.RECEIPT,
            stock.receipt(command.quantity, command.target_state),
            SourceDocument(command.source_type, command.source_id),
            _reason(command.reason),
            command.unit_cost,
            command.bin_id,
            effective_at=command.effective_at,
        )
        return await _apply(work, movement, adds_stock=True)


class IssueStock(
    Command[Moved], action="stock.issue", entity=ENTITY, permission=INVENTORY_WRITE, target="sku_id"
):
    """Goods out without a reservation (samples, internal use, a B2B pickup): only from
    available units."""

    sku_id: UUID
    warehouse_id: WarehouseRef  # its id or its code (#9 item 16)
    quantity: int
    source_type: str = "issue"
    source_id: UUID | None = None
    reason: str | None = None


class IssueStockHandler:
    async def handle(self, command: IssueStock, work: Work) -> Moved:
        movement = Movement(
            command.sku_id,
            await _warehouse(work, command.warehouse_id),
            MovementKind.ISSUE,
            stock.issue(command.quantity),
            SourceDocument(command.source_type, command.source_id),
            _reason(command.reason),
        )
        return await _apply(work, movement, adds_stock=False)


class AdjustStock(
    Command[Moved],
    action="stock.adjust",
    entity=ENTITY,
    permission=INVENTORY_WRITE,
    target="sku_id",
):
    """A correction (found, lost, broken) of on hand or non-sellable, with its reason."""

    sku_id: UUID
    warehouse_id: WarehouseRef  # its id or its code (#9 item 16)
    change: int  # positive or negative
    reason: str
    target_state: Target = Target.SELLABLE


class AdjustStockHandler:
    async def handle(self, command: AdjustStock, work: Work) -> Moved:
        movement = Movement(
            command.sku_id,
            await _warehouse(work, command.warehouse_id),
            MovementKind.ADJUSTMENT,
            stock.adjustment(command.change, command.target_state),
            SourceDocument("adjustment", None),
            _reason(command.reason, required=True),
        )
        return await _apply(work, movement, adds_stock=command.change > 0)


class ChangeStockState(
    Command[Moved],
    action="stock.change_state",
    entity=ENTITY,
    permission=INVENTORY_WRITE,
    target="sku_id",
):
    """Available → non-sellable (damaged, quality hold) or back."""

    sku_id: UUID
    warehouse_id: WarehouseRef  # its id or its code (#9 item 16)
    quantity: int
    to_state: Target
    reason: str | None = None


class ChangeStockStateHandler:
    async def handle(self, command: ChangeStockState, work: Work) -> Moved:
        movement = Movement(
            command.sku_id,
            await _warehouse(work, command.warehouse_id),
            MovementKind.STATE_CHANGE,
            stock.state_change(command.quantity, command.to_state),
            SourceDocument("state_change", None),
            _reason(command.reason),
        )
        return await _apply(work, movement, adds_stock=False)


class ReceiveReturn(
    Command[Moved],
    action="stock.receive_return",
    entity=ENTITY,
    permission=INVENTORY_WRITE,
    target="sku_id",
):
    """Returned goods (ORD-6 receiving side) into a returns warehouse, with the
    inspection's result: resellable → available, damaged → non-sellable."""

    sku_id: UUID
    warehouse_id: WarehouseRef  # its id or its code (#9 item 16)
    quantity: int
    inspection: InspectionResult
    source_type: str = "return"
    source_id: UUID | None = None
    reason: str | None = None


class ReceiveReturnHandler:
    async def handle(self, command: ReceiveReturn, work: Work) -> Moved:
        warehouse = await load_warehouse(work.uow, await _warehouse(work, command.warehouse_id))
        if warehouse.kind is not WarehouseKind.RETURNS:
            raise ValidationFailed.single("warehouseId", "not_a_returns_warehouse")
        movement = Movement(
            command.sku_id,
            warehouse.id,
            MovementKind.RETURN_RECEIPT,
            stock.receipt(command.quantity, command.inspection.target),
            SourceDocument(command.source_type, command.source_id),
            _reason(command.reason) or command.inspection.value,
        )
        return await _apply(work, movement, adds_stock=True)
