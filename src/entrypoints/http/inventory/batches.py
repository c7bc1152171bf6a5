"""/api/v1/inventory: batches, expiry and serials (INV-8) — the settings that decide which
SKUs keep them, the picking suggestion, stock per batch, the expiring-stock report and a
serial's history."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get, put
from litestar.params import FromPath, JSONBody, QueryParameter

from application.inventory.analysis.queries import MAX_ROWS
from application.inventory.batches.picking import GetPickingSuggestion, PickingSuggestion
from application.inventory.batches.queries import (
    Expiring,
    GetSerial,
    ListBatchStock,
    ListExpiringStock,
)
from application.inventory.batches.settings import (
    GetSkuStockSettings,
    GetStockSettings,
    SetSkuStockSettings,
    SetStockSettings,
)
from application.inventory.ports import SerialRecord
from domain.inventory.batches import Batch, BatchStock, SkuStockSettings, StockSettings
from entrypoints.http.conventions import etagged
from entrypoints.http.dependencies import Context, Dispatch, ExpectedVersion
from entrypoints.http.inventory.batch_schemas import (
    BatchOut,
    BatchStockOut,
    ExpiringOut,
    ExpiringReportOut,
    PickingSuggestionOut,
    PickOut,
    SerialMoveOut,
    SerialOut,
    SkuStockSettingsIn,
    SkuStockSettingsOut,
    StockSettingsIn,
    StockSettingsOut,
)
from entrypoints.http.permissions import needs

SkuParam = Annotated[UUID, QueryParameter(name="skuId", description="The SKU.")]
WarehouseParam = Annotated[
    str, QueryParameter(name="warehouseId", description="The warehouse: its id or its code.")
]


def settings_out(settings: StockSettings) -> StockSettingsOut:
    return StockSettingsOut.of(settings)


def sku_settings_out(settings: SkuStockSettings) -> SkuStockSettingsOut:
    return SkuStockSettingsOut.of(settings)


def batch_out(batch: Batch) -> BatchOut:
    return BatchOut.of(batch)


def batch_stock_out(stock: BatchStock) -> BatchStockOut:
    return BatchStockOut.of(stock, batch=batch_out(stock.batch), sku_id=stock.batch.sku_id)


def suggestion_out(found: PickingSuggestion) -> PickingSuggestionOut:
    picks = [PickOut(batch_out(p.batch), p.quantity) for p in found.picks]
    return PickingSuggestionOut.of(found, picks=picks, short=found.short)


def expiring_out(found: Expiring) -> ExpiringReportOut:
    items = [
        ExpiringOut.of(
            item.stock,
            batch=batch_out(item.stock.batch),
            sku_id=item.stock.batch.sku_id,
            sku_code=item.sku_code,
            warehouse_code=item.warehouse_code,
            days_left=days,
            expired=days < 0,
        )
        for item, days in found.items
    ]
    return ExpiringReportOut(found.today, found.until, items)


def serial_out(found: SerialRecord) -> SerialOut:
    moves = [SerialMoveOut.of(move, kind=move.kind.value) for move in found.moves]
    return SerialOut.of(found, moves=moves)


class BatchesController(Controller):
    path = "/"

    @get("/stock-settings", opt=needs(GetStockSettings))
    async def get_settings(self, ctx: Context, use_cases: Dispatch) -> Response[StockSettingsOut]:
        """The company's picking rule for batches and its expiry warning window (the
        defaults, version 0, until set)."""
        return etagged(settings_out, await use_cases.query(ctx, GetStockSettings()))

    @put("/stock-settings", opt=needs(SetStockSettings))
    async def set_settings(
        self,
        ctx: Context,
        use_cases: Dispatch,
        data: JSONBody[StockSettingsIn],
        expected_version: ExpectedVersion,
    ) -> Response[StockSettingsOut]:
        """Set the picking rule (``fefo``: first expiry first out; ``fifo``: first in
        first out) and how many days ahead stock counts as expiring (If-Match; ``"v0"``
        the first time)."""
        command = SetStockSettings(data.picking_rule, data.expiry_warning_days, expected_version)
        return etagged(settings_out, await use_cases.run(ctx, command))

    @get("/skus/{sku_id:uuid}/stock-settings", opt=needs(GetSkuStockSettings))
    async def get_sku_settings(
        self, ctx: Context, use_cases: Dispatch, sku_id: FromPath[UUID]
    ) -> Response[SkuStockSettingsOut]:
        """Whether inventory keeps batches and serials of the SKU, and its own picking
        rule (version 0: never set, nothing kept)."""
        return etagged(sku_settings_out, await use_cases.query(ctx, GetSkuStockSettings(sku_id)))

    @put("/skus/{sku_id:uuid}/stock-settings", opt=needs(SetSkuStockSettings))
    async def set_sku_settings(
        self,
        ctx: Context,
        use_cases: Dispatch,
        sku_id: FromPath[UUID],
        data: JSONBody[SkuStockSettingsIn],
        expected_version: ExpectedVersion,
    ) -> Response[SkuStockSettingsOut]:
        """Keep batches and/or serials of the SKU (If-Match; ``"v0"`` the first time).
        Batch and serial keeping change only while the SKU holds no stock (409
        ``sku_has_stock``); the picking rule any time (null: the company's)."""
        command = SetSkuStockSettings(
            sku_id, data.batch_managed, data.serial_managed, data.picking_rule, expected_version
        )
        return etagged(sku_settings_out, await use_cases.run(ctx, command))

    @get("/picking-suggestion", opt=needs(GetPickingSuggestion))
    async def picking_suggestion(
        self,
        ctx: Context,
        use_cases: Dispatch,
        sku_id: SkuParam,
        warehouse_id: WarehouseParam,
        quantity: Annotated[int, QueryParameter(description="Units to pick.", ge=1)],
    ) -> PickingSuggestionOut:
        """Which batches of a batch-managed SKU to pick a quantity from, by its picking
        rule (FEFO or FIFO): each batch, how many, its expiry; ``short`` the units the
        batches cannot give. What an issue or a shipment of the SKU takes."""
        query = GetPickingSuggestion(sku_id, warehouse_id, quantity)
        return suggestion_out(await use_cases.query(ctx, query))

    @get("/batch-stock", opt=needs(ListBatchStock))
    async def batch_stock(
        self, ctx: Context, use_cases: Dispatch, sku_id: SkuParam, warehouse_id: WarehouseParam
    ) -> list[BatchStockOut]:
        """A SKU's stock per batch in a warehouse, first received first."""
        found = await use_cases.query(ctx, ListBatchStock(sku_id, warehouse_id))
        return [batch_stock_out(stock) for stock in found]

    @get("/expiring", opt=needs(ListExpiringStock))
    async def expiring(
        self,
        ctx: Context,
        use_cases: Dispatch,
        within_days: Annotated[
            int | None,
            QueryParameter(
                name="withinDays",
                description="Days ahead (default: the company's expiry warning window).",
            ),
        ] = None,
        warehouse_id: Annotated[
            str | None,
            QueryParameter(name="warehouseId", description="Only this warehouse: id or code."),
        ] = None,
        sku_id: Annotated[
            UUID | None, QueryParameter(name="skuId", description="Only this SKU.")
        ] = None,
        limit: Annotated[
            int | None, QueryParameter(description="At most this many rows.", le=MAX_ROWS)
        ] = None,
    ) -> ExpiringReportOut:
        """Batch stock expiring within the days asked, expired stock included
        (``expired``, negative ``daysLeft``), soonest first; days in the company's time
        zone."""
        query = ListExpiringStock(within_days, warehouse_id, sku_id, limit)
        return expiring_out(await use_cases.query(ctx, query))

    @get("/skus/{sku_id:uuid}/serials/{serial:str}", opt=needs(GetSerial))
    async def serial(
        self, ctx: Context, use_cases: Dispatch, sku_id: FromPath[UUID], serial: FromPath[str]
    ) -> SerialOut:
        """A serial (唯一码): where it is (warehouse, batch, in stock or issued) and the
        ledger movements that moved it, oldest first."""
        return serial_out(await use_cases.query(ctx, GetSerial(sku_id, serial)))
