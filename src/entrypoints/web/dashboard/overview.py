"""Today's orders and sales, the abnormal orders waiting, open stock alerts and unread
messages, with sales by day and by channel over two weeks. Each panel shows only when the
role may read what it shows; the figures are the use cases' own (orders' analytics rollups,
the abnormal queue, inventory's alerts, the inbox)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from litestar import Controller, Request, get
from litestar.datastructures import State
from litestar.response import Template

from application.identity.users.me import WhoAmI
from application.inventory.alerts.queries import ListStockAlerts
from application.notifications.inbox.queries import CountUnread
from application.orders.queue.analytics import GetOrderAnalytics
from application.orders.queue.listing import GetAbnormalQueue
from application.orders.queue.ports import Analytics, Figures
from domain.inventory.alerts import AlertStatus
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.pages import page, view_of

DAYS = 14
ALERTS_SHOWN = 5


@dataclass(frozen=True)
class Charts:
    """What the two charts draw (the page hands it to ECharts as JSON)."""

    days: list[str]
    amounts: list[str]
    channels: list[dict[str, Any]]


def charts(analytics: Analytics, own: str) -> Charts:
    days = [
        analytics.first_day + timedelta(days=n)
        for n in range((analytics.last_day - analytics.first_day).days + 1)
    ]
    by_day = analytics.breakdown.by_day
    channels = [
        {
            "name": analytics.channels.get(channel_id, ("", own))[1] if channel_id else own,
            "value": str(figures.amount),
        }
        for channel_id, figures in analytics.breakdown.by_channel.items()
    ]
    return Charts(
        [day.isoformat() for day in days],
        [str(by_day.get(day, Figures()).amount) for day in days],
        channels,
    )


class DashboardPage(Controller):
    @get("/", name="console_dashboard", opt=needs(WhoAmI))
    async def dashboard(
        self, request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch
    ) -> Template:
        view = await view_of(request, use_cases)
        today: date = datetime.now(view.formats.zone).date()
        values: dict[str, Any] = {"today": today}
        if view.can(GetOrderAnalytics):
            analytics = await use_cases.query(
                ctx, GetOrderAnalytics(today - timedelta(days=DAYS - 1), today)
            )
            values["today_figures"] = analytics.breakdown.by_day.get(today, Figures())
            values["charts"] = charts(analytics, view.t("dashboard.own_orders"))
        if view.can(GetAbnormalQueue):
            abnormal = await use_cases.query(ctx, GetAbnormalQueue())
            values["abnormal"] = sum(row.orders for row in abnormal)
            values["abnormal_overdue"] = sum(row.overdue for row in abnormal)
        if view.can(ListStockAlerts):
            alerts = await use_cases.query(
                ctx, ListStockAlerts(status=AlertStatus.OPEN, limit=ALERTS_SHOWN)
            )
            values["alerts"] = alerts
        values["unread"] = await use_cases.query(ctx, CountUnread())
        return await page(request, use_cases, "dashboard/overview.html", view=view, **values)
