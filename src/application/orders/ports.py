"""The orders module's ports (ORD-1..ORD-3, ORD-5, ORD-7).

``OrderStore`` (``uow.of(ORDERS)``) is what the orders use cases read and write in their
unit of work; ``PricingPolicy`` prices lines (today the catalog's channel, member and
promotional prices; coupons plug in later); ``AftersalesOrders`` is what after-sales asks
of orders in its own command (refunds for returned goods, replacement orders),
``FulfilmentOrders`` what fulfilment asks (orders for a wave, picking, shipped lines,
short picks and interceptions);
``UnpaidOrders`` and ``AwaitingStock`` are the platform role's views across tenants for
the scheduled jobs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from application.shared.unit_of_work import StoreKey, UnitOfWork
from application.shared.use_case import Work
from domain.orders.actions import OrderAction, allowed_actions
from domain.orders.lines import Discount
from domain.orders.order import Order
from domain.orders.payment_records import Refund
from domain.orders.risk import CustomerHistory, RiskPolicy
from domain.orders.rules.ruleset import RuleSet
from domain.orders.status import OrderStatus
from domain.orders.values import OrderNumber


@dataclass(frozen=True)
class OrderPosition:
    """Where a newest-first page of orders ends."""

    placed_at: datetime
    order_id: UUID


@dataclass(frozen=True)
class OrderFilter:
    status: OrderStatus | None = None
    channel_id: UUID | None = None
    customer_id: UUID | None = None
    source: str | None = None
    placed_from: datetime | None = None
    placed_to: datetime | None = None
    # only the orders that stand: not merged or split away (the merged order or the parts
    # stand for them), as a customer's profile lists them (CRM-1)
    live: bool = False


@dataclass(frozen=True)
class StoredOrder:
    """An order as the store keeps it: the aggregate and how it came in."""

    order: Order
    source: str
    # a merged order: the orders it was merged from (kept, retired, for unmerging)
    merged_from: tuple[UUID, ...] = ()

    @property
    def actions(self) -> frozenset[OrderAction]:
        """What the order allows a person to do now (whether their role may is the
        caller's to ask)."""
        return allowed_actions(self.order, merged=bool(self.merged_from))


@dataclass(frozen=True)
class CustomerTotals:
    """A customer's orders in one figure each (CRM-1): cancelled, merged and split
    originals left out (a merged or split order counts once, as what replaced it)."""

    orders: int
    total: Decimal
    paid: Decimal
    first_placed_at: datetime | None
    last_placed_at: datetime | None


class OrderRepository(Protocol):
    async def next_number(self, at: datetime) -> str:
        """A number the tenant has never used (``SO`` + date + a sequence)."""
        ...

    async def last_part(self, number: OrderNumber) -> int:
        """The highest part any order numbered ``<base>-N`` holds, ``base`` being
        ``number``'s own (0 when none): a new split's parts are numbered after it."""
        ...

    async def add(self, order: Order, source: str) -> None:
        """Raises ``Conflict("order_already_imported")`` when a platform order id of the
        order is already taken on its channel."""
        ...

    async def add_many(self, added: Sequence[Order], source: str) -> None:
        """``add`` for many new orders in one round trip (a page of a channel's orders)."""
        ...

    async def get(self, order_id: UUID, *, for_update: bool = False) -> StoredOrder | None: ...

    async def many(self, order_ids: Sequence[UUID]) -> list[StoredOrder]:
        """The orders of ``order_ids`` that exist, in that order."""
        ...

    async def save(self, order: Order, expected_version: int) -> None:
        """Writes the order's changes (its new timeline entries, payments, refunds and, when
        they changed, its lines) if it is still at ``expected_version``."""
        ...

    async def save_many(self, changes: Sequence[tuple[Order, int]]) -> None:
        """``save`` of each (order, expected version), in a few statements for all of them
        (raises ``StaleVersion`` if any moved on)."""
        ...

    async def by_platform_id(self, channel_id: UUID, platform_order_id: str) -> UUID | None: ...

    async def by_platform_ids(
        self, channel_id: UUID, platform_order_ids: Sequence[str]
    ) -> dict[str, UUID]:
        """The orders of those of ``platform_order_ids`` that are known on the channel."""
        ...

    async def page(
        self, where: OrderFilter, after: OrderPosition | None, limit: int
    ) -> list[StoredOrder]:
        """Newest first (placed time, then id)."""
        ...

    async def customer_totals(self, customer_id: UUID) -> CustomerTotals: ...

    async def histories(self, orders: Sequence[Order], window: timedelta) -> list[CustomerHistory]:
        """What the risk score counts (risk.py), per order in order: the customer's earlier
        orders and their average, and the orders to the same receiver address or phone (by
        blind index) placed within ``window`` before it; the order itself is not counted.
        One look-up for all of them."""
        ...

    async def likely_duplicates(
        self, orders: Sequence[Order], window: timedelta
    ) -> list[str | None]:
        """Per order in order, the number of an earlier order it likely duplicates: to the
        same receiver (name, phone and address, by blind index), with the same SKUs (gifts
        aside), placed within ``window`` before it, not cancelled nor merged away; None
        when there is none. One look-up for all of them."""
        ...

    async def lock_unpaid_due(self, placed_before: datetime, limit: int) -> list[Order]:
        """Orders of the own API or staff entry (a marketplace settles its own) still
        pending payment and placed before ``placed_before``, not cash on delivery, locked
        for this transaction; one another transaction holds is skipped (two schedulers
        never take the same one)."""
        ...

    async def lock_holds_due(self, now: datetime, limit: int) -> list[Order]:
        """Orders whose hold has an end at or before ``now``, locked (skip locked)."""
        ...

    async def lock_delivered_before(self, cutoff: datetime, limit: int) -> list[Order]:
        """Orders delivered (signed for) at or before ``cutoff`` and still ``delivered``,
        locked (skip locked)."""
        ...

    async def lock_awaiting_stock(self, limit: int) -> list[Order]:
        """Orders with an open out_of_stock abnormality, locked (skip locked), oldest first."""
        ...

    async def lock_awaiting_review(
        self, after: OrderPosition | None, limit: int, down_to: OrderPosition | None = None
    ) -> list[Order]:
        """A page of the orders awaiting review, newest first (placed time, then id) after
        ``after`` and down to ``down_to`` (that order included), locked (skip locked: one
        another transaction holds is left out)."""
        ...

    async def waiting_ranges(self, size: int) -> tuple[int, list[OrderPosition]]:
        """How many orders await review, and where each run of ``size`` of them ends,
        newest first (its last order): read by key only, nothing locked."""
        ...

    async def lock_merge_groups(
        self, now: datetime, limit: int, shop_groups: Mapping[UUID, str]
    ) -> list[list[StoredOrder]]:
        """Up to ``limit`` groups of two or more orders due to merge automatically — still
        mergeable (paid, awaiting review or approved, not merged or split, no refund
        requested), past their wait (a rule's ``merge_after``, else the tenant's
        ``merge_wait_minutes`` from payment) — of one customer, shop group and receiver
        (blind index), oldest payment first, locked (skip locked: two runs never take one
        order). ``shop_groups``: the channels of a shop group, with its code (the catalog's
        ``ChannelRepository.shop_groups``); any other channel is a group of its own."""
        ...

    async def merge_wait_minutes(self) -> int | None:
        """The tenant's wait from payment before orders merge automatically (None: only the
        orders a rule made merge-eligible)."""
        ...

    async def set_merge_wait_minutes(self, minutes: int | None, at: datetime) -> None: ...

    async def unpaid_minutes(self) -> int:
        """The tenant's unpaid limit (default 30 minutes)."""
        ...

    async def set_unpaid_minutes(self, minutes: int, at: datetime) -> None: ...

    async def count(self) -> int:
        """How many orders the tenant has (all of them, retired and cancelled too)."""
        ...

    async def refresh_report_fields(
        self, after: UUID | None, limit: int
    ) -> tuple[int, UUID | None]:
        """Up to ``limit`` of the tenant's orders after ``after`` in id order: what the
        reports read in the clear beside the sealed order — the receiver's province, the
        due time of the earliest open abnormality — written again from the order where it
        differs (orders placed before they were kept have neither). How many were read,
        and the last one's id (None: none)."""
        ...

    async def risk_policy(self) -> RiskPolicy:
        """The tenant's risk policy (the defaults until it sets one)."""
        ...

    async def set_risk_policy(self, policy: RiskPolicy, at: datetime) -> None: ...

    async def rule_set(self) -> RuleSet:
        """The tenant's current review rule set (version 0, no rules, when none was saved)."""
        ...

    async def add_rule_set(self, rule_set: RuleSet, actor: str, at: datetime) -> None:
        """Keeps a new version; raises ``StaleVersion`` when that version exists already
        (another editor saved first)."""
        ...

    def attempt(self) -> AbstractAsyncContextManager[None]:
        """A savepoint: what runs inside is undone if it raises, the transaction goes on
        (a marketplace order whose stock is missing is still accepted)."""
        ...


class OrderStore(Protocol):
    orders: OrderRepository


ORDERS: StoreKey[OrderStore] = StoreKey("orders")


@dataclass(frozen=True)
class PriceRequest:
    sku_id: UUID
    quantity: int


@dataclass(frozen=True)
class PricedLine:
    """A SKU's unit price before discounts (its list price) and the discounts that bring it
    to what the buyer pays, each explained (``member_price``, ``promotion:<id>``, ...)."""

    sku_id: UUID
    unit_price: Decimal
    discounts: tuple[Discount, ...] = ()


class PricingPolicy(Protocol):
    async def price(
        self,
        uow: UnitOfWork,
        lines: Sequence[PriceRequest],
        channel_id: UUID | None,
        tier: str | None,
        at: datetime,
    ) -> list[PricedLine]:
        """One priced line per requested line, in order. Raises ``NotFound(entity="sku")``
        for a SKU the tenant does not have and ``Conflict("sku_has_no_price")``."""
        ...


class DueOrders(Protocol):
    """Across tenants (the platform role): which tenants have work for a sweep."""

    async def tenants_with_unpaid_due(self, now: datetime) -> list[UUID]: ...

    async def tenants_awaiting_stock(self) -> list[UUID]: ...

    async def tenants_with_holds_due(self, now: datetime) -> list[UUID]: ...

    async def tenants_with_deliveries_due(self, cutoff: datetime) -> list[UUID]: ...

    async def tenants_with_merges_due(self, now: datetime) -> list[UUID]: ...


@dataclass(frozen=True)
class ReplacementLine:
    sku_id: UUID
    quantity: int
    title: str | None = None


@dataclass(frozen=True)
class Replacement:
    """An order after-sales places at the merchant's cost (ORD-6): an exchange's
    replacement or a resend. Every line at price 0 (nothing to pay: the order is paid at
    once and waits for review), to the original order's receiver, channel and customer.
    ``held``: held until the returned goods arrive (``release_replacement``)."""

    original_id: UUID
    lines: tuple[ReplacementLine, ...]
    reason: str  # on the new order's timeline: "exchange for case …", "resend for case …"
    held: bool = False


class AftersalesOrders(Protocol):
    """What after-sales asks of orders inside its own command: written in the caller's
    transaction with the orders' audit records and events."""

    async def refund_returned(self, work: Work, order_id: UUID, refund: Refund) -> bool:
        """Record a refund for returned goods (after shipment too), exact to the fen and
        never more than the payment it names still holds (409 ``order_payment_refused``).
        False, nothing written, when a refund of that id is already recorded."""
        ...

    async def place_replacement(self, work: Work, replacement: Replacement) -> Order:
        """The new order, its stock reserved (409 ``order_out_of_stock`` when missing)."""
        ...

    async def release_replacement(self, work: Work, order_id: UUID, reason: str) -> None:
        """Release the hold of a replacement order (nothing when it is not held)."""
        ...


class OrderDeliveries(Protocol):
    """What logistics tells orders inside its own command (LOG-2): a parcel signed for."""

    async def delivered(
        self, work: Work, order_id: UUID, tracking_no: str, at: datetime, *, last: bool
    ) -> bool:
        """A parcel signed for. A shipped order whose ``last`` live parcel this is becomes
        delivered (signed); otherwise — more parcels on the way, or more to ship — the
        parcel is noted on its timeline. False, nothing written, for an order past that
        (delivered already, completed, in after-sales) or unknown."""
        ...


@dataclass(frozen=True)
class ParcelOrder:
    """What logistics reads of an order to recommend its carrier (LOG-3): where it goes,
    what it weighs by its lines (0: unknown), each line's SKU and units (for the catalog's
    weights) and whether the carrier collects its balance."""

    province: str
    weight_grams: int
    sku_units: tuple[tuple[UUID, int], ...]
    cash_on_delivery: bool


class OrderParcels(Protocol):
    """What logistics reads of an order (LOG-3), in its own unit of work."""

    async def parcel(self, uow: UnitOfWork, order_id: UUID) -> ParcelOrder | None:
        """The order as a parcel; None when the tenant has no such order."""
        ...


@dataclass(frozen=True)
class WavePage:
    """A page of orders in one status for wave planning (not locked), and where the next
    page starts (None: the last)."""

    orders: tuple[Order, ...]
    after: OrderPosition | None


class FulfilmentOrders(Protocol):
    """What fulfilment asks of orders inside its own command (LOG-1): orders' own rules
    change the order, written in the caller's transaction with its events."""

    async def page_in_status(
        self, uow: UnitOfWork, status: OrderStatus, after: OrderPosition | None, limit: int
    ) -> WavePage:
        """A page of the orders in ``status`` (newest first), not locked."""
        ...

    async def lock_for_wave(
        self, uow: UnitOfWork, order_id: UUID, status: OrderStatus
    ) -> Order | None:
        """The order locked, if it is still in ``status``, has no refund requested and
        holds stock; else None."""
        ...

    async def locked(self, uow: UnitOfWork, order_id: UUID) -> Order:
        """The order locked for the transaction (404 when missing)."""
        ...

    async def many(self, uow: UnitOfWork, order_ids: Sequence[UUID]) -> dict[UUID, Order]: ...

    async def start_picking(self, work: Work, order: Order) -> None:
        """A locked order's stock is pick-locked in a wave: approved or allocated → picking;
        a partly shipped one notes ``wave_planned``."""
        ...

    async def record_shipment(
        self, work: Work, order: Order, units: Mapping[UUID, int], issued: Sequence[UUID]
    ) -> None:
        """A parcel left with ``units`` of its lines (line id → units), its reservations
        ``issued``: shipped, or partly shipped with the rest still reserved."""
        ...

    async def short_picked(
        self,
        work: Work,
        order: Order,
        gone: Sequence[UUID],
        taken: Sequence[UUID],
        detail: Mapping[str, str],
    ) -> None:
        """A short pick: the reservations ``gone`` (released by fulfilment) replaced by
        ``taken``, noted ``short_pick`` with ``detail``."""
        ...

    async def intercepted(self, work: Work, order: Order, reason: str) -> None:
        """A parcel stopped before dispatch: everything the order holds released, the order
        cancelled (or, partly shipped already, noted ``intercepted``)."""
        ...

    async def interception_requested(
        self, work: Work, order: Order, reason: str, detail: Mapping[str, str]
    ) -> None:
        """A dispatched parcel the carrier was asked to stop: noted on the timeline."""
        ...


class ChannelError(Exception):
    """A sales channel's platform did not take a call through its connector (the
    connectors' ``ChannelUnavailable`` and ``ChannelRefused``): what ``ChannelRefunds`` and
    the shipment reports raise, and what their callers catch."""


class ChannelRefunds(Protocol):
    """After-sales' refunds told to the channel the order came from (ORD-6, CHN-2)."""

    async def report_refund(
        self, uow: UnitOfWork, order_id: UUID, refund_id: UUID, amount: Decimal
    ) -> bool:
        """Through the channel's connector; False (nothing sent) for an order of no channel
        with a connector. Raises a ``ChannelError`` when the platform does not take it."""
        ...
