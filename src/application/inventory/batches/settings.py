"""Which SKUs keep batches and serials, and the picking rule (INV-8): the tenant's
settings (picking rule, expiry warning window) and each SKU's. Saved with If-Match (never
set is version 0). A SKU's batch or serial keeping can change only while it holds no
stock anywhere: its figures would otherwise stop adding up over batches and serials."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from application.inventory.common import store_of
from application.shared.use_case import Command, Query, Reading, Work
from application.shared.versions import check_version
from domain.inventory.batches import (
    SETTINGS_ENTITY,
    SKU_SETTINGS_ENTITY,
    PickingRule,
    SkuStockSettings,
    StockSettings,
)
from domain.inventory.permissions import INVENTORY_READ, INVENTORY_WRITE
from domain.shared.errors import Conflict


class GetStockSettings(Query[StockSettings], entity=SETTINGS_ENTITY, permission=INVENTORY_READ):
    pass


class GetStockSettingsHandler:
    async def handle(self, query: GetStockSettings, reading: Reading) -> StockSettings:
        return await store_of(reading.uow).batches.settings()


class SetStockSettings(
    Command[StockSettings],
    action="stock_settings.update",
    entity=SETTINGS_ENTITY,
    permission=INVENTORY_WRITE,
):
    picking_rule: PickingRule
    expiry_warning_days: int
    expected_version: int | None  # If-Match; "v0" the first time


class SetStockSettingsHandler:
    async def handle(self, command: SetStockSettings, work: Work) -> StockSettings:
        batches = store_of(work.uow).batches
        current = await batches.settings()
        check_version(command.expected_version, current.version)
        wanted = StockSettings(command.picking_rule, command.expiry_warning_days)
        if (wanted.picking_rule, wanted.expiry_warning_days) == (
            current.picking_rule,
            current.expiry_warning_days,
        ) and current.version:
            return current
        await batches.put_settings(wanted, current.version, work.clock.now())
        work.audit(None, _settings(current), _settings(wanted))
        return replace(wanted, version=current.version + 1)


def _settings(settings: StockSettings) -> dict[str, object]:
    return {
        "picking_rule": settings.picking_rule.value,
        "expiry_warning_days": settings.expiry_warning_days,
    }


class GetSkuStockSettings(
    Query[SkuStockSettings], entity=SKU_SETTINGS_ENTITY, permission=INVENTORY_READ
):
    sku_id: UUID


class GetSkuStockSettingsHandler:
    async def handle(self, query: GetSkuStockSettings, reading: Reading) -> SkuStockSettings:
        return await store_of(reading.uow).batches.sku_settings(query.sku_id)


class SetSkuStockSettings(
    Command[SkuStockSettings],
    action="sku_stock_settings.update",
    entity=SKU_SETTINGS_ENTITY,
    permission=INVENTORY_WRITE,
    target="sku_id",
):
    sku_id: UUID
    batch_managed: bool
    serial_managed: bool
    picking_rule: PickingRule | None  # None: the tenant's
    expected_version: int | None  # If-Match; "v0" the first time


class SetSkuStockSettingsHandler:
    async def handle(self, command: SetSkuStockSettings, work: Work) -> SkuStockSettings:
        store = store_of(work.uow)
        current = await store.batches.sku_settings(command.sku_id)
        check_version(command.expected_version, current.version)
        wanted = SkuStockSettings(
            command.sku_id, command.batch_managed, command.serial_managed, command.picking_rule
        )
        kept = (current.batch_managed, current.serial_managed)
        if (wanted.batch_managed, wanted.serial_managed) != kept and await _holds_stock(
            work, command.sku_id
        ):
            raise Conflict("sku_has_stock", sku=str(command.sku_id))
        if replace(wanted, version=current.version) == current and current.version:
            return current
        await store.batches.put_sku_settings(wanted, current.version, work.clock.now())
        work.audit(command.sku_id, _sku_settings(current), _sku_settings(wanted))
        return replace(wanted, version=current.version + 1)


def _sku_settings(settings: SkuStockSettings) -> dict[str, object]:
    return {
        "batch_managed": settings.batch_managed,
        "serial_managed": settings.serial_managed,
        "picking_rule": settings.picking_rule.value if settings.picking_rule else None,
    }


async def _holds_stock(work: Work, sku_id: UUID) -> bool:
    levels = await store_of(work.uow).stock.levels(sku_id, None, None, 10_000)
    return any(any(level.figures.as_dict().values()) for level in levels)
