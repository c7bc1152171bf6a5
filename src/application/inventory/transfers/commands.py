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
left (same number, same dates), unless the receipt names the batch of its damaged or
short units. A serial-managed SKU's serials travel with it: the shipment names them (they
leave the source, in transit to the destination), each receipt names which of the
transfer's serials arrived sound, damaged or never, and they decide the batches.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from uuid import UUID

from application.inventory.batches.scanning import Outgoing, outgoing, scan_out
from application.inventory.common import load_warehouse, move_posted, store_of
from application.inventory.references import WarehouseRef, warehouse_ids_of
from application.inventory.settle import stock_moved
from application.shared.reads import ById, InIdOrder
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.inventory.batches import SerialsNotInTransit, named, scanned
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
    by_serials,
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


class RequestTransferHandler:
    async def handle(self, command: RequestTransfer, work: Work) -> Transfer:
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
    """Out of the source's on hand, into the destination's in transit. A serial-managed
    SKU's serials are named, one per unit (INV-8): they leave the source, in transit to
    the destination."""

    transfer_id: UUID
    expected_version: int | None
    serials: tuple[tuple[UUID, tuple[str, ...]], ...] = ()  # (SKU, its serials shipped)


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
        given = _shipped_serials(command.serials, set(skus))
        source = SourceDocument("transfer", transfer.id)
        # The value each line takes out of the source (FIFO layers or the average) is the
        # unit cost it carries: its receipts bring that value in, so no value appears or
        # vanishes in transit but what a short or damaged unit loses (INV-5, INV-7).
        carried: dict[UUID, Decimal] = {}
        parts: dict[UUID, Outgoing] = {}  # per SKU: one per batch (INV-8), else one
        in_sku_order = sorted(transfer.lines, key=lambda li: li.sku_id)  # as reservations lock
        for li in in_sku_order:
            out = Movement(
                li.sku_id,
                transfer.source_id,
                MovementKind.TRANSFER_OUT,
                shipped_out(li.quantity),
                source,
            )
            try:
                parts[li.sku_id] = await outgoing(
                    work,
                    out,
                    li.quantity,
                    shipped_out,
                    None,
                    given.get(li.sku_id),
                    in_transit_to=transfer.destination_id,
                )
            except ValidationFailed as error:  # on the body's line naming the SKU, if any
                at = next(
                    (j for j, (sku, _) in enumerate(command.serials) if sku == li.sku_id), None
                )
                raise (error if at is None else error.under(f"lines[{at}]")) from None
            posted = [await move_posted(work.uow, work.ctx, p) for p in parts[li.sku_id].movements]
            await scan_out(work, parts[li.sku_id], [p.seq for p in posted])
            known = [p.cost_amount for p in posted if p.cost_amount is not None]
            if len(known) == len(posted):
                carried[li.sku_id] = unit(-sum(known, Decimal(0)) / li.quantity)
        transfer.ship(carried, work.ctx.actor.label, now)  # its lines now carry their cost
        for li in sorted(transfer.lines, key=lambda li: li.sku_id):
            shipped = parts[li.sku_id]
            seqs = []
            for part in shipped.movements:
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
                seqs.append((await move_posted(work.uow, work.ctx, into_transit)).seq)
            await scan_out(work, shipped, seqs)  # the serials' last move: into transit here
        await _save(work, transfer, before, version)
        await stock_moved(
            work,
            [(sku, w) for sku in skus for w in (transfer.source_id, transfer.destination_id)],
        )
        return transfer


def _shipped_serials(
    given: tuple[tuple[UUID, tuple[str, ...]], ...], skus: set[UUID]
) -> dict[UUID, list[str]]:
    """A shipment's serials per SKU: each SKU once, and on the transfer."""
    serials = {sku: list(found) for sku, found in given}
    if len(serials) < len(given):
        raise ValidationFailed.single("lines", "duplicate_sku")
    others = sorted(str(sku) for sku in serials if sku not in skus)
    if others:
        raise ValidationFailed.single("lines", "serials_not_on_transfer", skus=others)
    return serials


@dataclass(frozen=True)
class BatchDiscrepancy:
    """The damaged and short units of one batch, as a receipt names them (INV-8)."""

    batch_no: str
    damaged: int = 0
    short: int = 0


@dataclass(frozen=True)
class ReceivedQuantities:
    """What arrived of one SKU: sound, damaged, short (never arrived). A batch-managed
    SKU's receipt may name the batches of its damaged and short units (``batches``; the
    rest in shipping order); a serial-managed SKU's names the serials of each (INV-8)."""

    sku_id: UUID
    received: int = 0
    damaged: int = 0
    short: int = 0
    batches: tuple[BatchDiscrepancy, ...] = ()
    serials: tuple[str, ...] = ()  # sound
    damaged_serials: tuple[str, ...] = ()
    short_serials: tuple[str, ...] = ()

    def kinds(self) -> dict[str, tuple[int, tuple[str, ...]]]:
        """Each kind of unit: how many, and the serials named for them."""
        return {
            "received": (self.received, self.serials),
            "damaged": (self.damaged, self.damaged_serials),
            "short": (self.short, self.short_serials),
        }


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
        given = {got.sku_id: (i, got) for i, got in enumerate(command.lines)}
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
            i, got = given[line.sku_id]
            try:
                parts = await _arriving(work, transfer, got, entered)
            except ValidationFailed as error:
                raise error.under(f"lines[{i}]") from None
            if not parts:
                parts = [(None, entered, [])]
            for batch_id, part, serials in parts:
                posted = await move_posted(
                    work.uow,
                    work.ctx,
                    replace(movement, deltas=part.deltas, batch_id=batch_id),
                )
                if serials:
                    await store_of(work.uow).batches.record_serial_moves(
                        line.sku_id, {posted.seq: serials}
                    )
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


async def _arriving(
    work: Work, transfer: Transfer, got: ReceivedQuantities, entered: ReceivedLine
) -> list[tuple[UUID | None, ReceivedLine, list[str]]]:
    """Where a receipt line's units go, per batch, with the serials each part carries
    (INV-8): a serial-managed SKU's serials decide; else a batch-managed SKU's units go
    into the batches they travel in (those named for damaged and short units, the rest in
    shipping order); else nothing to split (empty)."""
    store = store_of(work.uow)
    settings = await store.batches.sku_settings(got.sku_id)
    if settings.serial_managed:
        if got.batches:
            raise ValidationFailed.single("batches", "batch_given_by_serials")
        return await _arriving_serials(work, transfer, got, entered)
    for name, (_, serials) in got.kinds().items():
        if serials:
            raise ValidationFailed.single(_SERIALS_FIELD[name], "not_serial_managed")
    if got.batches and not settings.batch_managed:
        raise ValidationFailed.single("batches", "not_batch_managed")
    named: dict[UUID, tuple[int, int]] = {}
    for j, part in enumerate(got.batches):
        batch = await store.batches.named(got.sku_id, part.batch_no.strip())
        if batch is None:
            raise NotFound(entity="batch")
        if batch.id in named:
            raise ValidationFailed.single(f"batches[{j}].batchNo", "duplicate_batch")
        for name in ("damaged", "short"):
            if getattr(part, name) < 0:
                raise ValidationFailed.single(f"batches[{j}].{name}", "must_not_be_negative")
        named[batch.id] = (part.damaged, part.short)
    travelling = await store.transfers.in_transit_batches(transfer, got.sku_id)
    return [(b, part, []) for b, part in by_batches(travelling, entered, named)]


_SERIALS_FIELD = {"received": "serials", "damaged": "damagedSerials", "short": "shortSerials"}


async def _arriving_serials(
    work: Work, transfer: Transfer, got: ReceivedQuantities, entered: ReceivedLine
) -> list[tuple[UUID | None, ReceivedLine, list[str]]]:
    """The serials of each kind, one per unit, none twice; only serials this transfer
    shipped and still has in transit (409 ``serials_not_in_transit``, named): sound and
    damaged ones in stock at the destination, short ones out of stock."""
    kinds: dict[str, list[str]] = {}
    for name, (units, serials) in got.kinds().items():
        try:
            kinds[name] = scanned(serials, units, managed=True) if units or serials else []
        except ValidationFailed as error:
            field = _SERIALS_FIELD[name]
            raise ValidationFailed([replace(e, field=field) for e in error.errors]) from None
    every = [serial for serials in kinds.values() for serial in serials]
    scanned(every, len(every), managed=True)  # none twice across the kinds
    arrived = await store_of(work.uow).batches.arrive_serials(
        got.sku_id, transfer.id, transfer.destination_id, every, kinds["short"]
    )
    missing = [serial for serial in every if serial not in arrived]
    if missing:
        raise SerialsNotInTransit(sku=str(got.sku_id), **named(missing))
    return by_serials(entered.line_no, arrived, kinds)


class GetTransfer(ById[Transfer], entity=ENTITY, permission=INVENTORY_READ):
    pass


class ListTransfers(InIdOrder[Transfer], entity=ENTITY, permission=INVENTORY_READ):
    """Transfers, oldest first (headers: where each stands)."""
