"""Receipts, issues, adjustments, state changes and return receipts (INV-1, INV-6, ORD-6).

Each is one ledger movement on one stock level (``common.move``): the conditional update
and its ledger row in one statement, then the channel availability it changes announced
once and the level's thresholds evaluated (INV-3). A movement's audit record names the
SKU × warehouse and the movement.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from application.inventory.batches.scanning import (
    BatchFields,
    incoming,
    outgoing,
    scan_in,
    scan_out,
)
from application.inventory.common import load_warehouse, move_posted
from application.inventory.costing.revaluation import check_effective_at, start_revaluation
from application.inventory.ports import ReturnedGoods, ReturnReceipts
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
Serials = Sequence[str] | None  # serials (唯一码) scanned, one per unit (INV-8)


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


async def _apply(
    work: Work,
    movements: list[Movement],
    *,
    adds_stock: bool,
    scan: Callable[[list[int]], Awaitable[None]] | None = None,
    action: str | None = None,
) -> Moved:
    """Post the movements of one SKU × warehouse (several: one per batch, INV-8), then
    ``scan`` the serials with the ledger rows' seqs, audit once and settle once."""
    first = movements[0]
    warehouse = await load_warehouse(work.uow, first.warehouse_id)
    if adds_stock:
        warehouse.check_accepts_stock()
    posted = [await move_posted(work.uow, work.ctx, movement) for movement in movements]
    if scan is not None:
        await scan([p.seq for p in posted])
    deltas = sum((movement.deltas for movement in movements), Deltas())
    batches = [str(m.batch_id) for m in movements if m.batch_id is not None]
    work.audit(
        first.sku_id,
        detail={
            "warehouse_id": str(first.warehouse_id),
            "kind": first.kind.value,
            **{k: v for k, v in deltas.as_dict().items() if v},
            **({"reason": first.reason} if first.reason else {}),
            **({"source": f"{first.source.type}:{first.source.id}"} if first.source.id else {}),
            **({"batches": batches} if batches else {}),
        },
        action=action,
        entity=ENTITY if action else None,
    )
    await stock_moved(work, {(first.sku_id, first.warehouse_id)})
    job_id = None
    if first.effective_at is not None:
        job_id = await start_revaluation(work, first.sku_id, first.warehouse_id, posted[0])
    amounts = [p.cost_amount for p in posted if p.cost_amount is not None]
    amount = sum(amounts, Decimal(0)) if amounts and work.allows(INVENTORY_COSTING) else None
    return Moved(first.sku_id, first.warehouse_id, posted[-1].figures, amount, job_id)


async def _received(
    work: Work,
    movement: Movement,
    fields: BatchFields,
    serials: Serials,
    *,
    action: str | None = None,
) -> Moved:
    """A receipt or a return: into its batch (INV-8) with its serials scanned in.
    ``action``: the audit record's, when another module's command receives it."""
    quantity = movement.deltas.on_hand + movement.deltas.non_sellable
    into = await incoming(work, movement.sku_id, quantity, fields, serials)
    movement = replace(movement, batch_id=into.batch_id)

    async def scan(seqs: list[int]) -> None:
        await scan_in(work, movement, into.serials, seqs[0])

    return await _apply(work, [movement], adds_stock=True, scan=scan, action=action)


async def _taken(
    work: Work,
    movement: Movement,
    quantity: int,
    deltas_of: Callable[[int], Deltas],
    batch_no: str | None,
    serials: Serials,
    *,
    suggest: bool = True,
    scan: bool = True,
) -> Moved:
    """A movement taking units: out of their batches (INV-8) with their serials scanned
    out (see ``batches.scanning.outgoing``)."""
    out = await outgoing(
        work, movement, quantity, deltas_of, batch_no, serials, suggest=suggest, scan=scan
    )

    async def scanned_out(seqs: list[int]) -> None:
        await scan_out(work, out, seqs)

    return await _apply(work, out.movements, adds_stock=False, scan=scanned_out)


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
    # INV-8: the batch (required for a batch-managed SKU) and the serials scanned in.
    batch_no: str | None = None
    production_date: date | None = None
    expiry_date: date | None = None
    serials: Serials = None


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
        return await _received(work, movement, _fields(command), command.serials)


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
    # INV-8: a batch-managed SKU's units come from the batch named, else the picking
    # suggestion's batches; a serial-managed SKU's serials are scanned out.
    batch_no: str | None = None
    serials: Serials = None


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
        return await _taken(
            work, movement, command.quantity, stock.issue, command.batch_no, command.serials
        )


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
    # INV-8: units found go into the batch named (required for a batch-managed SKU);
    # units lost come out of it, or (sellable ones) of the picking suggestion's batches.
    # A serial-managed SKU's serials are scanned in or out.
    batch_no: str | None = None
    serials: Serials = None


class AdjustStockHandler:
    async def handle(self, command: AdjustStock, work: Work) -> Moved:
        target = command.target_state
        movement = Movement(
            command.sku_id,
            await _warehouse(work, command.warehouse_id),
            MovementKind.ADJUSTMENT,
            stock.adjustment(command.change, target),
            SourceDocument("adjustment", None),
            _reason(command.reason, required=True),
        )
        if command.change > 0:
            return await _received(work, movement, BatchFields(command.batch_no), command.serials)
        return await _taken(
            work,
            movement,
            -command.change,
            lambda quantity: stock.adjustment(-quantity, target),
            command.batch_no,
            command.serials,
            suggest=target is Target.SELLABLE,
        )


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
    batch_no: str | None = None  # INV-8: required for a batch-managed SKU


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
        return await _taken(
            work,
            movement,
            command.quantity,
            lambda quantity: stock.state_change(quantity, command.to_state),
            command.batch_no,
            None,
            suggest=False,
            scan=False,
        )


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
    # INV-8: like a receipt's.
    batch_no: str | None = None
    production_date: date | None = None
    expiry_date: date | None = None
    serials: Serials = None


async def _return_movement(
    work: Work,
    warehouse_ref: WarehouseRef,
    sku_id: UUID,
    quantity: int,
    inspection: InspectionResult,
    source: SourceDocument,
    reason: str | None,
) -> Movement:
    warehouse = await load_warehouse(work.uow, await _warehouse(work, warehouse_ref))
    if warehouse.kind is not WarehouseKind.RETURNS:
        raise ValidationFailed.single("warehouseId", "not_a_returns_warehouse")
    return Movement(
        sku_id,
        warehouse.id,
        MovementKind.RETURN_RECEIPT,
        stock.receipt(quantity, inspection.target),
        source,
        _reason(reason) or inspection.value,
    )


class ReceiveReturnHandler:
    async def handle(self, command: ReceiveReturn, work: Work) -> Moved:
        movement = await _return_movement(
            work,
            command.warehouse_id,
            command.sku_id,
            command.quantity,
            command.inspection,
            SourceDocument(command.source_type, command.source_id),
            command.reason,
        )
        return await _received(work, movement, _fields(command), command.serials)


class ReturnReceiving(ReturnReceipts):
    """The return-receipt port (``ReturnReceipts``) as inventory implements it: what
    ``ReceiveReturn`` does, inside the caller's command, audited as a return receipt."""

    async def receive(self, work: Work, goods: ReturnedGoods) -> Deltas:
        movement = await _return_movement(
            work,
            goods.warehouse_id,
            goods.sku_id,
            goods.quantity,
            goods.inspection,
            SourceDocument(goods.source_type, goods.source_id),
            goods.reason,
        )
        fields = BatchFields(goods.batch_no)
        moved = await _received(work, movement, fields, goods.serials, action=ReceiveReturn.action)
        return moved.figures


RETURN_RECEIPTS = ReturnReceiving()


def _fields(command: ReceiveStock | ReceiveReturn) -> BatchFields:
    return BatchFields(command.batch_no, command.production_date, command.expiry_date)
