"""What a movement of a SKU with batches or serials adds (INV-8): on the way in, the
batch (required for a batch-managed SKU) and the serials scanned in; on the way out, the
batches the units come from (the serials' own, the one named, or the picking suggestion)
and the serials scanned out. Serials go in and out as sets (one statement each), and a
refusal names them; the command's transaction then rolls back, so nothing changes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from application.inventory.batches.picking import split_by_batches
from application.inventory.common import store_of
from application.shared.use_case import Work
from domain.inventory.batches import (
    BatchInput,
    BatchRequired,
    SerialsInStock,
    SerialsNotInStock,
    named,
    scanned,
)
from domain.inventory.stock import Deltas, Movement
from domain.shared.errors import NotFound, ValidationFailed


@dataclass(frozen=True)
class BatchFields:
    """A document's optional batch fields, as a receipt or an issue gives them."""

    batch_no: str | None = None
    production_date: date | None = None
    expiry_date: date | None = None

    def batch(self) -> BatchInput | None:
        if self.batch_no is None:
            if self.production_date or self.expiry_date:
                raise ValidationFailed.single("batchNo", "required")
            return None
        return BatchInput(self.batch_no, self.production_date, self.expiry_date)


@dataclass(frozen=True)
class Incoming:
    """Where received units go: their batch (None: batches not kept) and serials."""

    batch_id: UUID | None
    serials: list[str]


async def incoming(
    work: Work, sku_id: UUID, quantity: int, fields: BatchFields, serials: Sequence[str] | None
) -> Incoming:
    batches = store_of(work.uow).batches
    settings = await batches.sku_settings(sku_id)
    given = fields.batch()
    if given is None and settings.batch_managed:
        raise BatchRequired(sku_id)
    if given is not None and not settings.batch_managed:
        raise ValidationFailed.single("batchNo", "not_batch_managed")
    checked = scanned(serials, quantity, managed=settings.serial_managed)
    if given is None:
        return Incoming(None, checked)
    return Incoming(await batch_into(work, sku_id, given), checked)


async def batch_into(work: Work, sku_id: UUID, given: BatchInput) -> UUID:
    """The SKU's batch of that number, created with its dates by the first document naming
    it (a receipt, a count finding it); other dates for a known number are refused."""
    batch = await store_of(work.uow).batches.batch(
        sku_id, given, work.ids.new_id(), work.clock.now()
    )
    if given.differs_from(batch):
        raise ValidationFailed.single("batchNo", "batch_dates_differ", batch=batch.number)
    return batch.id


async def scan_in(work: Work, movement: Movement, serials: list[str], seq: int) -> None:
    """Put the received serials in stock (in the movement's warehouse and batch) and in
    their history; serials in stock already are refused, named."""
    if not serials:
        return
    batches = store_of(work.uow).batches
    refused = await batches.put_serials(
        movement.sku_id, movement.warehouse_id, movement.batch_id, serials
    )
    if refused:
        raise SerialsInStock(sku=str(movement.sku_id), **named(refused))
    await batches.record_serial_moves(movement.sku_id, {seq: serials})


@dataclass(frozen=True)
class Outgoing:
    """A taking movement as the ledger gets it: one movement per batch, and the serials
    each carries out (by the movement's position)."""

    movements: list[Movement]
    serials: list[list[str]]


async def outgoing(
    work: Work,
    movement: Movement,
    quantity: int,
    deltas_of: Callable[[int], Deltas],
    batch_no: str | None,
    serials: Sequence[str] | None,
    *,
    suggest: bool = True,
    scan: bool = True,
    in_transit_to: UUID | None = None,
) -> Outgoing:
    """The serials scanned out decide the batches; else the batch named; else, for a
    batch-managed SKU, the picking suggestion (``suggest``; otherwise the batch is
    required). ``scan``: the units leave, so a serial-managed SKU's serials are scanned
    out (a state change keeps them in stock); ``in_transit_to``: a transfer ships them
    to that warehouse (INV-5), in transit rather than issued."""
    batches = store_of(work.uow).batches
    settings = await batches.sku_settings(movement.sku_id)
    checked = scanned(serials, quantity, managed=settings.serial_managed and scan)
    if batch_no is None and settings.batch_managed and not suggest:
        raise BatchRequired(movement.sku_id)
    if batch_no is not None:
        if not settings.batch_managed:
            raise ValidationFailed.single("batchNo", "not_batch_managed")
        if checked:
            raise ValidationFailed.single("batchNo", "batch_given_by_serials")
        batch = await batches.named(movement.sku_id, batch_no.strip())
        if batch is None:
            raise NotFound(entity="batch")
        return Outgoing([replace(movement, batch_id=batch.id)], [[]])
    if checked:
        return await _by_serials(work, movement, checked, deltas_of, in_transit_to)
    parts = await split_by_batches(work.uow, movement, quantity, deltas_of)
    return Outgoing(parts, [[] for _ in parts])


async def _by_serials(
    work: Work,
    movement: Movement,
    serials: list[str],
    deltas_of: Callable[[int], Deltas],
    in_transit_to: UUID | None,
) -> Outgoing:
    batches = store_of(work.uow).batches
    taken = await batches.take_serials(
        movement.sku_id, movement.warehouse_id, serials, in_transit_to=in_transit_to
    )
    if len(taken) < len(serials):
        missing = [s for s in serials if s not in taken]
        known = await batches.serial_states(movement.sku_id, missing)
        unknown = [s for s in missing if s not in known]
        elsewhere = [s for s in missing if s in known]
        raise SerialsNotInStock(
            sku=str(movement.sku_id),
            unknown=named(unknown)["serials"],
            not_here=named(elsewhere)["serials"],
            **named(missing),
        )
    by_batch: dict[UUID | None, list[str]] = {}
    for serial in serials:
        by_batch.setdefault(taken[serial], []).append(serial)
    ordered = sorted(by_batch.items(), key=lambda item: str(item[0]))
    return Outgoing(
        [replace(movement, deltas=deltas_of(len(group)), batch_id=b) for b, group in ordered],
        [group for _, group in ordered],
    )


async def scan_out(work: Work, outgoing: Outgoing, seqs: list[int]) -> None:
    """The serials' history: each serial to the ledger row that took it out."""
    moves = {seq: group for seq, group in zip(seqs, outgoing.serials, strict=True) if group}
    if moves:
        await store_of(work.uow).batches.record_serial_moves(outgoing.movements[0].sku_id, moves)
