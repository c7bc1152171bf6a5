"""Upload an opening-stock file, ask for its commit, read it (#10). Like the catalog
import: the upload starts the check job (the dry run); the commit of a file with errors
posts nothing unless ``valid_only``; asking again returns the same record."""

from __future__ import annotations

import functools
from uuid import UUID

from application.catalog.ports.files import FORMATS
from application.inventory.common import store_of
from application.inventory.imports.common import (
    CHECK_KIND,
    COMMIT_KIND,
    ENTITY,
    StockImportView,
    load_stock_import,
)
from application.inventory.ports import StockImportRecord
from application.shared.file_imports import start_check, start_commit, uploaded_format, view_of
from application.shared.use_case import Command, Query, Reading, Work
from domain.inventory.permissions import INVENTORY_COSTING, INVENTORY_WRITE


class UploadStockImport(
    Command[StockImportView],
    action="stock_import.upload",
    entity=ENTITY,
    permission=INVENTORY_WRITE,
):
    file_name: str
    content: bytes


class UploadStockImportHandler:
    async def handle(self, command: UploadStockImport, work: Work) -> StockImportView:
        return await start_check(
            work,
            command.file_name,
            command.content,
            uploaded_format(command.file_name, command.content, FORMATS),
            CHECK_KIND,
            functools.partial(StockImportRecord, include_cost=work.allows(INVENTORY_COSTING)),
            store_of(work.uow).stock_imports.add,
        )


class CommitStockImport(
    Command[StockImportView],
    action="stock_import.commit",
    entity=ENTITY,
    permission=INVENTORY_WRITE,
    target="import_id",
):
    import_id: UUID
    valid_only: bool
    expected_version: int | None


class CommitStockImportHandler:
    async def handle(self, command: CommitStockImport, work: Work) -> StockImportView:
        record = await load_stock_import(work.uow, command.import_id, for_update=True)
        return await start_commit(
            work,
            record,
            command.valid_only,
            command.expected_version,
            COMMIT_KIND,
            store_of(work.uow).stock_imports.save,
        )


class GetStockImport(
    Query[StockImportView], entity=ENTITY, permission=INVENTORY_WRITE, target="import_id"
):
    import_id: UUID


class GetStockImportHandler:
    async def handle(self, query: GetStockImport, reading: Reading) -> StockImportView:
        return await view_of(reading.uow, await load_stock_import(reading.uow, query.import_id))
