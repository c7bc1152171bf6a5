"""Transfers (调拨, INV-5): request, ship, receive (partially, over several receipts, with
damaged and short quantities recorded as discrepancies), cancel before shipping.

Every stock change is one ledger movement (one conditional statement with its ledger row,
``common.move``): shipping takes each line from the source's available on hand
(``transfer_out``, never below zero: 409 ``insufficient_stock`` and nothing ships) and puts
it in the destination's in transit (``transfer_out`` too: the same shipment seen from the
other end); a receipt closes in transit by what it accounts for and puts sound goods on
hand, damaged ones in non-sellable (``transfer_in``). Both rows carry the unit cost read at
shipment (the provisional ``UnitCostReader``).

A batch-managed SKU (INV-8) ships out of its batches by the picking suggestion, one
``transfer_out`` row per batch at each end (the destination's names the batch too, so
its in transit is accounted per batch in the ledger), and each receipt closes the
batches in transit in the order they were shipped: the units arrive in the batches they
left (same number, same dates). A serial-managed SKU is refused (409): its serials do
not travel with a transfer yet.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from uuid import UUID

from application.inventory.batches.picking import split_by_batches
from application.inventory.common import load_warehouse, move, move_posted, store_of
from application.inventory.references import WarehouseRef, warehouse_ids_of
from application.inventory.settle import stock_moved
from application.shared.reads import ById, InIdOrder
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.inventory.batches import SerialsNotTransferable
from domain.inventory.costing import unit
from domain.inventory.permissions import INVENTORY_READ, INVENTORY_TRANSFER
from domain.inventory.stock import Movement, MovementKind, SourceDocument
from domain.inventory.transfer import (
    ENTITY,
    ReceivedLine,
    Transfer,
    TransferReceipt,
    TransferStatus,
    by_batches,
    shipped_in,
    shipped_out,
)
from domain.shared.errors import NotFound, ValidationFailed
from domain.shared.events import DomainEvent

DISCREPANCY = "inventory.transfer_discrepancy"


async def load_transfer(
    uow: UnitOfWork, transfer_id: UUID, *, for_update: bool = False
) -> Transfer:
    transfer = await store_of(uow).transfers.get(transfer_id, for_update=for_update)
    if transfer is None:
        raise NotFound(entity=ENTITY)
    return transfer


class RequestTransfer(Command[Transfer], action="transfer.create", permission=INVENTORY_TRANSFER):
    """From a source to a destination warehouse (each by id or code), lines of SKUs and
    quantities. The destination must be open."""

    source: WarehouseRef
    destination: WarehouseRef
    lines: tuple[tuple[UUID, int], ...]
    note: str | None = None


async def _no_serials(uow: UnitOfWork, sku_ids: list[UUID]) -> None:
    """Refuse a serial-managed SKU: its serials do not travel with a transfer (yet)."""
    batches = store_of(uow).batches
    for sku_id in sku_ids:
        if (await batches.sku_settings(sku_id)).serial_managed:
            raise SerialsNotTransferable(sku=str(sku_id))


class RequestTransferHandler:
    async def handle(self, command: RequestTransfer, work: Work) -> Transfer:
        await _no_serials(work.uow, [sku for sku, _ in command.lines])
        source_id, destination_id = await warehouse_ids_of(
            work.uow, [("source", command.source), ("destination", command.destination)]
        )
        await load_warehouse(work.uow, source_id)
        (await load_warehouse(work.uow, destination_id)).check_accepts_stock()
        transfer = Transfer.request(
            work.ids.new_id(),
            source_id,
            destination_id,
            list(command.lines),
            command.note,
            work.ctx.actor.label,
            work.clock.now(),
        )
        await store_of(work.uow).transfers.add(transfer)
        work.audit(
            transfer.id,
            None,
            {
                **transfer.snapshot(),
                "source_id": str(source_id),
                "destination_id": str(destination_id),
            },
        )
        work.publish(transfer)
        return transfer


class ShipTransfer(
    Command[Transfer], action="transfer.ship", permission=INVENTORY_TRANSFER, target="transfer_id"
):
    """Out of the source's on hand, into the destination's in transit."""

    transfer_id: UUID
    expected_version: int | None


class CancelTransfer(
    Command[Transfer],
    action="transfer.cancel",
    permission=INVENTORY_TRANSFER,
    target="transfer_id",
):
    """Only before it ships."""

    transfer_id: UUID
    expected_version: int | None


async def _save(work: Work, transfer: Transfer, before: dict[str, object], version: int) -> None:
    await store_of(work.uow).transfers.save(transfer, version)
    work.audit(transfer.id, before, transfer.snapshot())
    work.publish(transfer)


class TransferStepHandler:
    async def handle(self, command: ShipTransfer | CancelTransfer, work: Work) -> Transfer:
        transfer = await load_transfer(work.uow, command.transfer_id, for_update=True)
        check_version(command.expected_version, transfer.version)
        before, version, now = transfer.snapshot(), transfer.version, work.clock.now()
        if isinstance(command, CancelTransfer):
            transfer.cancel(now)
            await _save(work, transfer, before, version)
            return transfer
        (await load_warehouse(work.uow, transfer.destination_id)).check_accepts_stock()
        transfer.check_status(TransferStatus.REQUESTED)
        skus = [li.sku_id for li in transfer.lines]
        await _no_serials(work.uow, skus)
        source = SourceDocument("transfer", transfer.id)
        # The value each line takes out of the source (FIFO layers or the average) is the
        # unit cost it carries: its receipts bring that value in, so no value appears or
        # vanishes in transit but what a short or damaged unit loses (INV-5, INV-7).
        carried: dict[UUID, Decimal] = {}
        parts: dict[UUID, list[Movement]] = {}  # per SKU: one per batch (INV-8), else one
        in_sku_order = sorted(transfer.lines, key=lambda li: li.sku_id)  # as reservations lock
        for li in in_sku_order:
            out = Movement(
                li.sku_id,
                transfer.source_id,
                MovementKind.TRANSFER_OUT,
                shipped_out(li.quantity),
                source,
            )
            parts[li.sku_id] = await split_by_batches(work.uow, out, li.quantity, shipped_out)
            amounts = [
                (await move_posted(work.uow, work.ctx, part)).cost_amount
                for part in parts[li.sku_id]
            ]
            known = [amount for amount in amounts if amount is not None]
            if len(known) == len(amounts):
                carried[li.sku_id] = unit(-sum(known, Decimal(0)) / li.quantity)
        transfer.ship(carried, work.ctx.actor.label, now)  # its lines now carry their cost
        for li in sorted(transfer.lines, key=lambda li: li.sku_id):
            for part in parts[li.sku_id]:
                into_transit = Movement(
                    li.sku_id,
                    transfer.destination_id,
                    MovementKind.TRANSFER_OUT,
                    shipped_in(-part.deltas.on_hand),
                    source,
                    None,
                    li.unit_cost,
                    batch_id=part.batch_id,
                )
                await move(work.uow, work.ctx, into_transit)
        await _save(work, transfer, before, version)
        await stock_moved(
            work,
            [(sku, w) for sku in skus for w in (transfer.source_id, transfer.destination_id)],
        )
        return transfer


@dataclass(frozen=True)
class ReceivedQuantities:
    """What arrived of one SKU: sound, damaged, short (never arrived)."""

    sku_id: UUID
    received: int = 0
    damaged: int = 0
    short: int = 0


class ReceiveTransfer(
    Command[Transfer],
    action="transfer.receive",
    permission=INVENTORY_TRANSFER,
    target="transfer_id",
):
    """One receipt document: per SKU, how many arrived sound (on hand), damaged
    (non-sellable) and short (a discrepancy; closes that much in transit). Several
    receipts may follow each other until every shipped unit is accounted for."""

    transfer_id: UUID
    lines: tuple[ReceivedQuantities, ...]
    expected_version: int | None
    note: str | None = None


class ReceiveTransferHandler:
    async def handle(self, command: ReceiveTransfer, work: Work) -> Transfer:
        transfer = await load_transfer(work.uow, command.transfer_id, for_update=True)
        check_version(command.expected_version, transfer.version)
        before, version, now = transfer.snapshot(), transfer.version, work.clock.now()
        line_of = {li.sku_id: li.line_no for li in transfer.lines}
        received, seen = [], set()
        for i, got in enumerate(command.lines):
            if got.sku_id not in line_of:
                raise ValidationFailed.single(f"lines[{i}].skuId", "sku_not_in_transfer")
            if got.sku_id in seen:
                raise ValidationFailed.single(f"lines[{i}].skuId", "duplicate_sku")
            seen.add(got.sku_id)
            received.append(ReceivedLine(line_of[got.sku_id], got.received, got.damaged, got.short))
        note = (command.note or "").strip() or None
        if note is not None and len(note) > 500:
            raise ValidationFailed.single("note", "invalid_length", max=500)
        receipt = TransferReceipt(
            work.ids.new_id(), transfer.id, tuple(received), note, work.ctx.actor.label, now
        )
        transfer.receive(receipt, now)
        source = SourceDocument("transfer_receipt", receipt.id)
        for entered in sorted(receipt.lines, key=lambda g: transfer.line(g.line_no).sku_id):
            line = transfer.line(entered.line_no)
            reason = (
                f"damaged {entered.damaged}, short {entered.short}"
                if entered.damaged or entered.short
                else None
            )
            movement = Movement(
                line.sku_id,
                transfer.destination_id,
                MovementKind.TRANSFER_IN,
                entered.deltas,
                source,
                reason,
                line.unit_cost,
            )
            # INV-8: into the batches the units travel in (the shipment's, in its order)
            travelling = await store_of(work.uow).transfers.in_transit_batches(
                transfer, line.sku_id
            )
            parts = [
                replace(movement, deltas=part.deltas, batch_id=batch_id)
                for batch_id, part in by_batches(travelling, entered)
            ]
            for part in parts or [movement]:
                await move(work.uow, work.ctx, part)
        await _save(work, transfer, before, version)
        damaged = sum(g.damaged for g in receipt.lines)
        short = sum(g.short for g in receipt.lines)
        if damaged or short:
            work.audit(
                transfer.id,
                detail={"receipt": str(receipt.id), "damaged": damaged, "short": short},
                action="transfer.discrepancy",
            )
            work.emit(
                DomainEvent(
                    DISCREPANCY,
                    ENTITY,
                    transfer.id,
                    data={
                        "receiptId": str(receipt.id),
                        "damaged": str(damaged),
                        "short": str(short),
                    },
                )
            )
        await stock_moved(
            work,
            ((transfer.line(g.line_no).sku_id, transfer.destination_id) for g in receipt.lines),
        )
        return transfer


class GetTransfer(ById[Transfer], entity=ENTITY, permission=INVENTORY_READ):
    pass


class ListTransfers(InIdOrder[Transfer], entity=ENTITY, permission=INVENTORY_READ):
    """Transfers, oldest first (headers: where each stands)."""
