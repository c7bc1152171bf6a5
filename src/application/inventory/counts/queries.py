"""Reading count sessions (INV-4): the session, the counting sheet (blind: no book
quantity), and the variance report (the supervisor's view: book, counted, variance, and
their value with ``inventory:costing``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from application.inventory.common import store_of
from application.inventory.counts.commands import CountView, load_count, view_of
from application.inventory.ports import CountedLine
from application.shared.pagination import Page, clamp_limit, decode_cursor, encode_cursor
from application.shared.reads import InIdOrder
from application.shared.use_case import Query, Reading
from domain.inventory.count import ENTITY, BatchCountLine, CountLine, CountSession, line_value
from domain.inventory.permissions import INVENTORY_COSTING, INVENTORY_COUNT, INVENTORY_READ
from domain.shared.errors import ValidationFailed


class ListCounts(InIdOrder[CountSession], entity=ENTITY, permission=INVENTORY_COUNT):
    """Count sessions, oldest first."""


class GetCount(Query[CountView], entity=ENTITY, permission=INVENTORY_COUNT, target="count_id"):
    count_id: UUID


class GetCountHandler:
    async def handle(self, query: GetCount, reading: Reading) -> CountView:
        return await view_of(reading.uow, await load_count(reading.uow, query.count_id))


@dataclass(frozen=True)
class SheetLine:
    """What a counter sees of a line: the SKU and their own count — no book quantity."""

    sku_id: UUID
    sku_code: str | None
    counted: int | None


class CountSheet(
    Query[Page[SheetLine]], entity=ENTITY, permission=INVENTORY_COUNT, target="count_id"
):
    """The counting sheet (blind entry)."""

    count_id: UUID
    cursor: str | None = None
    limit: int | None = None


class CountSheetHandler:
    async def handle(self, query: CountSheet, reading: Reading) -> Page[SheetLine]:
        limit = clamp_limit(query.limit)
        after = None
        if query.cursor:
            try:
                after = UUID(decode_cursor(query.cursor)[0])
            except (ValueError, IndexError):
                raise ValidationFailed.single("cursor", "invalid_cursor") from None
        session = await load_count(reading.uow, query.count_id)
        found = await store_of(reading.uow).counts.lines(session.id, after, limit + 1)
        items = [SheetLine(c.line.sku_id, c.sku_code, c.line.counted) for c in found[:limit]]
        more = len(found) > limit and items
        return Page(items, encode_cursor([str(items[-1].sku_id)]) if more else None)


@dataclass(frozen=True)
class VarianceLine:
    sku_id: UUID
    sku_code: str | None
    book: int | None  # on hand when the line was counted
    counted: int | None
    variance: int | None
    on_hand_now: int
    posted: int | None
    unit_cost: Decimal | None  # None without inventory:costing (or unknown)
    value: Decimal | None
    batch_no: str | None = None  # the report per batch (INV-8); None: the whole line
    expiry_date: date | None = None


@dataclass(frozen=True)
class VarianceReport:
    session: CountSession
    lines: list[VarianceLine]
    costs_shown: bool

    @property
    def total_variance(self) -> int:
        return sum(li.variance or 0 for li in self.lines)

    @property
    def total_value(self) -> Decimal | None:
        if not self.costs_shown:
            return None
        return sum((li.value or Decimal("0.00") for li in self.lines), Decimal("0.00"))


class CountVariances(
    Query[VarianceReport], entity=ENTITY, permission=INVENTORY_COUNT, target="count_id"
):
    """The supervisor's view: book quantities and variances. Needs ``inventory:read``
    besides ``inventory:count``, so a counter given only ``inventory:count`` stays blind;
    values need ``inventory:costing``. ``by_batch``: a batch-managed SKU's line as one
    line per batch (INV-8; the others as they are), adding up to the same totals."""

    count_id: UUID
    by_batch: bool = False


class CountVariancesHandler:
    async def handle(self, query: CountVariances, reading: Reading) -> VarianceReport:
        reading.require_extra(INVENTORY_READ)
        session = await load_count(reading.uow, query.count_id)
        store = store_of(reading.uow)
        found = await store.counts.lines(session.id)
        costs = reading.allows(INVENTORY_COSTING)
        unit_costs = (
            await store.unit_costs.unit_costs(session.warehouse_id, [c.line.sku_id for c in found])
            if costs
            else {}
        )
        batches = await store.counts.batch_report(session.id) if query.by_batch else {}
        lines = []
        for c in found:
            cost = unit_costs.get(c.line.sku_id)
            parts = batches.get(c.line.sku_id)
            if not parts:
                lines.append(_variance_line(c, c.line, c.on_hand_now, cost, costs))
            for part in parts or ():
                lines.append(
                    _variance_line(
                        c, part.line, part.on_hand_now, cost, costs, part.batch_no, part.expiry_date
                    )
                )
        return VarianceReport(session, lines, costs)


def _variance_line(
    counted: CountedLine,
    line: CountLine | BatchCountLine,
    on_hand_now: int,
    cost: Decimal | None,
    costs: bool,
    batch_no: str | None = None,
    expiry_date: date | None = None,
) -> VarianceLine:
    """A report line: the count line's, or one of its batches' (INV-8)."""
    return VarianceLine(
        counted.line.sku_id,
        counted.sku_code,
        line.book,
        line.counted,
        line.variance,
        on_hand_now,
        line.posted,
        cost,
        line_value(line.variance or 0, cost) if costs else None,
        batch_no,
        expiry_date,
    )
