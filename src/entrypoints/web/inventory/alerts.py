"""Stock alerts, newest first: open or resolved, by warehouse and SKU. An alert resolves
itself when its level comes back within its thresholds (INV-3): there is nothing to
acknowledge, so the page lists and filters them and links to the SKU's stock."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.datastructures import State
from litestar.params import FromQuery
from litestar.response import Template

from application.inventory.alerts.queries import ListStockAlerts
from domain.inventory.alerts import AlertStatus
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.inventory.common import shown, sku_named, warehouses


class AlertPages(Controller):
    path = "/alerts"

    @get("/", name="console_stock_alerts", opt=needs(ListStockAlerts))
    async def alerts(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        status: FromQuery[str] = AlertStatus.OPEN.value,
        warehouse: FromQuery[str] = "",
        sku: FromQuery[str] = "",
        cursor: FromQuery[str] = "",
    ) -> Template:
        wanted = await sku_named(use_cases, ctx, sku, "sku") if sku.strip() else None
        chosen = AlertStatus(status) if status in set(AlertStatus) else None
        query = ListStockAlerts(
            chosen, wanted.id if wanted else None, warehouse or None, cursor or None
        )
        return await shown(
            request,
            use_cases,
            "inventory/alerts.html",
            alerts=await use_cases.query(ctx, query),
            places=await warehouses(use_cases, ctx),
            wanted_status=chosen.value if chosen else "",
            warehouse=warehouse,
            sku=sku.strip(),
        )
