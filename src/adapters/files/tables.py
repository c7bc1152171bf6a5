"""CSV and XLSX sheets of text cells (CAT-2): python-calamine reads XLSX, xlsxwriter writes
it, the standard library does CSV.

CSV import takes UTF-8 with or without a byte-order mark, then GB18030 (what Excel saves as
"CSV" on Chinese Windows); CSV export writes UTF-8 with a BOM so spreadsheet programs read
Chinese text right. XLSX numbers read back as plain decimals (``100``, ``99.5``), booleans
as true/false; export writes every cell as a string, so nothing is reinterpreted.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal

import xlsxwriter
from python_calamine import CalamineError, CalamineWorkbook

from application.catalog.ports.files import UnreadableFile

BOM = "\ufeff"


class CsvXlsxTables:
    def read(self, content: bytes, file_format: str) -> list[list[str]]:
        if file_format == "xlsx":
            return _read_xlsx(content)
        return _read_csv(content)

    def write(self, rows: Sequence[Sequence[str]], file_format: str) -> bytes:
        if file_format == "xlsx":
            return _write_xlsx(rows)
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


def _write_xlsx(rows: Sequence[Sequence[str]]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = workbook.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value:
                sheet.write_string(r, c, value)
    workbook.close()
    return buffer.getvalue()
