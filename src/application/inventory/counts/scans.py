"""Counting by scanning (INV-4, #14): each scan of a SKU's code or barcode counts one more
unit (or ``quantity`` more) of its line — added in the database to what the line holds, so
two counters scanning the same SKU at once both count (never a figure read, incremented
and written back). Blind like the entry: the answer is the counter's own figure, never
the book quantity."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.inventory.common import store_of
from application.inventory.counts.commands import load_count
from application.shared.use_case import Command, Work
from domain.catalog.codes import barcode_key, code_key
from domain.inventory.count import CountKind, CountStatus
from domain.inventory.permissions import INVENTORY_COUNT
from domain.inventory.stock import positive
from domain.shared.errors import ValidationFailed

MAX_UNITS = 10_000  # units one scan may add (a scanner's typed quantity, not a count)


@dataclass(frozen=True)
class Scanned:
    count_id: UUID
    sku_id: UUID
    sku_code: str | None  # when the scan named it by its code or barcode
    counted: int  # the line's count now
    uncounted: int


class ScanCount(
    Command[Scanned], action="stock_count.scan", permission=INVENTORY_COUNT, target="count_id"
):
    """``quantity`` more units of a SKU counted (a scan: 1), the SKU by its id or by the
    code or barcode scanned (``code``). The line's book quantity is snapshotted with it,
    as an entry does. A full count takes a SKU not on its list (goods found); a cycle
    count refuses it. A SKU counted per batch or per serial (INV-8) is entered with its
    batches or serials (``EnterCounts``): a bare scan is refused."""

    count_id: UUID
    sku_id: UUID | None = None
    code: str | None = None
    quantity: int = 1


class ScanCountHandler:
    async def handle(self, command: ScanCount, work: Work) -> Scanned:
        field = "code" if command.sku_id is None else "skuId"
        if command.sku_id is not None and command.code is not None:
            raise ValidationFailed.single("code", "given_twice", id_field="skuId")
        positive(command.quantity)
        if command.quantity > MAX_UNITS:
            raise ValidationFailed.single("quantity", "too_many", max=MAX_UNITS)
        store = store_of(work.uow)
        # Locked, so a scan never lands in a session being submitted at the same time.
        session = await load_count(work.uow, command.count_id, for_update=True)
        session.check_status(CountStatus.COUNTING)
        sku_id, sku_code = command.sku_id, None
        if sku_id is None:
            given = (command.code or "").strip()
            if not given:
                raise ValidationFailed.single("code", "required")
            named = await store.skus.find(code_key(given), barcode_key(given))
            if named is None:
                raise ValidationFailed.single("code", "unknown_sku_code", sku=given)
            sku_id, sku_code = named.id, named.code
        settings = await store.batches.sku_settings(sku_id)
        if settings.batch_managed:
            raise ValidationFailed.single(field, "batch_required")
        if settings.serial_managed:
            raise ValidationFailed.single(field, "serials_required")
        counted = await store.counts.add_counted(
            session.id,
            sku_id,
            command.quantity,
            work.ctx.actor.label,
            work.clock.now(),
            add=session.kind is CountKind.FULL,
        )
        if counted is None:
            raise ValidationFailed.single(field, "sku_not_in_count")
        work.audit(
            session.id,
            detail={"sku_id": str(sku_id), "units": command.quantity, "counted": counted},
        )
        return Scanned(
            session.id, sku_id, sku_code, counted, await store.counts.uncounted(session.id)
        )
