"""What the opening-stock import's use cases and jobs share: statuses, the record's
loading, and the evaluation of a file against what the company has."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from application.catalog.ports.files import TableFiles, file_rows
from application.inventory.common import store_of
from application.inventory.ports import StockImportRecord
from application.shared.file_imports import FileImportView, load_import
from application.shared.unit_of_work import UnitOfWork
from domain.catalog.file_layout import HEADER_ROW
from domain.inventory.batches import SkuStockSettings, named
from domain.inventory.opening_stock import OpeningLine, parse_rows, plan_lines, read_header
from domain.inventory.permissions import INVENTORY_COSTING
from domain.shared.file_rows import RowError

ENTITY = "stock_import"
CHECK_KIND = "inventory.stock_import_check"
COMMIT_KIND = "inventory.stock_import_commit"

StockImportView = FileImportView[StockImportRecord]


async def load_stock_import(
    uow: UnitOfWork, import_id: UUID, *, for_update: bool = False, with_content: bool = False
) -> StockImportRecord:
    return await load_import(
        store_of(uow).stock_imports,
        ENTITY,
        import_id,
        for_update=for_update,
        with_content=with_content,
    )


@dataclass
class Evaluation:
    lines: list[OpeningLine] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0

    @property
    def counts(self) -> dict[str, int]:
        rejected = len({e.row for e in self.errors if e.row != HEADER_ROW})
        return {
            "rows": self.rows,
            "valid": len(self.lines),
            "rejected": rejected,
            "units": sum(line.quantity for line in self.lines),
        }


async def evaluate(uow: UnitOfWork, tables: TableFiles, record: StockImportRecord) -> Evaluation:
    """The file against the company's SKUs, warehouses and bins: the receipts it would
    post and every error. A wrong header stops the whole file."""
    result = Evaluation()
    rows = file_rows(tables, record.content, record.format)
    if isinstance(rows, RowError):
        result.errors.append(rows)
        return result
    columns, header_errors = read_header(rows[0])
    if "unit_cost" in columns and not record.include_cost:
        header_errors.append(
            RowError(
                HEADER_ROW, "unit_cost", "permission_denied", {"permission": INVENTORY_COSTING}
            )
        )
    if header_errors:
        result.errors.extend(header_errors)
        return result
    parsed, errors = parse_rows(columns, rows[1:])
    result.rows = len({r.row for r in parsed} | {e.row for e in errors})
    skus, warehouses, bins = await store_of(uow).stock_imports.lookups(
        {r.sku_code for r in parsed}, {r.warehouse_code for r in parsed}
    )
    lines, planned_errors = plan_lines(parsed, skus, warehouses, bins)
    kept_errors = await _batches_and_serials(uow, lines)
    refused = {e.row for e in kept_errors}
    result.lines = [line for line in lines if line.row not in refused]
    result.errors = sorted(
        [*errors, *planned_errors, *kept_errors], key=lambda e: (e.row, e.column or "")
    )
    return result


async def _batches_and_serials(uow: UnitOfWork, lines: list[OpeningLine]) -> list[RowError]:
    """Each line against its SKU's setting and what is stored (INV-8): a batch-managed
    SKU needs its batch number and another refuses one (the same for serials); a stored
    batch keeps its dates; a serial in stock already cannot come in again."""
    batches = store_of(uow).batches
    kept = await batches.kept({line.sku_id for line in lines})
    errors: list[RowError] = []
    for line in lines:
        settings = SkuStockSettings(line.sku_id)
        if line.sku_id in kept:
            settings = await batches.sku_settings(line.sku_id)
        if settings.batch_managed and line.batch is None:
            errors.append(RowError(line.row, "batch_no", "batch_required"))
        if not settings.batch_managed and line.batch is not None:
            errors.append(RowError(line.row, "batch_no", "not_batch_managed"))
        if settings.serial_managed and not line.serials:
            errors.append(RowError(line.row, "serials", "serials_required"))
        if not settings.serial_managed and line.serials:
            errors.append(RowError(line.row, "serials", "not_serial_managed"))
        if settings.batch_managed and line.batch is not None:
            stored = await batches.named(line.sku_id, line.batch.number)
            if stored is not None and line.batch.differs_from(stored):
                errors.append(
                    RowError(line.row, "batch_no", "batch_dates_differ", {"batch": stored.number})
                )
        if settings.serial_managed and line.serials:
            states = await batches.serial_states(line.sku_id, list(line.serials))
            held = [serial for serial in line.serials if states.get(serial)]
            if held:
                errors.append(RowError(line.row, "serials", "serials_in_stock", named(held)))
    return errors
