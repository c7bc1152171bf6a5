"""Count sessions (盘点, INV-4): create, start, enter counts (blind), submit, approve (post
the variances), cancel.

Posting: each counted line's variance (counted − the on-hand figure snapshotted when the
line was counted) becomes one ``count_variance`` movement on the figure as it is at
posting — one conditional statement with its ledger row, like every movement — so what
moved after the line was counted stays. The session is locked while it posts and moves
from ``submitted`` to ``posted`` in the same transaction: it posts once, whoever else
approves at the same time (they wait for the lock, then find it posted: 409).

A batch-managed SKU (INV-8) is counted per batch: each batch's book is its on hand when
the line is counted, a batch found that is not on the books is entered with its number
(and dates), and each batch's variance is posted as its own ``count_variance`` movement
naming the batch — so its batches keep adding up to its figure. A serial-managed SKU is
counted by its serials: the entry lists those found, compared with those the books have
there at that instant; approval brings the serials found that the books lacked in and
takes the serials missing out (those still there), so the ledger and the serial registry
move together. A SKU keeping batches and serials cannot record its serials yet: its
variance is refused at approval (409 ``count_variance_needs_serials``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from application.inventory.batches.scanning import batch_into
from application.inventory.common import load_warehouse, move_posted, store_of
from application.inventory.ports import SerialDifference
from application.inventory.references import WarehouseRef, warehouse_id_of
from application.inventory.settle import stock_moved
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.inventory import stock
from domain.inventory.batches import (
    BatchInput,
    CountNeedsSerials,
    SerialsInStock,
    named,
    scanned,
)
from domain.inventory.count import (
    ENTITY,
    BatchCountLine,
    CountKind,
    CountLine,
    CountSession,
    CountStatus,
    counted_quantity,
)
from domain.inventory.permissions import INVENTORY_COUNT, INVENTORY_WRITE
from domain.inventory.stock import Movement, MovementKind, SourceDocument
from domain.shared.errors import FieldError, NotFound, ValidationFailed

MAX_ENTRIES = 500  # count lines entered in one request
MAX_BATCHES = 200  # batches of one count line (INV-8)


async def load_count(uow: UnitOfWork, count_id: UUID, *, for_update: bool = False) -> CountSession:
    session = await store_of(uow).counts.get(count_id, for_update=for_update)
    if session is None:
        raise NotFound(entity=ENTITY)
    return session


class CreateCount(Command[CountSession], action="stock_count.create", permission=INVENTORY_COUNT):
    """A count session for a warehouse: ``full`` (every SKU stocked there) or ``cycle``
    (the SKUs and/or bins named)."""

    warehouse_id: WarehouseRef
    kind: CountKind = CountKind.CYCLE
    sku_ids: tuple[UUID, ...] = ()
    bin_ids: tuple[UUID, ...] = ()
    note: str | None = None


class CreateCountHandler:
    async def handle(self, command: CreateCount, work: Work) -> CountSession:
        warehouse = await load_warehouse(
            work.uow, await warehouse_id_of(work.uow, "warehouse", command.warehouse_id)
        )
        warehouse.check_accepts_stock()  # a count may post found goods: an open warehouse
        if command.bin_ids:
            bins = {b.id for b in await store_of(work.uow).warehouses.bins(warehouse.id)}
            unknown = [
                FieldError(f"binIds[{i}]", "unknown_bin")
                for i, b in enumerate(command.bin_ids)
                if b not in bins
            ]
            if unknown:
                raise ValidationFailed(unknown)
        session = CountSession.create(
            work.ids.new_id(),
            warehouse.id,
            command.kind,
            command.sku_ids,
            command.bin_ids,
            command.note,
            work.ctx.actor.label,
            work.clock.now(),
        )
        await store_of(work.uow).counts.add(session)
        work.audit(session.id, None, {**session.snapshot(), "warehouse_id": str(warehouse.id)})
        work.publish(session)
        return session


@dataclass(frozen=True)
class CountView:
    """A session with how many lines it has and how many are not counted yet."""

    session: CountSession
    lines: int
    uncounted: int


async def view_of(uow: UnitOfWork, session: CountSession) -> CountView:
    counts = store_of(uow).counts
    return CountView(
        session, len(await counts.lines(session.id)), await counts.uncounted(session.id)
    )


class StartCount(
    Command[CountView], action="stock_count.start", permission=INVENTORY_COUNT, target="count_id"
):
    """Counting begins: the lines are fixed."""

    count_id: UUID
    expected_version: int | None


class SubmitCount(
    Command[CountView], action="stock_count.submit", permission=INVENTORY_COUNT, target="count_id"
):
    """The counters are done (every line counted)."""

    count_id: UUID
    expected_version: int | None


class CancelCount(
    Command[CountView], action="stock_count.cancel", permission=INVENTORY_COUNT, target="count_id"
):
    """Dropped before posting: nothing is posted."""

    count_id: UUID
    expected_version: int | None


CountStep = StartCount | SubmitCount | CancelCount


async def _stepped(
    work: Work, session: CountSession, before: dict[str, object], version: int
) -> None:
    await store_of(work.uow).counts.save(session, version)
    work.audit(session.id, before, session.snapshot())
    work.publish(session)


class CountStepHandler:
    """Start, submit or cancel (registered for each)."""

    async def handle(self, command: CountStep, work: Work) -> CountView:
        counts = store_of(work.uow).counts
        session = await load_count(work.uow, command.count_id, for_update=True)
        check_version(command.expected_version, session.version)
        before, version, now = session.snapshot(), session.version, work.clock.now()
        if isinstance(command, StartCount):
            session.start(now)
            await counts.fix_lines(session)
        elif isinstance(command, SubmitCount):
            session.submit(await counts.uncounted(session.id), work.ctx.actor.label, now)
        else:
            session.cancel(now)
        await _stepped(work, session, before, version)
        return await view_of(work.uow, session)


@dataclass(frozen=True)
class BatchCount:
    """What was counted in one batch of a batch-managed SKU (INV-8): its number, and its
    dates for a batch found that the books do not know."""

    batch_no: str
    counted: int
    production_date: date | None = None
    expiry_date: date | None = None


@dataclass(frozen=True)
class Entry:
    sku_id: UUID
    counted: int
    batches: tuple[BatchCount, ...] = ()  # INV-8: required for a batch-managed SKU's units
    serials: tuple[str, ...] = ()  # INV-8: the serials found, for a serial-managed SKU


async def _serials(work: Work, entry: Entry) -> list[str] | None:
    """The serials found, for a SKU that keeps serials but not batches (one per unit
    counted, none twice); None for another SKU (serials refused)."""
    settings = await store_of(work.uow).batches.sku_settings(entry.sku_id)
    if settings.serial_managed and settings.batch_managed:
        if entry.serials:
            raise ValidationFailed.single("serials", "count_serials_with_batches")
        return None
    if not settings.serial_managed or not (entry.counted or entry.serials):
        scanned(entry.serials, entry.counted, managed=False)
        return [] if settings.serial_managed else None
    return scanned(entry.serials, entry.counted, managed=True)


async def _by_batch(work: Work, i: int, entry: Entry) -> dict[UUID, int] | None:
    """The entry's counts per batch id for a batch-managed SKU (its batches adding up to
    its count; a batch found is created with its dates), None for another SKU; a refusal
    names the line."""
    settings = await store_of(work.uow).batches.sku_settings(entry.sku_id)
    where = f"lines[{i}]"
    if len(entry.batches) > MAX_BATCHES:
        raise ValidationFailed.single(f"{where}.batches", "too_many", max=MAX_BATCHES)
    if not settings.batch_managed:
        if entry.batches:
            raise ValidationFailed.single(f"{where}.batches", "not_batch_managed")
        return None
    found = sum(b.counted for b in entry.batches)
    if found != entry.counted:
        raise ValidationFailed.single(
            f"{where}.batches", "batch_counts_differ", counted=entry.counted, batches=found
        )
    counted: dict[UUID, int] = {}
    for j, given in enumerate(entry.batches):
        try:
            counted_quantity(given.counted, "counted")
            batch_id = await batch_into(
                work,
                entry.sku_id,
                BatchInput(given.batch_no, given.production_date, given.expiry_date),
            )
        except ValidationFailed as error:
            raise error.under(f"{where}.batches[{j}]") from None
        if batch_id in counted:
            raise ValidationFailed.single(f"{where}.batches[{j}].batchNo", "duplicate_batch")
        counted[batch_id] = given.counted
    return counted


@dataclass(frozen=True)
class Entered:
    """What a counter learns back: how many lines are counted — never a book quantity."""

    count_id: UUID
    entered: int
    uncounted: int


class EnterCounts(
    Command[Entered], action="stock_count.enter", permission=INVENTORY_COUNT, target="count_id"
):
    """Blind entry: the counted quantities of some lines (a recount replaces a line's).
    Each line's book quantity is snapshotted as it is entered; the counter never sees it.
    A full count takes SKUs not on its list (goods found); a cycle count refuses them."""

    count_id: UUID
    entries: tuple[Entry, ...]


class EnterCountsHandler:
    async def handle(self, command: EnterCounts, work: Work) -> Entered:
        if not command.entries:
            raise ValidationFailed.single("lines", "required")
        if len(command.entries) > MAX_ENTRIES:
            raise ValidationFailed.single("lines", "too_many", max=MAX_ENTRIES)
        for i, entry in enumerate(command.entries):
            counted_quantity(entry.counted, f"lines[{i}].counted")
        # Locked, so an entry never lands in a session being submitted at the same time.
        session = await load_count(work.uow, command.count_id, for_update=True)
        session.check_status(CountStatus.COUNTING)
        counts, now, by = store_of(work.uow).counts, work.clock.now(), work.ctx.actor.label
        missing = []
        for i, entry in enumerate(command.entries):
            written = await counts.record(
                session.id,
                entry.sku_id,
                entry.counted,
                by,
                now,
                add=session.kind is CountKind.FULL,
            )
            if not written:
                missing.append(FieldError(f"lines[{i}].skuId", "sku_not_in_count"))
                continue
            by_batch = await _by_batch(work, i, entry)
            if by_batch is not None:
                await counts.record_batches(session.id, entry.sku_id, by_batch)
            try:
                serials = await _serials(work, entry)
            except ValidationFailed as error:
                raise error.under(f"lines[{i}]") from None
            if serials is not None:
                await counts.record_serials(session.id, entry.sku_id, serials)
        if missing:
            raise ValidationFailed(missing)
        work.audit(session.id, detail={"lines": len(command.entries)})
        return Entered(session.id, len(command.entries), await counts.uncounted(session.id))


@dataclass(frozen=True)
class PostedCount:
    view: CountView
    posted_lines: int  # lines whose variance was posted (non-zero)


class ApproveCount(
    Command[PostedCount], action="stock_count.post", permission=INVENTORY_COUNT, target="count_id"
):
    """A supervisor approves a submitted count: its variances are posted as
    ``count_variance`` movements. Needs ``inventory:write`` besides ``inventory:count``
    (it changes stock: a counter holding only ``inventory:count`` cannot post their own
    count)."""

    count_id: UUID
    expected_version: int | None


class ApproveCountHandler:
    async def handle(self, command: ApproveCount, work: Work) -> PostedCount:
        work.require_extra(INVENTORY_WRITE)
        counts = store_of(work.uow).counts
        session = await load_count(work.uow, command.count_id, for_update=True)
        check_version(command.expected_version, session.version)
        before, version = session.snapshot(), session.version
        session.post(work.ctx.actor.label, work.clock.now())
        posted, touched = 0, set()
        by_batch = await counts.batch_lines(session.id)
        by_serials = await counts.serial_lines(session.id)
        settings = store_of(work.uow).batches.sku_settings
        for counted in await counts.lines(session.id):
            line, batches = counted.line, by_batch.get(counted.line.sku_id, [])
            kept = await settings(line.sku_id)
            if kept.serial_managed and not kept.batch_managed:
                differs = by_serials.get(line.sku_id)
                if differs is None:
                    continue
                change = await _post_serials(work, session, line, differs)
                await counts.mark_posted(session.id, line.sku_id, change)
                posted += 1
                touched.add(line.sku_id)
                continue
            moving = [b for b in batches if b.variance]
            if not (moving or (line.variance and not batches)):
                continue
            if kept.serial_managed:
                raise CountNeedsSerials(sku=str(line.sku_id), counted=line.counted, book=line.book)
            if not batches:
                await _post(work, session, line, line.variance or 0)
            # INV-8: each batch's own variance, gains first (a loss then finds them there)
            for part in sorted(moving, key=lambda b: -b.variance):
                await _post(work, session, part, part.variance, part.batch_id)
                await counts.mark_batch_posted(session.id, part, part.variance)
            await counts.mark_posted(session.id, line.sku_id, line.variance or 0)
            posted += 1
            touched.add(line.sku_id)
        await _stepped(work, session, before, version)
        await stock_moved(work, ((sku, session.warehouse_id) for sku in touched))
        return PostedCount(await view_of(work.uow, session), posted)


async def _post(
    work: Work,
    session: CountSession,
    line: CountLine | BatchCountLine,
    variance: int,
    batch_id: UUID | None = None,
) -> int:
    """One ``count_variance`` movement: the line's, or one batch's (INV-8); its seq."""
    where = " in the batch" if batch_id else ""
    movement = Movement(
        line.sku_id,
        session.warehouse_id,
        MovementKind.COUNT_VARIANCE,
        stock.count_variance(variance),
        SourceDocument("stock_count", session.id),
        f"count: counted {line.counted}, book {line.book}{where}",
        batch_id=batch_id,
    )
    return (await move_posted(work.uow, work.ctx, movement)).seq


async def _post_serials(
    work: Work, session: CountSession, line: CountLine, differs: SerialDifference
) -> int:
    """A serial-managed SKU's variance (INV-8): the serials found that the books lacked
    come in (refused, named, if they are in stock anywhere now: 409), then the serials
    missing go out — those still in stock there (one that left since is not taken
    twice) — each set one ``count_variance`` movement with the serials' history.
    Answers the change posted."""
    batches = store_of(work.uow).batches
    sku, warehouse = line.sku_id, session.warehouse_id
    if differs.found:
        refused = await batches.put_serials(sku, warehouse, None, differs.found)
        if refused:
            raise SerialsInStock(sku=str(sku), **named(refused))
        seq = await _post(work, session, line, len(differs.found))
        await batches.record_serial_moves(sku, {seq: differs.found})
    gone = (
        list(await batches.take_serials(sku, warehouse, differs.missing)) if differs.missing else []
    )
    if gone:
        seq = await _post(work, session, line, -len(gone))
        await batches.record_serial_moves(sku, {seq: gone})
    return len(differs.found) - len(gone)
