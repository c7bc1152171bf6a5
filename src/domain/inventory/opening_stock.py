"""Opening stock from a file (CSV/XLSX; #10): the column layout and the row rules.

Columns (header = row 1; a header cell's last line is its code, so a label may stand above
it, as in catalog files): ``sku_code``, ``warehouse_code``, ``quantity`` (required), then
``bin_code`` and ``unit_cost`` (optional; ``unit_cost`` only for a requester holding
``inventory:costing``). One row posts one receipt of ``quantity`` units (a whole number,
at least 1) of the SKU into the warehouse (and bin), at the unit cost if given (a decimal,
at least 0, up to six places). The same SKU, warehouse and bin twice in a file is an error
on both rows: an opening balance is stated once. Errors are ``RowError``s, as the catalog
import's (row numbers are the spreadsheet's), and the cells are unescaped alike.

Batches and serials (INV-8): ``batch_no`` with optional ``production_date`` and
``expiry_date`` (YYYY-MM-DD; a date without a batch number is an error), and ``serials``
(one per unit, separated by ``;``, ``,``, spaces or line breaks; none twice in the file for
a SKU). Whether a SKU needs or refuses them is its setting, checked against what is stored
by the application's evaluation; here only their form. The same SKU, warehouse, bin and
batch twice is an error on both rows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from uuid import UUID

from domain.catalog.codes import code_key
from domain.catalog.file_layout import HEADER_ROW, header_code, unescape_cell
from domain.inventory.batches import BatchInput, named, scanned
from domain.shared.errors import ValidationFailed
from domain.shared.file_rows import RowError

COLUMNS = (
    "sku_code",
    "warehouse_code",
    "quantity",
    "bin_code",
    "unit_cost",
    "batch_no",
    "production_date",
    "expiry_date",
    "serials",
)
SERIAL_SEPARATORS = re.compile(r"[;,\s]+")
REQUIRED = ("sku_code", "warehouse_code", "quantity")
MAX_QUANTITY = 10**12
COST_PLACES = 6
SOURCE_TYPE = "opening_stock"


def read_header(cells: Sequence[str]) -> tuple[tuple[str, ...], list[RowError]]:
    errors: list[RowError] = []
    columns: list[str] = []
    for raw in cells:
        column = header_code(raw)
        if column not in COLUMNS:
            errors.append(RowError(HEADER_ROW, column or None, "unknown_column"))
        elif column in columns:
            errors.append(RowError(HEADER_ROW, column, "duplicate"))
        columns.append(column)
    errors.extend(RowError(HEADER_ROW, c, "required") for c in REQUIRED if c not in columns)
    return tuple(columns), errors


@dataclass(frozen=True)
class StockRow:
    """A row as written: codes and numbers checked for form, not yet looked up."""

    row: int
    sku_code: str
    warehouse_code: str
    quantity: int
    bin_code: str | None
    unit_cost: Decimal | None
    batch: BatchInput | None = None
    serials: tuple[str, ...] = ()


@dataclass(frozen=True)
class OpeningLine:
    """A row looked up: what its receipt posts."""

    row: int
    sku_id: UUID
    warehouse_id: UUID
    quantity: int
    bin_id: UUID | None
    unit_cost: Decimal | None
    batch: BatchInput | None = None
    serials: tuple[str, ...] = ()


# Where a batch's or serials' refusal (a field of the API) lands in the file.
_FIELD_COLUMNS = {
    "batchNo": "batch_no",
    "productionDate": "production_date",
    "expiryDate": "expiry_date",
    "serials": "serials",
}


def _row_errors(number: int, error: ValidationFailed) -> list[RowError]:
    return [
        RowError(number, _FIELD_COLUMNS.get(e.field, e.field), e.code, e.params)
        for e in error.errors
    ]


def _date(
    values: Mapping[str, str], column: str, number: int, found: list[RowError]
) -> date | None:
    text = values.get(column, "")
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        found.append(RowError(number, column, "invalid_date"))
        return None


def _batch_and_serials(
    values: Mapping[str, str], number: int, quantity: int | None, found: list[RowError]
) -> tuple[BatchInput | None, tuple[str, ...]]:
    """The row's batch and serials, checked for form (INV-8)."""
    made, produced = None, _date(values, "production_date", number, found)
    expires = _date(values, "expiry_date", number, found)
    if values.get("batch_no"):
        try:
            made = BatchInput(values["batch_no"], produced, expires)
        except ValidationFailed as error:
            found.extend(_row_errors(number, error))
    elif produced or expires:
        found.append(RowError(number, "batch_no", "required"))
    given = [s for s in SERIAL_SEPARATORS.split(values.get("serials", "")) if s]
    if not given or quantity is None:
        return made, ()
    try:
        return made, tuple(scanned(given, quantity, managed=True))
    except ValidationFailed as error:
        found.extend(_row_errors(number, error))
        return made, ()


def _quantity(text: str) -> int | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if value != value.to_integral_value() or not 1 <= value <= MAX_QUANTITY:
        return None
    return int(value)


def _cost(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value.as_tuple().exponent < -COST_PLACES:  # type: ignore[operator]
        return None
    return value


def parse_rows(
    columns: Sequence[str], rows: Sequence[Sequence[str]]
) -> tuple[list[StockRow], list[RowError]]:
    """Each non-blank row checked for form; the same SKU, warehouse and bin twice is an
    error on every row that has it."""
    parsed: list[StockRow] = []
    errors: list[RowError] = []
    for index, cells in enumerate(rows):
        number = HEADER_ROW + 1 + index
        values = {
            column: unescape_cell(cells[i]).strip() if i < len(cells) else ""
            for i, column in enumerate(columns)
        }
        if not any(values.values()):
            continue  # a blank line
        found: list[RowError] = [
            RowError(number, c, "required") for c in REQUIRED if not values.get(c)
        ]
        quantity = _quantity(values.get("quantity", "")) if values.get("quantity") else None
        if values.get("quantity") and quantity is None:
            found.append(
                RowError(number, "quantity", "invalid_stock_quantity", {"max": MAX_QUANTITY})
            )
        cost_text = values.get("unit_cost", "")
        cost = _cost(cost_text) if cost_text else None
        if cost_text and cost is None:
            found.append(RowError(number, "unit_cost", "invalid_unit_cost", {"places": 6}))
        batch, serials = _batch_and_serials(values, number, quantity, found)
        if found:
            errors.extend(found)
            continue
        assert quantity is not None
        parsed.append(
            StockRow(
                number,
                values["sku_code"],
                values["warehouse_code"],
                quantity,
                values.get("bin_code") or None,
                cost,
                batch,
                serials,
            )
        )
    counts: dict[tuple[str, str, str | None, str | None], list[int]] = {}
    for row in parsed:
        batch_no = row.batch.number if row.batch else None
        key = (code_key(row.sku_code), row.warehouse_code, row.bin_code, batch_no)
        counts.setdefault(key, []).append(row.row)
    repeated = {n for rows_of in counts.values() if len(rows_of) > 1 for n in rows_of}
    errors.extend(RowError(n, "sku_code", "duplicate") for n in sorted(repeated))
    refused = _across_rows(parsed)
    errors.extend(refused)
    bad = repeated | {e.row for e in refused}
    return [r for r in parsed if r.row not in bad], errors


def _across_rows(rows: Sequence[StockRow]) -> list[RowError]:
    """What rows of a SKU must agree on (INV-8): a serial is in one row only, and a batch
    number has one set of dates — else an error on every row concerned."""
    rows_of_serial: dict[tuple[str, str], list[int]] = {}
    dates_of: dict[tuple[str, str], set[tuple[date | None, date | None]]] = {}
    rows_of_batch: dict[tuple[str, str], list[int]] = {}
    for row in rows:
        sku = code_key(row.sku_code)
        for serial in row.serials:
            rows_of_serial.setdefault((sku, serial), []).append(row.row)
        if row.batch is not None:
            key = (sku, row.batch.number)
            dates_of.setdefault(key, set()).add((row.batch.production_date, row.batch.expiry_date))
            rows_of_batch.setdefault(key, []).append(row.row)
    twice: dict[int, list[str]] = {}
    for (_, serial), numbers in rows_of_serial.items():
        if len(numbers) > 1:
            for n in numbers:
                twice.setdefault(n, []).append(serial)
    errors = [
        RowError(n, "serials", "serials_duplicated", named(sorted(s))) for n, s in twice.items()
    ]
    for key, dates in dates_of.items():
        if len(dates) > 1:
            errors.extend(
                RowError(n, "batch_no", "batch_dates_differ", {"batch": key[1]})
                for n in rows_of_batch[key]
            )
    return sorted(errors, key=lambda e: e.row)


@dataclass(frozen=True)
class Place:
    """A warehouse as the plan needs it."""

    id: UUID
    closed: bool


def plan_lines(
    rows: Sequence[StockRow],
    skus: Mapping[str, UUID],  # by the catalog's code key (codes.code_key)
    warehouses: Mapping[str, Place],  # by code
    bins: Mapping[tuple[UUID, str], UUID],
) -> tuple[list[OpeningLine], list[RowError]]:
    lines: list[OpeningLine] = []
    errors: list[RowError] = []
    for row in rows:
        found: list[RowError] = []
        sku = skus.get(code_key(row.sku_code))
        if sku is None:
            found.append(RowError(row.row, "sku_code", "unknown_sku_code", {"sku": row.sku_code}))
        place = warehouses.get(row.warehouse_code)
        bin_id = None
        if place is None:
            found.append(
                RowError(
                    row.row,
                    "warehouse_code",
                    "unknown_warehouse",
                    {"warehouse": row.warehouse_code},
                )
            )
        elif place.closed:
            found.append(
                RowError(
                    row.row, "warehouse_code", "warehouse_closed", {"warehouse": row.warehouse_code}
                )
            )
        elif row.bin_code is not None:
            bin_id = bins.get((place.id, row.bin_code))
            if bin_id is None:
                found.append(RowError(row.row, "bin_code", "unknown_bin", {"bin": row.bin_code}))
        if found or sku is None or place is None:
            errors.extend(found)
            continue
        lines.append(
            OpeningLine(
                row.row,
                sku,
                place.id,
                row.quantity,
                bin_id,
                row.unit_cost,
                row.batch,
                row.serials,
            )
        )
    return lines, errors
