"""A receipt document (INV-7): several lines into one warehouse with landed costs —
freight, duty, other — each allocated over the lines by quantity, value or weight
(``domain.inventory.costing.allocate``: parts add up to each charge to the fen). Each
line is one receipt movement whose value is its goods plus its share; the landed unit
cost (six places) is on its ledger row. Needs ``inventory:costing`` besides
``inventory:write``: it states costs.

A line's weight for the weight basis: the line's own ``weight`` (its total), else the
SKU's catalog weight (``weight_grams``) × quantity; neither is a 422 on the line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from application.inventory.batches.scanning import BatchFields, Incoming, incoming, scan_in
from application.inventory.common import load_warehouse, move_posted, store_of
from application.inventory.costing.revaluation import check_effective_at, start_revaluation
from application.inventory.references import WarehouseRef, warehouse_id_of
from application.inventory.settle import stock_moved
from application.shared.use_case import Command, Work
from domain.inventory import stock
from domain.inventory.costing import (
    AllocationBasis,
    Charge,
    ChargeKind,
    CostedLine,
    ReceiptLine,
    allocate,
)
from domain.inventory.permissions import INVENTORY_COSTING, INVENTORY_WRITE
from domain.inventory.stock import Deltas, Movement, MovementKind, SourceDocument
from domain.shared.errors import ValidationFailed

MAX_LINES = 500


@dataclass(frozen=True)
class DocumentLine:
    sku_id: UUID
    quantity: int
    unit_cost: Decimal
    weight: Decimal | None = None  # the line's total weight, for the weight basis
    # INV-8: the line's batch (required for a batch-managed SKU) and serials scanned in
    batch: BatchFields = field(default_factory=BatchFields)
    serials: Sequence[str] | None = None


@dataclass(frozen=True)
class DocumentCharge:
    kind: ChargeKind
    amount: Decimal
    basis: AllocationBasis = AllocationBasis.QUANTITY


@dataclass(frozen=True)
class ReceivedLine:
    sku_id: UUID
    quantity: int
    cost: CostedLine
    figures: Deltas
    seq: int


@dataclass(frozen=True)
class ReceivedDocument:
    document_id: UUID
    warehouse_id: UUID
    lines: list[ReceivedLine]
    revaluation_job_ids: list[UUID]

    @property
    def total(self) -> Decimal:
        return sum((line.cost.total for line in self.lines), Decimal("0.00"))


class ReceiveDocument(
    Command[ReceivedDocument],
    action="stock.receive_document",
    entity="stock",
    permission=INVENTORY_WRITE,
    target="document_id",
):
    warehouse_id: WarehouseRef  # its id or its code
    lines: tuple[DocumentLine, ...]
    charges: tuple[DocumentCharge, ...] = ()
    document_id: UUID | None = None  # the purchase document; a new id when not given
    effective_at: datetime | None = None  # back-dated: re-valued from then (a job per SKU)
    reason: str | None = None


async def _weights(work: Work, command: ReceiveDocument) -> list[Decimal | None]:
    if not any(c.basis is AllocationBasis.WEIGHT for c in command.charges):
        return [line.weight for line in command.lines]
    missing = [line.sku_id for line in command.lines if line.weight is None]
    catalog = await store_of(work.uow).costs.sku_weights(missing) if missing else {}
    found: list[Decimal | None] = []
    for line in command.lines:
        per_unit = catalog.get(line.sku_id)
        if line.weight is not None:
            found.append(line.weight)
        elif per_unit is not None:
            found.append(per_unit * line.quantity)
        else:
            found.append(None)
    return found


async def _incoming(work: Work, number: int, line: DocumentLine) -> Incoming:
    """The line's batch and serials (INV-8), a refusal naming the line."""
    try:
        return await incoming(work, line.sku_id, line.quantity, line.batch, line.serials)
    except ValidationFailed as error:
        raise error.under(f"lines[{number}]") from None


class ReceiveDocumentHandler:
    async def handle(self, command: ReceiveDocument, work: Work) -> ReceivedDocument:
        work.require_extra(INVENTORY_COSTING)
        if not command.lines or len(command.lines) > MAX_LINES:
            raise ValidationFailed.single("lines", "invalid_length", min=1, max=MAX_LINES)
        for number, line in enumerate(command.lines):
            stock.positive(line.quantity, f"lines[{number}].quantity")
            if line.unit_cost < 0:
                raise ValidationFailed.single(f"lines[{number}].unitCost", "must_not_be_negative")
        check_effective_at(work, command.effective_at)
        warehouse = await load_warehouse(
            work.uow, await warehouse_id_of(work.uow, "warehouse", command.warehouse_id)
        )
        warehouse.check_accepts_stock()
        weights = await _weights(work, command)
        costed = allocate(
            [
                ReceiptLine(line.quantity, line.unit_cost, weight)
                for line, weight in zip(command.lines, weights, strict=True)
            ],
            [Charge(c.kind, c.amount, c.basis) for c in command.charges],
        )
        document_id = command.document_id or work.ids.new_id()
        source = SourceDocument("receipt", document_id)
        received: dict[int, ReceivedLine] = {}
        jobs: list[UUID] = []
        # Posted in SKU order, as reservations lock levels: no deadlock cycle between them.
        order = sorted(range(len(command.lines)), key=lambda i: command.lines[i].sku_id)
        for i in order:
            line, cost = command.lines[i], costed[i]
            movement = Movement(
                line.sku_id,
                warehouse.id,
                MovementKind.RECEIPT,
                stock.receipt(line.quantity),
                source,
                command.reason,
                cost.unit_cost,
                cost_amount=cost.total,
                effective_at=command.effective_at,
            )
            into = await _incoming(work, i, line)
            movement = replace(movement, batch_id=into.batch_id)
            posted = await move_posted(work.uow, work.ctx, movement)
            await scan_in(work, movement, into.serials, posted.seq)
            received[i] = ReceivedLine(line.sku_id, line.quantity, cost, posted.figures, posted.seq)
            if command.effective_at is not None:
                jobs.append(await start_revaluation(work, line.sku_id, warehouse.id, posted))
        work.audit(
            document_id,
            detail={
                "warehouse_id": str(warehouse.id),
                "lines": len(command.lines),
                "charges": {c.kind.value: str(c.amount) for c in command.charges},
            },
        )
        await stock_moved(work, ((line.sku_id, warehouse.id) for line in command.lines))
        return ReceivedDocument(
            document_id, warehouse.id, [received[i] for i in range(len(command.lines))], jobs
        )
