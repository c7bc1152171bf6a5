"""CSV and XLSX sheets of text cells (CAT-2): python-calamine reads XLSX, xlsxwriter writes
it, the standard library does CSV.

CSV import takes UTF-8 with or without a byte-order mark, then GB18030 (what Excel saves as
"CSV" on Chinese Windows); CSV export writes UTF-8 with a BOM so spreadsheet programs read
Chinese text right. XLSX numbers read back as plain decimals (``100``, ``99.5``), booleans
as true/false. XLSX export types the cells a ``SheetFormat`` says are numbers or booleans
(so a spreadsheet sums prices) and writes every other cell as a string, so nothing else is
reinterpreted; numbers read back as the text they were written from (``99.50`` → ``99.5``,
the same decimal). The header row is frozen, bold, labelled when labels are given, and the
columns are as wide as their content (CJK characters counted double, within limits).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal

import xlsxwriter
from python_calamine import CalamineError, CalamineWorkbook

from application.catalog.ports.files import SheetFormat, UnreadableFile

BOM = "\ufeff"
# A spreadsheet number is a double: 15 significant digits are exact, more are kept as text.
EXACT_DIGITS = 15
MIN_WIDTH, MAX_WIDTH = 8, 50
HEADER_HEIGHT = 32  # points: a label line above the code
SHEET_NAME_LIMIT = 31  # Excel's limit; []:*?/\ are not allowed in a sheet's name
_NOT_IN_SHEET_NAMES = str.maketrans("", "", "[]:*?/\\")


class CsvXlsxTables:
    def read(self, content: bytes, file_format: str) -> list[list[str]]:
        if file_format == "xlsx":
            return _read_xlsx(content)
        return _read_csv(content)

    def write(
        self, rows: Sequence[Sequence[str]], file_format: str, sheet: SheetFormat | None = None
    ) -> bytes:
        if file_format == "xlsx":
            return _write_xlsx(rows, sheet or SheetFormat(name=""))
        buffer = io.StringIO()
        buffer.write(BOM)
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerows(rows)
        return buffer.getvalue().encode("utf-8")


def _decode(content: bytes) -> str:
    if content.startswith(BOM.encode("utf-8")):
        return content.decode("utf-8-sig")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError:
        raise UnreadableFile("neither UTF-8 nor GB18030") from None


def _read_csv(content: bytes) -> list[list[str]]:
    text = _decode(content)
    if "\x00" in text:
        raise UnreadableFile("binary content")
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as error:
        raise UnreadableFile(str(error)) from None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _read_xlsx(content: bytes) -> list[list[str]]:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except (CalamineError, ValueError, OSError, IndexError) as error:
        raise UnreadableFile(str(error)) from None
    except Exception as error:  # calamine raises its own types for broken archives
        raise UnreadableFile(type(error).__name__) from None
    return [[_cell_text(v) for v in row] for row in rows]


def _width(text: str) -> int:
    """Roughly how many character columns ``text`` takes: a wide (CJK) character two."""
    longest = max((line for line in text.splitlines()), key=len, default="")
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


def _number(value: str, kind: str) -> Decimal | None:
    """The cell's number when it is a decimal column's and fits a double exactly."""
    if kind != "decimal":
        return None
    try:
        number = Decimal(value)
    except ArithmeticError:
        return None
    exact = number.is_finite() and len(number.as_tuple().digits) <= EXACT_DIGITS
    return number if exact else None


def _write_xlsx(rows: Sequence[Sequence[str]], sheet_format: SheetFormat) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    name = sheet_format.name.translate(_NOT_IN_SHEET_NAMES)[:SHEET_NAME_LIMIT].strip()
    sheet = workbook.add_worksheet(name or None)
    header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    decimal = workbook.add_format({"num_format": "0.00########"})
    kinds, labels = sheet_format.kinds, sheet_format.labels
    widths: dict[int, int] = {}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            label = labels[c] if r == 0 and c < len(labels) else ""
            text = f"{label}\n{value}" if label else value
            widths[c] = max(widths.get(c, 0), _width(text))
            kind = kinds[c] if r > 0 and c < len(kinds) else "text"
            number = _number(value, kind) if value else None
            if r == 0:
                sheet.write_string(r, c, text, header)
            elif number is not None:
                sheet.write_number(r, c, float(number), decimal)
            elif kind == "boolean" and value in ("true", "false"):
                sheet.write_boolean(r, c, value == "true")
            elif value:
                sheet.write_string(r, c, value)
    if rows:
        sheet.freeze_panes(1, 0)
        if any(labels):
            sheet.set_row(0, HEADER_HEIGHT)
    for c, width in widths.items():
        sheet.set_column(c, c, min(max(width + 2, MIN_WIDTH), MAX_WIDTH))
    workbook.close()
    return buffer.getvalue()
