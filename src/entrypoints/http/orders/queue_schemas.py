"""Wire types of the work queue, saved views, the abnormal queue and analytics (ORD-8,
ORD-10)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, TypeVar
from uuid import UUID

import msgspec

from application.orders.queue.ports import (
    Figures,
    QueueFilter,
    QueueOrdering,
    SavedView,
    filter_json,
)
from domain.orders.abnormal import AbnormalType
from domain.orders.order import MAX_PRIORITY, MIN_PRIORITY
from domain.orders.status import OrderStatus
from domain.orders.values import FlagColour
from entrypoints.http.limits import stated
from entrypoints.http.wire import AmountIn, WireIn, WireOut

Aware = Annotated[datetime, msgspec.Meta(tz=True)]
Priority = Annotated[
    int,
    stated(minimum=MIN_PRIORITY, maximum=MAX_PRIORITY, description="0 to 100, higher first"),
]


class QueueFilterIn(WireIn):
    """Named as the queue's query parameters are (``status``, ``q``)."""

    statuses: list[OrderStatus] = msgspec.field(default_factory=list, name="status")
    abnormal_type: AbnormalType | None = None
    channel_id: UUID | None = None
    warehouse_id: UUID | None = None
    flag: FlagColour | None = None
    paid_from: Aware | None = None
    paid_to: Aware | None = None
    amount_min: AmountIn | None = None
    amount_max: AmountIn | None = None
    # the start of the order number, or a platform order id
    text: str | None = msgspec.field(default=None, name="q")

    def filter(self) -> QueueFilter:
        return QueueFilter(
            tuple(self.statuses),
            self.abnormal_type,
            self.channel_id,
            self.warehouse_id,
            self.flag,
            self.paid_from,
            self.paid_to,
            self.amount_min,
            self.amount_max,
            self.text,
        )


class ViewIn(WireIn):
    name: str
    ordering: QueueOrdering = msgspec.field(default=QueueOrdering.PRIORITY, name="order")
    filters: QueueFilterIn = msgspec.field(default_factory=QueueFilterIn)
    shared: bool = False  # for everyone in the company (needs orders:review)


class ViewUpdateIn(WireIn):
    name: str
    ordering: QueueOrdering = msgspec.field(name="order")
    filters: QueueFilterIn = msgspec.field(default_factory=QueueFilterIn)


class ViewOut(WireOut):
    id: UUID
    name: str
    shared: bool
    ordering: QueueOrdering = msgspec.field(name="order")
    filters: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    version: int


def view_out(view: SavedView) -> ViewOut:
    return ViewOut.of(view, shared=view.owner is None, filters=filter_json(view.filters))


class PriorityIn(WireIn):
    priority: Priority
    reason: str | None = None


class WarehouseIn(WireIn):
    warehouse_id: UUID  # a warehouse of the company
    reason: str | None = None


class AbnormalCountOut(WireOut):
    type: AbnormalType
    release: str  # automatic | manual
    target_hours: float
    orders: int
    overdue: int  # past the target now
    oldest_since: datetime | None


class FiguresOut(WireOut):
    orders: int
    amount: Decimal
    average_order_value: Decimal
    paid_orders: int
    paid_amount: Decimal


def figures_out(figures: Figures, out: type[F], **key: Any) -> F:
    """``figures`` as ``out`` (``FiguresOut`` or one keyed by its dimension: ``day=…``)."""
    return out.of(figures, average_order_value=figures.average, **key)


F = TypeVar("F", bound=FiguresOut)


class DayFiguresOut(FiguresOut):
    day: date


class HourFiguresOut(FiguresOut):
    hour: int


class ChannelFiguresOut(FiguresOut):
    channel_id: UUID | None  # None: the company's own orders
    channel_code: str | None  # the channel's code and name now; None: own orders
    channel_name: str | None


class ProvinceFiguresOut(FiguresOut):
    province: str


class AnalyticsOut(WireOut):
    first_day: date
    last_day: date
    time_zone: str
    totals: FiguresOut
    by_day: list[DayFiguresOut]
    by_hour: list[HourFiguresOut]
    by_channel: list[ChannelFiguresOut]
    by_province: list[ProvinceFiguresOut]
