"""/api/v1/orders: the work queue (ORD-8) with its saved views, the abnormal queue by type
(ORD-5), an order's priority, and analytics from the rollups (ORD-10)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, delete, get, post, put
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from application.orders.lifecycle import AssignWarehouse, SetPriority
from application.orders.queue.analytics import GetOrderAnalytics
from application.orders.queue.listing import GetAbnormalQueue, ListQueue
from application.orders.queue.ports import Analytics, QueueFilter, QueueOrdering
from application.orders.queue.views import (
    CreateView,
    DeleteView,
    GetView,
    ListViews,
    UpdateView,
)
from domain.orders.abnormal import POLICIES, AbnormalType
from domain.orders.status import OrderStatus
from domain.orders.values import FlagColour
from entrypoints.http.conventions import Cursor, Limit, Rendered, etagged
from entrypoints.http.dependencies import Context, Dispatch, ExpectedVersion, Idempotent
from entrypoints.http.orders.controllers import (
    ChannelFilter,
    OrderId,
    stored_out,
    stored_rendered,
)
from entrypoints.http.orders.queue_schemas import (
    AbnormalCountOut,
    AnalyticsOut,
    ChannelFiguresOut,
    DayFiguresOut,
    FiguresOut,
    HourFiguresOut,
    PriorityIn,
    ProvinceFiguresOut,
    ViewIn,
    ViewOut,
    ViewUpdateIn,
    WarehouseIn,
    figures_out,
    view_out,
)
from entrypoints.http.orders.schemas import OrderOut, OrderPageOut
from entrypoints.http.permissions import needs

ViewId = FromPath[UUID]


Statuses = Annotated[
    list[OrderStatus] | None,
    QueryParameter(name="status", description="Only these statuses (repeat the parameter)."),
]
AbnormalFilter = Annotated[
    AbnormalType | None,
    QueryParameter(name="abnormalType", description="Only orders with this abnormality open."),
]
WarehouseFilter = Annotated[
    UUID | None, QueryParameter(name="warehouseId", description="Only orders shipping from it.")
]
FlagFilter = Annotated[
    FlagColour | None, QueryParameter(name="flag", description="Only this seller-memo flag.")
]
PaidFrom = Annotated[
    datetime | None, QueryParameter(name="paidFrom", description="Paid at or after.")
]
PaidTo = Annotated[datetime | None, QueryParameter(name="paidTo", description="Paid before.")]
AmountMin = Annotated[
    Decimal | None, QueryParameter(name="amountMin", description="Total at least.")
]
AmountMax = Annotated[
    Decimal | None, QueryParameter(name="amountMax", description="Total at most.")
]
Text = Annotated[
    str | None,
    QueryParameter(name="q", description="The start of the order number, or a platform order id."),
]
Ordering = Annotated[
    QueueOrdering | None,
    QueryParameter(
        name="order",
        description="priority (default), amount, age or time_left; a view's own otherwise.",
    ),
]
ViewFilter = Annotated[
    UUID | None,
    QueryParameter(name="view", description="A saved view: its filters and ordering."),
]
FirstDay = Annotated[date, QueryParameter(name="from", description="The first local day.")]
LastDay = Annotated[date, QueryParameter(name="to", description="The last local day.")]


def _channel(analytics: Analytics, channel_id: UUID | None) -> dict[str, str | None]:
    """The channel's code and name now (None for the company's own orders)."""
    code, name = analytics.channels.get(channel_id, (None, None)) if channel_id else (None, None)
    return {"channel_code": code, "channel_name": name}


def analytics_out(analytics: Analytics) -> AnalyticsOut:
    b = analytics.breakdown
    return AnalyticsOut(
        analytics.first_day,
        analytics.last_day,
        analytics.time_zone,
        figures_out(b.totals, FiguresOut),
        [figures_out(f, DayFiguresOut, day=d) for d, f in b.by_day.items()],
        [figures_out(f, HourFiguresOut, hour=int(h)) for h, f in b.by_hour.items()],
        [
            figures_out(f, ChannelFiguresOut, channel_id=c, **_channel(analytics, c))
            for c, f in b.by_channel.items()
        ],
        [figures_out(f, ProvinceFiguresOut, province=p) for p, f in b.by_province.items()],
    )


class QueueController(Controller):
    path = "/"

    @get("/queue", opt=needs(ListQueue))
    async def queue(
        self,
        ctx: Context,
        use_cases: Dispatch,
        statuses: Statuses = None,
        abnormal_type: AbnormalFilter = None,
        channel_id: ChannelFilter = None,
        warehouse_id: WarehouseFilter = None,
        flag: FlagFilter = None,
        paid_from: PaidFrom = None,
        paid_to: PaidTo = None,
        amount_min: AmountMin = None,
        amount_max: AmountMax = None,
        text: Text = None,
        ordering: Ordering = None,
        view: ViewFilter = None,
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> OrderPageOut:
        """The work queue: live orders (not merged or split away) by priority, amount, age
        or time left to their abnormality's target, filtered; a saved view gives its
        filters and ordering, and filters given with it narrow them."""
        where = QueueFilter(
            tuple(statuses or ()),
            abnormal_type,
            channel_id,
            warehouse_id,
            flag,
            paid_from,
            paid_to,
            amount_min,
            amount_max,
            text,
        )
        page = await use_cases.query(ctx, ListQueue(where, ordering, view, cursor, limit))
        return OrderPageOut.of_page(page, stored_out)

    @get("/abnormal", opt=needs(GetAbnormalQueue))
    async def abnormal(self, ctx: Context, use_cases: Dispatch) -> list[AbnormalCountOut]:
        """The abnormal queue by type: how many orders, how many past the type's target
        time, the oldest, and how the type is released."""
        return [
            AbnormalCountOut(
                a.type,
                POLICIES[a.type].release.value,
                POLICIES[a.type].target.total_seconds() / 3600,
                a.orders,
                a.overdue,
                a.oldest_since,
            )
            for a in await use_cases.query(ctx, GetAbnormalQueue())
        ]

    @post("/{order_id:uuid}/priority", status_code=200, opt=needs(SetPriority))
    async def set_priority(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        order_id: OrderId,
        data: JSONBody[PriorityIn],
        expected_version: ExpectedVersion,
    ) -> Response[OrderOut]:
        """Set the order's priority in the work queue, 0 to 100, higher first (If-Match)."""
        command = SetPriority(order_id, data.priority, expected_version, data.reason)
        return await idempotency.respond(lambda: use_cases.run(ctx, command), stored_rendered)

    @post("/{order_id:uuid}/warehouse", status_code=200, opt=needs(AssignWarehouse))
    async def assign_warehouse(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        order_id: OrderId,
        data: JSONBody[WarehouseIn],
        expected_version: ExpectedVersion,
    ) -> Response[OrderOut]:
        """Ship the order from this warehouse (If-Match): the stock it holds is reserved
        there in the same transaction, all lines or a 409 ``order_out_of_stock`` naming the
        SKUs short (nothing changed)."""
        command = AssignWarehouse(order_id, data.warehouse_id, expected_version, data.reason)
        return await idempotency.respond(lambda: use_cases.run(ctx, command), stored_rendered)

    @get("/views", opt=needs(ListViews))
    async def list_views(self, ctx: Context, use_cases: Dispatch) -> list[ViewOut]:
        """The caller's saved views of the queue and the company's shared ones, by name."""
        return [view_out(v) for v in await use_cases.query(ctx, ListViews())]

    @post("/views", opt=needs(CreateView))
    async def create_view(
        self, ctx: Context, use_cases: Dispatch, idempotency: Idempotent, data: JSONBody[ViewIn]
    ) -> Response[ViewOut]:
        """Save a view of the queue: a name, filters and an ordering — the caller's own, or
        shared with the company (``shared``, needs ``orders:review``)."""
        command = CreateView(data.name, data.filters.filter(), data.ordering, data.shared)
        return await idempotency.created(
            lambda: use_cases.run(ctx, command),
            lambda v: Rendered(view_out(v), f"/api/v1/orders/views/{v.id}", v.version),
        )

    @get("/views/{view_id:uuid}", opt=needs(GetView))
    async def get_view(
        self, ctx: Context, use_cases: Dispatch, view_id: ViewId
    ) -> Response[ViewOut]:
        """One saved view (the caller's own or a shared one)."""
        return etagged(view_out, await use_cases.query(ctx, GetView(view_id)))

    @put("/views/{view_id:uuid}", opt=needs(UpdateView))
    async def update_view(
        self,
        ctx: Context,
        use_cases: Dispatch,
        view_id: ViewId,
        data: JSONBody[ViewUpdateIn],
        expected_version: ExpectedVersion,
    ) -> Response[ViewOut]:
        """Replace a view's name, filters and ordering (If-Match; a shared view needs
        ``orders:review``)."""
        command = UpdateView(
            view_id, data.name, data.filters.filter(), data.ordering, expected_version
        )
        return etagged(view_out, await use_cases.run(ctx, command))

    @delete("/views/{view_id:uuid}", status_code=HTTP_204_NO_CONTENT, opt=needs(DeleteView))
    async def delete_view(
        self, ctx: Context, use_cases: Dispatch, view_id: ViewId, expected_version: ExpectedVersion
    ) -> None:
        """Delete a view (If-Match; a shared view needs ``orders:review``)."""
        await use_cases.run(ctx, DeleteView(view_id, expected_version))

    @get("/analytics", opt=needs(GetOrderAnalytics))
    async def analytics(
        self,
        ctx: Context,
        use_cases: Dispatch,
        first_day: FirstDay,
        last_day: LastDay,
    ) -> AnalyticsOut:
        """Orders of a period of local days (the company's time zone), from the rollups:
        how many, their amount, the average order value and what is paid — in all, by
        day, hour of day, channel and province. Cancelled orders and merge or split
        originals are not counted (a merged or split order counts as what replaced it)."""
        query = GetOrderAnalytics(first_day, last_day)
        return analytics_out(await use_cases.query(ctx, query))
