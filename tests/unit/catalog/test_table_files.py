"""The XLSX sheet of the CSV/XLSX adapter (CAT-2; #9 item 20): typed cells that read back
as the text they were written from, a sane sheet name, labels above the header codes."""

from __future__ import annotations

import io

from python_calamine import CalamineWorkbook

from adapters.files.tables import CsvXlsxTables
from application.catalog.ports.files import SheetFormat
from domain.catalog.file_layout import header_code, read_header

ROWS = [
    ["product_code", "list_price", "sku_archived", "barcode"],
    ["P-1", "99.50", "true", "6901234567892"],
    ["P-2", "1234567890123456.78", "false", "0012"],  # 18 digits: not exact as a double
    ["P-3", "", "maybe", "=1+1"],
]
KINDS = ("text", "decimal", "boolean", "text")


def test_numbers_and_booleans_are_typed_and_read_back_as_the_same_text() -> None:
    tables = CsvXlsxTables()
    content = tables.write(ROWS, "xlsx", SheetFormat("商品", KINDS))
    cells = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert cells[1][1:3] == [99.5, True]
    assert cells[2][1] == "1234567890123456.78"  # kept as text rather than rounded
    assert cells[2][3] == "0012" and cells[3][3] == "=1+1"  # text stays text, no formula
    assert cells[3][2] == "maybe"  # not a boolean: written as it is
    again = tables.read(content, "xlsx")
    assert again[1] == ["P-1", "99.5", "true", "6901234567892"]
    assert again[2] == ["P-2", "1234567890123456.78", "false", "0012"]


def test_the_sheet_name_is_made_valid_and_an_unnamed_sheet_is_sheet1() -> None:
    tables = CsvXlsxTables()
    long_name = "商品/库存[2026]: " + "非常" * 20
    named = tables.write(ROWS, "xlsx", SheetFormat(long_name))
    names = CalamineWorkbook.from_filelike(io.BytesIO(named)).sheet_names
    assert names == [("商品库存2026 " + "非常" * 20)[:31]]
    plain = tables.write(ROWS, "xlsx")
    assert CalamineWorkbook.from_filelike(io.BytesIO(plain)).sheet_names == ["Sheet1"]


def test_a_labelled_header_cell_reads_as_its_code() -> None:
    tables = CsvXlsxTables()
    labels = ("商品编码", "标价", "", "条码")
    content = tables.write(ROWS, "xlsx", SheetFormat("商品", KINDS, labels))
    header = tables.read(content, "xlsx")[0]
    assert header[0] == "商品编码\nproduct_code" and header[2] == "sku_archived"
    assert [header_code(cell) for cell in header] == ROWS[0]
    layout, errors = read_header(header)
    assert errors == [] and layout.columns == tuple(ROWS[0])
