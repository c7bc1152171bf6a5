"""Wire types of thresholds, alerts, the alert robot, the daily position and the analysis
(INV-3, INV-9, INV-10). Money values are Decimal strings, null without
``inventory:costing``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from litestar.datastructures import UploadFile

from domain.inventory.alerts import AlertKind, AlertStatus, RobotKind
from entrypoints.http.catalog.schemas.files import RowErrorOut
from entrypoints.http.jobs.schemas import JobOut
from entrypoints.http.wire import PageOut, WireIn, WireOut


class ThresholdsIn(WireIn):
    low: int | None = None  # alert when available units fall below it
    high: int | None = None  # alert when units on hand rise above it


class StockThresholdOut(WireOut):
    sku_id: UUID
    warehouse_id: UUID
    low: int | None
    high: int | None
    version: int


class StockThresholdPageOut(PageOut[StockThresholdOut]):
    items: list[StockThresholdOut]


class CategoryThresholdOut(WireOut):
    category_id: UUID
    low: int | None
    high: int | None
    version: int


class StockAlertOut(WireOut):
    id: UUID
    sku_id: UUID
    sku_code: str | None
    warehouse_id: UUID
    warehouse_code: str | None
    kind: AlertKind
    status: AlertStatus
    threshold: int
    quantity: int  # available units (low) or units on hand (high) when raised
    raised_at: datetime
    resolved_at: datetime | None


class StockAlertPageOut(PageOut[StockAlertOut]):
    items: list[StockAlertOut]


class AlertRobotIn(WireIn):
    kind: RobotKind | None  # null: remove the robot
    url: str | None = None  # the robot's webhook address (it holds the robot's key)


class AlertRobotOut(WireOut):
    kind: RobotKind | None
    url: str | None  # masked: the key is not shown again
    version: int


class WarehousePositionOut(WireOut):
    warehouse_id: UUID
    warehouse_code: str
    skus: int
    on_hand: int
    available: int
    non_sellable: int
    bins: int
    free_bins: int
    received_today: int
    issued_today: int
    cost_amount: Decimal | None
    stock_value: Decimal | None


class DailyPositionOut(WireOut):
    date: date
    time_zone: str
    costs_shown: bool
    # a past day's stock value prices its units at today's list prices (none kept before)
    stock_value_at_todays_prices: bool
    warehouses: list[WarehousePositionOut]


class TurnoverOut(WireOut):
    id: UUID  # the SKU's or the category's
    code: str  # SKU code or category name
    issued: int
    opening: int
    closing: int
    average: Decimal
    turnover: Decimal | None
    days_of_stock: Decimal | None


class TurnoverReportOut(WireOut):
    start: date
    end: date
    days: int
    by: str
    items: list[TurnoverOut]


class IdleStockOut(WireOut):
    sku_id: UUID
    sku_code: str
    warehouse_id: UUID
    warehouse_code: str
    on_hand: int
    last_issue_at: datetime | None
    idle_days: int


class IdleStockReportOut(WireOut):
    slow_days: int
    dead_days: int
    slow_moving: list[IdleStockOut]
    dead: list[IdleStockOut]


# ---- the opening-stock import ------------------------------------------------------------
@dataclass
class StockImportForm:
    """multipart/form-data: ``file`` (.csv or .xlsx): columns sku_code, warehouse_code,
    quantity, and optionally bin_code and unit_cost (``inventory:costing``)."""

    file: UploadFile | None = None


class StockImportCountsOut(WireOut):
    rows: int = 0  # rows in the file (blank lines left out)
    valid: int = 0  # rows whose receipt is posted
    rejected: int = 0  # rows with at least one error
    units: int = 0  # units the valid rows receive


class StockImportOut(WireOut):
    id: UUID
    file_name: str
    format: str
    status: str  # checking | checked | committing | committed
    valid_only: bool | None
    counts: StockImportCountsOut
    first_errors: list[RowErrorOut]  # the first 20; all of them via .../errors
    check_job: JobOut | None
    commit_job: JobOut | None
    version: int  # the ETag; If-Match of the commit
    created_by: str
    created_at: datetime
    updated_at: datetime
