"""Ports of the work queue, its saved views and the analytics (ORD-8, ORD-10).

``QueueStore`` (``uow.of(ORDER_QUEUE)``): the queue's pages and the abnormal queue's
counts, read from the orders table; the saved views; the analytics rollups (kept by the
orders repository in the transaction that writes an order).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from application.shared.unit_of_work import StoreKey
from domain.orders.abnormal import AbnormalType
from domain.orders.status import OrderStatus
from domain.orders.values import FlagColour

# The rollups' dimensions (ORD-10): each counted order is in one cell of each a day.
CHANNEL, HOUR, PROVINCE = "channel", "hour", "province"


class QueueOrdering(StrEnum):
    """The queue's orders, each ending on the id so a page boundary is exact."""

    PRIORITY = "priority"  # highest priority first, then oldest
    AMOUNT = "amount"  # largest total first
    AGE = "age"  # oldest first
    TIME_LEFT = "time_left"  # least time left to the target first; no target last


@dataclass(frozen=True)
class QueueFilter:
    """Every field narrows; none given: every live order (not merged or split away)."""

    statuses: tuple[OrderStatus, ...] = ()
    abnormal_type: AbnormalType | None = None
    channel_id: UUID | None = None
    warehouse_id: UUID | None = None
    flag: FlagColour | None = None
    paid_from: datetime | None = None
    paid_to: datetime | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    text: str | None = None  # the start of the order number, or a platform order id


_TIMES = ("paid_from", "paid_to")
_AMOUNTS = ("amount_min", "amount_max")
_IDS = ("channel_id", "warehouse_id")
_CAMEL = {
    "statuses": "status",
    "abnormal_type": "abnormalType",
    "channel_id": "channelId",
    "warehouse_id": "warehouseId",
    "flag": "flag",
    "paid_from": "paidFrom",
    "paid_to": "paidTo",
    "amount_min": "amountMin",
    "amount_max": "amountMax",
    "text": "q",
}


def filter_json(where: QueueFilter) -> dict[str, object]:
    """The filters given, as JSON values under their wire names (the queue's query
    parameters' own: ``status``, ``abnormalType`` … ``q``)."""
    found: dict[str, object] = {}
    for name, key in _CAMEL.items():
        value = getattr(where, name)
        if value is None or value == ():
            continue
        if name == "statuses":
            found[key] = [s.value for s in value]
        elif name in _TIMES:
            found[key] = value.isoformat()
        else:
            found[key] = str(value)
    return found


def filter_of(value: Mapping[str, object]) -> QueueFilter:
    """``filter_json`` read back (stored values were valid when saved)."""
    given = {name: value[key] for name, key in _CAMEL.items() if key in value}
    read: dict[str, object] = {}
    for name, raw in given.items():
        if name == "statuses":
            read[name] = tuple(OrderStatus(str(s)) for s in raw)  # type: ignore[attr-defined]
        elif name in _TIMES:
            read[name] = datetime.fromisoformat(str(raw))
        elif name in _AMOUNTS:
            read[name] = Decimal(str(raw))
        elif name in _IDS:
            read[name] = UUID(str(raw))
        elif name == "abnormal_type":
            read[name] = AbnormalType(str(raw))
        elif name == "flag":
            read[name] = FlagColour(str(raw))
        else:
            read[name] = str(raw)
    return QueueFilter(**read)  # type: ignore[arg-type]


@dataclass(frozen=True)
class AbnormalCount:
    """One abnormal type's queue: how many orders, how many past the target, the oldest."""

    type: AbnormalType
    orders: int
    overdue: int
    oldest_since: datetime | None


@dataclass
class SavedView:
    """A named filter and ordering of the queue: a user's own (``owner``, the actor's
    label) or the tenant's (``owner`` None)."""

    id: UUID
    owner: str | None
    name: str
    filters: QueueFilter
    ordering: QueueOrdering
    created_at: datetime
    updated_at: datetime
    version: int = 1


@dataclass(frozen=True)
class Figures:
    orders: int = 0
    amount: Decimal = Decimal("0.00")
    paid_orders: int = 0
    paid_amount: Decimal = Decimal("0.00")

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.orders + other.orders,
            self.amount + other.amount,
            self.paid_orders + other.paid_orders,
            self.paid_amount + other.paid_amount,
        )

    @property
    def average(self) -> Decimal:
        """The average order value, to the fen (half up)."""
        if not self.orders:
            return Decimal("0.00")
        return (self.amount / self.orders).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


@dataclass(frozen=True)
class Breakdown:
    """Counted orders (docs/orders.md, "Analytics"): in all, by local day, by hour of day
    ("00".."23"), by channel (None: own orders), by province."""

    totals: Figures = Figures()
    by_day: Mapping[date, Figures] = field(default_factory=dict)
    by_hour: Mapping[str, Figures] = field(default_factory=dict)
    by_channel: Mapping[UUID | None, Figures] = field(default_factory=dict)
    by_province: Mapping[str, Figures] = field(default_factory=dict)


@dataclass(frozen=True)
class Analytics:
    """A period's breakdown, its days in the tenant's time zone."""

    first_day: date
    last_day: date
    time_zone: str
    breakdown: Breakdown
    # the channels of ``by_channel``: (code, name) by id, as the catalog has them now
    channels: Mapping[UUID, tuple[str, str]] = field(default_factory=dict)


class OrderQueue(Protocol):
    async def page(
        self,
        where: QueueFilter,
        ordering: QueueOrdering,
        after: Sequence[str] | None,
        limit: int,
    ) -> list[UUID]:
        """The orders' ids in ``ordering``, starting after the cursor key ``after``
        (``queue_key``); the orders module's store reads the orders."""
        ...

    async def abnormal_counts(self, now: datetime) -> list[AbnormalCount]:
        """Per abnormal type with open orders: counts, overdue at ``now``, the oldest."""
        ...


class SavedViews(Protocol):
    async def visible_to(self, owner: str) -> list[SavedView]:
        """The owner's views and the shared ones, by name."""
        ...

    async def get(self, view_id: UUID) -> SavedView | None: ...

    async def add(self, view: SavedView) -> None: ...

    async def save(self, view: SavedView, expected_version: int) -> None: ...

    async def delete(self, view_id: UUID) -> None: ...


class OrderAnalytics(Protocol):
    async def breakdown(self, first_day: date, last_day: date) -> Breakdown:
        """From the rollups: local days ``first_day``..``last_day`` inclusive."""
        ...

    async def rebuild(self) -> None:
        """The tenant's rollups computed again from its orders (a backfill)."""
        ...


class QueueStore(Protocol):
    queue: OrderQueue
    views: SavedViews
    analytics: OrderAnalytics


ORDER_QUEUE: StoreKey[QueueStore] = StoreKey("order_queue")
