"""Ports of catalog bulk import and export (CAT-2): reading and writing the file formats,
and the import/export records with the set-based product reads and writes an import needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from domain.catalog.file_layout import HEADER_ROW
from domain.catalog.product import Product
from domain.catalog.versions import ProductVersion
from domain.shared.file_rows import RowError

FORMATS = ("csv", "xlsx")


class UnreadableFile(Exception):
    """The bytes are not a CSV (UTF-8 or GB18030) or XLSX file."""


@dataclass(frozen=True)
class SheetFormat:
    """How an XLSX sheet shows its rows: the sheet's name, each column's kind
    (``file_layout.column_kind``: text, decimal or boolean; by position, missing
    means text) and a label to show above each header cell's code (empty: none)."""

    name: str
    kinds: Sequence[str] = ()
    labels: Sequence[str] = ()


class SheetLabels(Protocol):
    """What a person reads in an exported sheet, in their language (the messages live with
    the entrypoints, which hand this to the export job)."""

    def sheet_name(self, language: str) -> str: ...

    def column_label(self, column: str, language: str) -> str: ...


class TableFiles(Protocol):
    """A sheet of text cells in CSV or XLSX (the first sheet of a workbook)."""

    def read(self, content: bytes, file_format: str) -> list[list[str]]:
        """Every row as text cells. CSV: UTF-8 with or without BOM, else GB18030.
        ``UnreadableFile`` when neither works."""
        ...

    def write(
        self, rows: Sequence[Sequence[str]], file_format: str, sheet: SheetFormat | None = None
    ) -> bytes:
        """CSV: UTF-8 with BOM (spreadsheet programs then read Chinese right). XLSX: a
        frozen, labelled header row, widths fitted to the content, and, with ``sheet``,
        numbers and booleans typed as such (what ``read`` gives back as the same text);
        every other cell is text."""
        ...


@dataclass
class ImportRecord:
    """An uploaded file between upload, validation preview and commit."""

    id: UUID
    file_name: str
    format: str
    content: bytes
    include_cost: bool  # the uploader holds catalog:read_cost
    status: str
    check_job_id: UUID
    created_by: str
    created_at: datetime
    updated_at: datetime
    valid_only: bool | None = None
    commit_job_id: UUID | None = None
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    version: int = 1
    # Create the categories, brands and product types the file names that do not exist
    # (the uploader's choice), and what the last evaluation found missing: "categories"
    # (paths as "服装 > 男装"), "brands", "productTypes".
    create_missing: bool = False
    to_create: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class ExportRecord:
    id: UUID
    format: str
    include_cost: bool
    status: str
    job_id: UUID
    created_by: str
    created_at: datetime
    content: bytes | None = None
    products: int = 0
    finished_at: datetime | None = None


@dataclass(frozen=True)
class ProductWrite:
    """One changed product of an import: ``read_version`` None for a new product."""

    product: Product
    read_version: int | None
    version: ProductVersion


class PreparedWrites(Protocol):
    """A batch of product writes made ready by ``prepare_writes``: opaque outside the
    adapter, given back to ``write_prepared``."""


class CatalogFileStore(Protocol):
    """Import and export records of the unit of work's tenant, and the set-based product
    reads and writes of an import (one statement per kind of row, not per product)."""

    async def add_import(self, record: ImportRecord) -> None: ...

    async def get_import(
        self, import_id: UUID, *, for_update: bool = False, with_content: bool = False
    ) -> ImportRecord | None:
        """``content`` is left empty unless ``with_content``."""
        ...

    async def save_import(self, record: ImportRecord) -> None: ...

    async def add_export(self, record: ExportRecord) -> None: ...

    async def get_export(
        self, export_id: UUID, *, with_content: bool = False
    ) -> ExportRecord | None: ...

    async def save_export(self, record: ExportRecord) -> None: ...

    async def products_by_code_keys(
        self, keys: Sequence[str], *, lock: bool = False
    ) -> list[Product]:
        """Products (archived included) whose code_key is one of ``keys``; ``lock`` holds
        their rows until the transaction ends, so no other writer changes them meanwhile."""
        ...

    async def sku_owners(self, keys: Sequence[str]) -> dict[str, str]:
        """SKU code_key → the code of the product holding that SKU."""
        ...

    async def barcode_owners(self, keys: Sequence[str]) -> dict[str, str]:
        """Barcode key → the code of the product holding a SKU with that barcode."""
        ...

    def prepare_writes(self, writes: Sequence[ProductWrite]) -> PreparedWrites:
        """The parameters of the batch's statements, computed without the database: pure
        work on the given objects, safe in a worker thread (the commit prepares the next
        batch while the previous one is written)."""
        ...

    async def write_prepared(self, prepared: PreparedWrites) -> None:
        """Insert the new products and update the others (each at the version its plan
        read, else ``StaleVersion``) with their SKUs, search terms and version rows, in a
        few set-based statements."""
        ...

    async def export_batch(self, after: UUID | None, limit: int) -> list[Product]:
        """Products not archived in id order, after ``after``."""
        ...


def errors_json(errors: Sequence[RowError]) -> list[dict[str, Any]]:
    return [
        {"row": e.row, "column": e.column, "code": e.code, "params": dict(e.params)} for e in errors
    ]


def errors_from_json(items: Sequence[dict[str, Any]]) -> list[RowError]:
    return [RowError(i["row"], i["column"], i["code"], i.get("params") or {}) for i in items]


def file_rows(tables: TableFiles, content: bytes, file_format: str) -> list[list[str]] | RowError:
    """An uploaded file's rows, or the error that stops the whole file (unreadable, or
    empty) — the catalog import's and the opening-stock import's first step."""
    try:
        rows = tables.read(content, file_format)
    except UnreadableFile:
        return RowError(HEADER_ROW, None, "file_unreadable")
    return rows or RowError(HEADER_ROW, None, "file_empty")
