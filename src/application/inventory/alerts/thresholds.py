"""Thresholds (INV-3): low and high per SKU × warehouse, defaults per category. Saved with
If-Match like channel supply (none set yet is version 0); low and high both empty removes
them. A change is evaluated at once for the levels it governs, so lowering a threshold
below the stock resolves its alert and raising one above it alerts now (the sweep does the
same for anything else)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.catalog.ports.references import category_of
from application.catalog.ports.store import CATALOG
from application.inventory.alerts.evaluate import evaluate_alerts
from application.inventory.common import load_warehouse, store_of
from application.inventory.ports import LevelPosition
from application.inventory.references import WarehouseRef, warehouse_id_of
from application.shared.pagination import Page, clamp_limit, decode_cursor, encode_cursor
from application.shared.references import Reference
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Command, Query, Reading, Work
from application.shared.versions import check_version
from domain.inventory.alerts import (
    THRESHOLD_ENTITY,
    CategoryThreshold,
    StockThreshold,
    Thresholds,
)
from domain.inventory.permissions import INVENTORY_READ, INVENTORY_WRITE
from domain.shared.errors import FieldError, NotFound, ValidationFailed


def _snapshot(thresholds: Thresholds) -> dict[str, int | None]:
    return {"low": thresholds.low, "high": thresholds.high}


class SetStockThreshold(
    Command[StockThreshold],
    action="stock_threshold.update",
    entity=THRESHOLD_ENTITY,
    permission=INVENTORY_WRITE,
    target="sku_id",
):
    sku_id: UUID
    warehouse_id: WarehouseRef  # its id or its code
    low: int | None
    high: int | None
    expected_version: int | None


class SetStockThresholdHandler:
    async def handle(self, command: SetStockThreshold, work: Work) -> StockThreshold:
        thresholds = Thresholds(command.low, command.high)
        warehouse = await load_warehouse(
            work.uow, await warehouse_id_of(work.uow, "warehouse", command.warehouse_id)
        )
        store = store_of(work.uow).alerts
        current = await store.threshold(command.sku_id, warehouse.id)
        version = current.version if current else 0
        check_version(command.expected_version, version)
        before = current.thresholds if current else Thresholds()
        now = work.clock.now()
        if before == thresholds:
            return current or StockThreshold(command.sku_id, warehouse.id, thresholds, 0, now)
        changed = StockThreshold(command.sku_id, warehouse.id, thresholds, version + 1, now)
        await store.put_threshold(changed, version)
        work.audit(
            command.sku_id,
            _snapshot(before),
            _snapshot(thresholds),
            detail={"warehouse_id": str(warehouse.id)},
        )
        await evaluate_alerts(work, {(command.sku_id, warehouse.id)})
        if thresholds.empty:
            return StockThreshold(command.sku_id, warehouse.id, thresholds, 0, now)
        return changed


class ListStockThresholds(
    Query[Page[StockThreshold]], entity=THRESHOLD_ENTITY, permission=INVENTORY_READ
):
    sku_id: UUID | None = None
    warehouse_id: WarehouseRef | None = None
    cursor: str | None = None
    limit: int | None = None


class ListStockThresholdsHandler:
    async def handle(self, query: ListStockThresholds, reading: Reading) -> Page[StockThreshold]:
        limit = clamp_limit(query.limit)
        after = None
        if query.cursor:
            try:
                after = LevelPosition(*(UUID(v) for v in decode_cursor(query.cursor)))
            except (ValueError, TypeError):
                raise ValidationFailed.single("cursor", "invalid_cursor") from None
        warehouse_id = (
            await warehouse_id_of(reading.uow, "warehouseId", query.warehouse_id)
            if query.warehouse_id is not None
            else None
        )
        found = await store_of(reading.uow).alerts.thresholds(
            query.sku_id, warehouse_id, after, limit + 1
        )
        items = found[:limit]
        more = len(found) > limit and items
        cursor = (
            encode_cursor([str(items[-1].sku_id), str(items[-1].warehouse_id)]) if more else None
        )
        return Page(items, cursor)


async def category_id_of(uow: UnitOfWork, field: str, reference: Reference) -> UUID:
    """A category by id, path (``服装 > 男装``) or a top category's name; 422 otherwise."""
    found = await category_of(uow, field, reference)
    if isinstance(found, FieldError):
        raise ValidationFailed([found])
    return found


class SetCategoryThreshold(
    Command[CategoryThreshold],
    action="category_threshold.update",
    entity="category_threshold",
    permission=INVENTORY_WRITE,
):
    category: Reference  # an id (404 when unknown), or a path or name (422 when unknown)
    low: int | None
    high: int | None
    expected_version: int | None


class SetCategoryThresholdHandler:
    async def handle(self, command: SetCategoryThreshold, work: Work) -> CategoryThreshold:
        thresholds = Thresholds(command.low, command.high)
        if isinstance(command.category, UUID):
            # A path names one resource: another company's category, or none, is a 404.
            if await work.uow.of(CATALOG).categories.get(command.category) is None:
                raise NotFound(entity="category")
            category_id = command.category
        else:
            category_id = await category_id_of(work.uow, "category", command.category)
        store = store_of(work.uow).alerts
        current = await store.category_threshold(category_id)
        version = current.version if current else 0
        check_version(command.expected_version, version)
        before = current.thresholds if current else Thresholds()
        now = work.clock.now()
        if before == thresholds:
            return current or CategoryThreshold(category_id, thresholds, 0, now)
        changed = CategoryThreshold(category_id, thresholds, version + 1, now)
        await store.put_category_threshold(changed, version)
        work.audit(category_id, _snapshot(before), _snapshot(thresholds))
        # The levels it governs are many: the next sweep evaluates them (within a minute).
        if thresholds.empty:
            return CategoryThreshold(category_id, thresholds, 0, now)
        return changed


@dataclass(frozen=True)
class CategoryThresholds:
    items: list[CategoryThreshold]


class ListCategoryThresholds(
    Query[CategoryThresholds], entity="category_threshold", permission=INVENTORY_READ
):
    pass


class ListCategoryThresholdsHandler:
    async def handle(self, query: ListCategoryThresholds, reading: Reading) -> CategoryThresholds:
        return CategoryThresholds(await store_of(reading.uow).alerts.category_thresholds())


class GetStockThreshold(
    Query[StockThreshold],
    entity=THRESHOLD_ENTITY,
    permission=INVENTORY_READ,
    target="sku_id",
):
    """A SKU's own thresholds in a warehouse (none set: empty, at version 0)."""

    sku_id: UUID
    warehouse_id: UUID


class GetStockThresholdHandler:
    async def handle(self, query: GetStockThreshold, reading: Reading) -> StockThreshold:
        warehouse = await load_warehouse(reading.uow, query.warehouse_id)
        found = await store_of(reading.uow).alerts.threshold(query.sku_id, warehouse.id)
        return found or StockThreshold(
            query.sku_id, warehouse.id, Thresholds(), 0, reading.clock.now()
        )
