"""/api/v1/inventory: thresholds, alerts and the alert robot (INV-3); the daily position
and the analysis (INV-9, INV-10)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from litestar import Controller, Response, get, put
from litestar.params import FromPath, JSONBody, QueryParameter

from application.inventory.alerts.queries import GetStockAlert, ListStockAlerts
from application.inventory.alerts.robot import GetAlertRobot, RobotView, SetAlertRobot
from application.inventory.alerts.thresholds import (
    GetStockThreshold,
    ListCategoryThresholds,
    ListStockThresholds,
    SetCategoryThreshold,
    SetStockThreshold,
)
from application.inventory.analysis.queries import (
    MAX_ROWS,
    GetDailyPosition,
    GetIdleStock,
    GetTurnover,
)
from application.inventory.ports import IdleStock
from domain.inventory.alerts import AlertStatus, CategoryThreshold, StockAlert, StockThreshold
from entrypoints.http.conventions import Cursor, Limit, etagged, with_etag
from entrypoints.http.dependencies import Context, Dispatch, ExpectedVersion
from entrypoints.http.inventory.alert_schemas import (
    AlertRobotIn,
    AlertRobotOut,
    CategoryThresholdOut,
    DailyPositionOut,
    IdleStockOut,
    IdleStockReportOut,
    StockAlertOut,
    StockAlertPageOut,
    StockThresholdOut,
    StockThresholdPageOut,
    ThresholdsIn,
    TurnoverOut,
    TurnoverReportOut,
    WarehousePositionOut,
)
from entrypoints.http.inventory.controllers import SkuFilter, WarehouseFilter
from entrypoints.http.permissions import needs

Rows = Annotated[
    int | None,
    QueryParameter(
        name="limit",
        description=f"At most this many rows (1–{MAX_ROWS}).",
        schema_extra={"minimum": 1, "maximum": MAX_ROWS},
    ),
]


def threshold_out(found: StockThreshold) -> StockThresholdOut:
    t = found.thresholds
    return StockThresholdOut(found.sku_id, found.warehouse_id, t.low, t.high, found.version)


def category_threshold_out(found: CategoryThreshold) -> CategoryThresholdOut:
    t = found.thresholds
    return CategoryThresholdOut(found.category_id, t.low, t.high, found.version)


def alert_out(alert: StockAlert) -> StockAlertOut:
    return StockAlertOut.of(alert)


def robot_out(view: RobotView) -> Response[AlertRobotOut]:
    kind = view.robot.kind if view.robot else None
    return with_etag(AlertRobotOut(kind, view.masked_url, view.version), view.version)


def idle_out(found: IdleStock) -> IdleStockOut:
    return IdleStockOut.of(found, last_issue_at=found.last_issue_at)


class AlertsController(Controller):
    path = "/"

    @get("/alerts", opt=needs(ListStockAlerts))
    async def list_alerts(
        self,
        ctx: Context,
        use_cases: Dispatch,
        status: Annotated[
            AlertStatus | None, QueryParameter(description="`open` or `resolved`.")
        ] = None,
        sku_id: SkuFilter = None,
        warehouse_id: WarehouseFilter = None,
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> StockAlertPageOut:
        """Stock alerts, newest first: one per crossing of a threshold."""
        query = ListStockAlerts(status, sku_id, warehouse_id, cursor, limit)
        return StockAlertPageOut.of_page(await use_cases.query(ctx, query), alert_out)

    @get("/alerts/{alert_id:uuid}", opt=needs(GetStockAlert))
    async def get_alert(
        self, ctx: Context, use_cases: Dispatch, alert_id: FromPath[UUID]
    ) -> StockAlertOut:
        """One alert."""
        return alert_out(await use_cases.query(ctx, GetStockAlert(alert_id)))

    @get("/thresholds", opt=needs(ListStockThresholds))
    async def list_thresholds(
        self,
        ctx: Context,
        use_cases: Dispatch,
        sku_id: SkuFilter = None,
        warehouse_id: WarehouseFilter = None,
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> StockThresholdPageOut:
        """The thresholds set per SKU × warehouse (category defaults: /category-thresholds)."""
        query = ListStockThresholds(sku_id, warehouse_id, cursor, limit)
        return StockThresholdPageOut.of_page(await use_cases.query(ctx, query), threshold_out)

    @get(
        "/warehouses/{warehouse_id:uuid}/thresholds/{sku_id:uuid}",
        opt=needs(GetStockThreshold),
    )
    async def get_threshold(
        self,
        ctx: Context,
        use_cases: Dispatch,
        warehouse_id: FromPath[UUID],
        sku_id: FromPath[UUID],
    ) -> Response[StockThresholdOut]:
        """The SKU's own thresholds in the warehouse (none: empty, version 0)."""
        found = await use_cases.query(ctx, GetStockThreshold(sku_id, warehouse_id))
        return etagged(threshold_out, found)

    @put(
        "/warehouses/{warehouse_id:uuid}/thresholds/{sku_id:uuid}",
        opt=needs(SetStockThreshold),
    )
    async def set_threshold(
        self,
        ctx: Context,
        use_cases: Dispatch,
        warehouse_id: FromPath[UUID],
        sku_id: FromPath[UUID],
        data: JSONBody[ThresholdsIn],
        expected_version: ExpectedVersion,
    ) -> Response[StockThresholdOut]:
        """Low and high for the SKU in the warehouse (If-Match; ``"v0"`` the first time).
        A field left null takes the category's default; both null removes them. The
        level is evaluated at once."""
        command = SetStockThreshold(sku_id, warehouse_id, data.low, data.high, expected_version)
        return etagged(threshold_out, await use_cases.run(ctx, command))

    @get("/category-thresholds", opt=needs(ListCategoryThresholds))
    async def list_category_thresholds(
        self, ctx: Context, use_cases: Dispatch
    ) -> list[CategoryThresholdOut]:
        """Default thresholds per category (the nearest category up the tree applies)."""
        found = await use_cases.query(ctx, ListCategoryThresholds())
        return [category_threshold_out(t) for t in found.items]

    @put("/categories/{category_id:uuid}/thresholds", opt=needs(SetCategoryThreshold))
    async def set_category_threshold(
        self,
        ctx: Context,
        use_cases: Dispatch,
        category_id: FromPath[UUID],
        data: JSONBody[ThresholdsIn],
        expected_version: ExpectedVersion,
    ) -> Response[CategoryThresholdOut]:
        """The category's default thresholds (If-Match; ``"v0"`` the first time); the
        scheduler's sweep evaluates the levels they govern within a minute."""
        command = SetCategoryThreshold(category_id, data.low, data.high, expected_version)
        return etagged(category_threshold_out, await use_cases.run(ctx, command))

    @get("/alert-robot", opt=needs(GetAlertRobot))
    async def get_robot(self, ctx: Context, use_cases: Dispatch) -> Response[AlertRobotOut]:
        """The company's WeChat Work / DingTalk robot that receives alerts (URL masked)."""
        return robot_out(await use_cases.query(ctx, GetAlertRobot()))

    @put("/alert-robot", opt=needs(SetAlertRobot))
    async def set_robot(
        self,
        ctx: Context,
        use_cases: Dispatch,
        data: JSONBody[AlertRobotIn],
        expected_version: ExpectedVersion,
    ) -> Response[AlertRobotOut]:
        """Set (If-Match; ``"v0"`` the first time) or remove (``kind`` null) the robot."""
        command = SetAlertRobot(data.kind, data.url, expected_version)
        return robot_out(await use_cases.run(ctx, command))


class AnalysisController(Controller):
    path = "/"

    @get("/position", opt=needs(GetDailyPosition))
    async def position(
        self,
        ctx: Context,
        use_cases: Dispatch,
        day: Annotated[
            date | None,
            QueryParameter(name="date", description="The day (the company's time zone)."),
        ] = None,
        warehouse_id: WarehouseFilter = None,
    ) -> DailyPositionOut:
        """The daily position per warehouse: stock and free bins at the day's end (now,
        for today), in and out that day, and with ``inventory:costing`` the cost amount
        and stock value (a past day's at today's list prices: ``stockValueAtTodaysPrices``)."""
        found = await use_cases.query(ctx, GetDailyPosition(day, warehouse_id))
        return DailyPositionOut(
            found.day,
            found.time_zone,
            found.costs_shown,
            found.stock_value_at_todays_prices,
            [WarehousePositionOut.of(p) for p in found.warehouses],
        )

    @get("/analysis/turnover", opt=needs(GetTurnover))
    async def turnover(
        self,
        ctx: Context,
        use_cases: Dispatch,
        start: Annotated[date, QueryParameter(name="from", description="First day.")],
        end: Annotated[date, QueryParameter(name="to", description="Last day (included).")],
        by: Annotated[
            Literal["sku", "category"], QueryParameter(description="Per SKU or per category.")
        ] = "sku",
        warehouse_id: WarehouseFilter = None,
        category: Annotated[
            str | None,
            QueryParameter(description="Only this category and below: its id or path."),
        ] = None,
        limit: Rows = None,
    ) -> TurnoverReportOut:
        """Turnover rate and days of stock over a period, most issued first."""
        query = GetTurnover(start, end, by == "category", warehouse_id, category, limit)
        found = await use_cases.query(ctx, query)
        return TurnoverReportOut(
            found.start,
            found.end,
            found.days,
            found.by,
            [TurnoverOut.of(t, id=t.key) for t in found.items],
        )

    @get("/analysis/idle-stock", opt=needs(GetIdleStock))
    async def idle_stock(
        self,
        ctx: Context,
        use_cases: Dispatch,
        slow_days: Annotated[
            int, QueryParameter(name="slowDays", description="No issue for this many days.")
        ] = 30,
        dead_days: Annotated[
            int, QueryParameter(name="deadDays", description="Dead stock from this many days.")
        ] = 90,
        warehouse_id: WarehouseFilter = None,
        limit: Rows = None,
    ) -> IdleStockReportOut:
        """Slow-moving and dead stock: levels holding stock with no issue for a while."""
        found = await use_cases.query(ctx, GetIdleStock(slow_days, dead_days, warehouse_id, limit))
        return IdleStockReportOut(
            found.slow_days,
            found.dead_days,
            [idle_out(i) for i in found.slow_moving],
            [idle_out(i) for i in found.dead],
        )
