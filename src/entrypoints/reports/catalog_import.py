"""The import error report (CAT-2), shared by the HTTP route and the CLI: every bad row
with its row number, column, code and a message in the reader's language."""

from __future__ import annotations

from collections.abc import Sequence

from application.catalog.ports.files import TableFiles
from domain.catalog.file_layout import escape_cell
from domain.shared.file_rows import RowError
from entrypoints.messages import message

REPORT_COLUMNS = ("row", "column", "code", "message")  # headings: import_report_<column>


def error_report(
    errors: Sequence[RowError], language: str, file_format: str, tables: TableFiles
) -> bytes:
    """Cells escaped like exports: a message may quote a formula-looking value."""
    rows = [[message(f"import_report_{column}", language) for column in REPORT_COLUMNS]]
    rows.extend(
        [
            str(e.row),
            escape_cell(e.column or ""),
            e.code,
            escape_cell(message(e.code, language, **e.params)),
        ]
        for e in errors
    )
    return tables.write(rows, file_format)


def error_line(error: RowError, language: str) -> str:
    column = f", {error.column}" if error.column else ""
    text = message(error.code, language, **error.params)
    return f"row {error.row}{column}: {text} [{error.code}]"
