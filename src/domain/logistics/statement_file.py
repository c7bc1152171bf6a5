"""A carrier's statement file (ORD-11): a header row, then one waybill a row — its
tracking number, billed weight in kilograms and amount in yuan (to the fen). Headers in
English or Chinese: ``tracking_no`` / ``运单号``, ``weight_kg`` / ``计费重量``, ``amount``
/ ``运费``; other columns are ignored. A row that cannot be read is an error of its own
(row and column), never a difference."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from domain.logistics.money import INVALID, MAX_PRICE, to_the_fen
from domain.logistics.rates import MAX_GRAMS
from domain.logistics.settlement import BillLine
from domain.logistics.waybill import MAX_TRACKING_NO
from domain.shared.file_rows import RowError

MAX_LINES = 100_000
COLUMNS = {
    "tracking_no": ("tracking_no", "运单号"),
    "weight_kg": ("weight_kg", "计费重量"),
    "amount": ("amount", "运费"),
}


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _line(row: int, cells: dict[str, str], errors: list[RowError]) -> BillLine | None:
    number = cells["tracking_no"].strip()
    if not number or len(number) > MAX_TRACKING_NO:
        errors.append(RowError(row, "tracking_no", "invalid_length", {"max": MAX_TRACKING_NO}))
        return None
    kg = _decimal(cells["weight_kg"])
    grams = int((kg * 1000).quantize(Decimal(1), ROUND_HALF_UP)) if kg is not None else 0
    if not 0 < grams <= MAX_GRAMS:
        errors.append(RowError(row, "weight_kg", "weight_out_of_range", {"max": MAX_GRAMS}))
        return None
    amount = to_the_fen(_decimal(cells["amount"]))
    if amount is None:
        errors.append(RowError(row, "amount", INVALID, {"max": str(MAX_PRICE)}))
        return None
    return BillLine(row, number, grams, amount)


def bill_lines(rows: Sequence[Sequence[str]]) -> tuple[list[BillLine], list[RowError]]:
    """The statement's lines and the rows that could not be read."""
    if not rows:
        return [], [RowError(1, None, "statement_empty")]
    header = [cell.strip().lower() for cell in rows[0]]
    at: dict[str, int] = {}
    for column, names in COLUMNS.items():
        found = next((header.index(n) for n in names if n in header), None)
        if found is None:
            return [], [RowError(1, column, "statement_column_missing", {"column": column})]
        at[column] = found
    if len(rows) - 1 > MAX_LINES:
        return [], [RowError(1, None, "too_many_items", {"max": MAX_LINES})]
    lines: list[BillLine] = []
    errors: list[RowError] = []
    for index, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        padded = [*cells, *[""] * (len(header) - len(cells))]
        line = _line(index, {c: padded[i] for c, i in at.items()}, errors)
        if line is not None:
            lines.append(line)
    return lines, errors
