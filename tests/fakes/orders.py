"""In-memory orders store (``uow.of(ORDERS)``), held to the ports like the Postgres adapter:
versioned saves, platform order ids unique per channel (idempotent intake), newest-first
keyset pages, locked batches skipping what another sweep took.

``attempt()`` here undoes nothing of other modules' fake tables: the marketplace intake and
the restock sweep, which rely on the savepoint, are tested on the real database
(tests/e2e/orders, tests/integration/orders)."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

from application.orders.ports import (
    ORDERS,
    CustomerTotals,
    OrderFilter,
    OrderPosition,
    OrderRepository,
    OrderStore,
    StoredOrder,
)
from domain.orders.abnormal import AbnormalType
from domain.orders.merge import MERGEABLE, in_shop_groups
from domain.orders.order import Order
from domain.orders.risk import CustomerHistory, RiskPolicy
from domain.orders.rules.ruleset import RuleSet
from domain.orders.status import OrderStatus
from domain.orders.values import MAX_PARTS, OrderNumber
from domain.shared.errors import Conflict, StaleVersion
from tests.fakes.stores import FakeStore

DEFAULT_UNPAID_MINUTES = 30


@dataclass
class OrderTables:
    orders: dict[UUID, StoredOrder] = field(default_factory=dict)
    platform_ids: dict[tuple[UUID, str], UUID] = field(default_factory=dict)
    unpaid_minutes: int | None = None
    merge_wait_minutes: int | None = None
    risk_policy: RiskPolicy = field(default_factory=RiskPolicy)
    rule_sets: list[RuleSet] = field(default_factory=list)
    numbers: int = 0

    def copy(self) -> OrderTables:
        return copy.deepcopy(self)


def _copy(order: Order) -> Order:
    found = copy.deepcopy(order)
    found.events = []
    return found


class FakeOrderRepository(OrderRepository):
    def __init__(self, tables: OrderTables) -> None:
        self._t = tables

    async def next_number(self, at: datetime) -> str:
        self._t.numbers += 1
        return f"SO{at:%y%m%d}{self._t.numbers:08d}"

    async def last_part(self, number: OrderNumber) -> int:
        bases = {number.part(i).value: i for i in range(1, MAX_PARTS + 1)}
        found = [bases.get(o.order.number.value, 0) for o in self._t.orders.values()]
        return max(found, default=0)

    async def add(self, order: Order, source: str) -> None:
        keys = [(order.channel_id, p) for p in order.platform_order_ids if order.channel_id]
        if any(key in self._t.platform_ids for key in keys):
            raise Conflict("order_already_imported")
        for channel_id, platform_id in keys:
            assert channel_id is not None
            self._t.platform_ids[(channel_id, platform_id)] = order.id
        merged_from = tuple(o.id for o in order.merged_from)
        self._t.orders[order.id] = StoredOrder(_copy(order), source, merged_from)

    async def add_many(self, added: Sequence[Order], source: str) -> None:
        for order in added:
            await self.add(order, source)

    async def get(self, order_id: UUID, *, for_update: bool = False) -> StoredOrder | None:
        found = self._t.orders.get(order_id)
        if found is None:
            return None
        return StoredOrder(_copy(found.order), found.source, found.merged_from)

    async def many(self, order_ids: Sequence[UUID]) -> list[StoredOrder]:
        found = [await self.get(order_id) for order_id in order_ids]
        return [stored for stored in found if stored is not None]

    async def save(self, order: Order, expected_version: int) -> None:
        stored = self._t.orders.get(order.id)
        if stored is None or stored.order.version != expected_version:
            raise StaleVersion(expected=expected_version)
        self._t.orders[order.id] = StoredOrder(_copy(order), stored.source, stored.merged_from)

    async def save_many(self, changes: Sequence[tuple[Order, int]]) -> None:
        for order, version in changes:
            await self.save(order, version)

    async def by_platform_id(self, channel_id: UUID, platform_order_id: str) -> UUID | None:
        return self._t.platform_ids.get((channel_id, platform_order_id))

    async def by_platform_ids(
        self, channel_id: UUID, platform_order_ids: Sequence[str]
    ) -> dict[str, UUID]:
        ids = self._t.platform_ids
        return {p: ids[channel_id, p] for p in platform_order_ids if (channel_id, p) in ids}

    async def page(
        self, where: OrderFilter, after: OrderPosition | None, limit: int
    ) -> list[StoredOrder]:
        def keep(s: StoredOrder) -> bool:
            o = s.order
            return (
                (where.status is None or o.status is where.status)
                and (where.channel_id is None or o.channel_id == where.channel_id)
                and (where.customer_id is None or o.customer_id == where.customer_id)
                and (where.source is None or s.source == where.source)
                and (where.placed_from is None or o.placed_at >= where.placed_from)
                and (where.placed_to is None or o.placed_at < where.placed_to)
                and not (where.live and o.retired)
                and (after is None or (o.placed_at, o.id) < (after.placed_at, after.order_id))
            )

        found = sorted(
            (s for s in self._t.orders.values() if keep(s)),
            key=lambda s: (s.order.placed_at, s.order.id),
            reverse=True,
        )
        return [StoredOrder(_copy(s.order), s.source, s.merged_from) for s in found[:limit]]

    async def customer_totals(self, customer_id: UUID) -> CustomerTotals:
        found = [
            s.order
            for s in self._t.orders.values()
            if s.order.customer_id == customer_id
            and s.order.status is not OrderStatus.CANCELLED
            and not s.order.retired
        ]
        return CustomerTotals(
            len(found),
            sum((o.total for o in found), Decimal("0.00")),
            sum((o.paid_amount for o in found), Decimal("0.00")),
            min((o.placed_at for o in found), default=None),
            max((o.placed_at for o in found), default=None),
        )

    async def likely_duplicates(
        self, orders: Sequence[Order], window: timedelta
    ) -> list[str | None]:
        return [self._duplicate(order, window) for order in orders]

    def _duplicate(self, order: Order, window: timedelta) -> str | None:
        def skus(o: Order) -> set[UUID]:
            return {line.sku_id for line in o.lines if not line.gift}

        earlier = [
            s.order
            for s in self._t.orders.values()
            if s.order.id != order.id
            and s.order.status is not OrderStatus.CANCELLED
            and s.order.merged_into is None
            and order.placed_at - window <= s.order.placed_at <= order.placed_at
            and s.order.receiver.match_key() == order.receiver.match_key()
            and skus(s.order) == skus(order)
        ]
        latest = max(earlier, key=lambda o: (o.placed_at, o.id), default=None)
        return latest.number.value if latest is not None else None

    async def histories(self, orders: Sequence[Order], window: timedelta) -> list[CustomerHistory]:
        return [self._history(order, window) for order in orders]

    def _history(self, order: Order, window: timedelta) -> CustomerHistory:
        others = [
            s.order
            for s in self._t.orders.values()
            if s.order.id != order.id and s.order.status is not OrderStatus.CANCELLED
        ]
        mine = [
            o
            for o in others
            if order.customer_id is not None
            and o.customer_id == order.customer_id
            and o.merged_into is None
        ]
        recent = [o for o in others if order.placed_at - window <= o.placed_at <= order.placed_at]
        key = order.receiver.match_key()
        phone = "".join(order.receiver.phone.split())
        average = (
            (sum((o.total for o in mine), Decimal(0)) / len(mine)).quantize(Decimal("0.01"))
            if mine
            else None
        )
        return CustomerHistory(
            len(mine),
            average,
            sum(1 for o in recent if o.receiver.match_key() == key),
            sum(1 for o in recent if "".join(o.receiver.phone.split()) == phone),
            window,
        )

    async def lock_unpaid_due(self, placed_before: datetime, limit: int) -> list[Order]:
        found = sorted(
            (
                s.order
                for s in self._t.orders.values()
                if s.order.status is OrderStatus.PENDING_PAYMENT
                and s.source in ("staff", "api")
                and not s.order.cash_on_delivery
                and s.order.placed_at < placed_before
            ),
            key=lambda o: o.placed_at,
        )
        return [_copy(o) for o in found[:limit]]

    async def lock_holds_due(self, now: datetime, limit: int) -> list[Order]:
        found = [
            s.order
            for s in self._t.orders.values()
            if s.order.hold is not None and s.order.hold.expired(now)
        ]
        return [_copy(o) for o in found[:limit]]

    async def lock_delivered_before(self, cutoff: datetime, limit: int) -> list[Order]:
        found = [
            s.order
            for s in self._t.orders.values()
            if s.order.status is OrderStatus.DELIVERED
            and any(
                e.to_status == OrderStatus.DELIVERED.value and e.at <= cutoff
                for e in s.order.timeline
            )
        ]
        return [_copy(o) for o in found[:limit]]

    async def lock_awaiting_stock(self, limit: int) -> list[Order]:
        found = [
            s.order
            for s in self._t.orders.values()
            if any(a.type is AbnormalType.OUT_OF_STOCK for a in s.order.abnormalities)
        ]
        return [_copy(o) for o in sorted(found, key=lambda o: o.placed_at)[:limit]]

    async def lock_awaiting_review(
        self, after: OrderPosition | None, limit: int, down_to: OrderPosition | None = None
    ) -> list[Order]:
        found = [
            o
            for o in self._waiting()
            if (after is None or (o.placed_at, o.id) < (after.placed_at, after.order_id))
            and (down_to is None or (o.placed_at, o.id) >= (down_to.placed_at, down_to.order_id))
        ]
        return [_copy(o) for o in found[:limit]]

    async def waiting_ranges(self, size: int) -> tuple[int, list[OrderPosition]]:
        waiting = self._waiting()
        ends = [OrderPosition(o.placed_at, o.id) for o in waiting[size - 1 :: size]]
        return len(waiting), ends

    def _waiting(self) -> list[Order]:
        """The orders awaiting review, newest first."""
        waiting = OrderStatus.AWAITING_REVIEW
        return sorted(
            (s.order for s in self._t.orders.values() if s.order.status is waiting),
            key=lambda o: (o.placed_at, o.id),
            reverse=True,
        )

    async def lock_merge_groups(
        self, now: datetime, limit: int, shop_groups: Mapping[UUID, str]
    ) -> list[list[StoredOrder]]:
        wait, group_of = self._t.merge_wait_minutes, in_shop_groups(shop_groups)

        def due(o: Order) -> bool:
            due_at = o.merge_after
            if due_at is None and wait is not None and o.paid_at is not None:
                due_at = o.paid_at + timedelta(minutes=wait)
            return (
                o.status in MERGEABLE
                and not o.retired
                and not o.refund_requested
                and o.customer_id is not None
                and due_at is not None
                and due_at <= now
            )

        groups: dict[tuple[object, ...], list[StoredOrder]] = {}
        for s in sorted(self._t.orders.values(), key=lambda s: (s.order.paid_at, s.order.id)):
            if due(s.order):
                key = (
                    s.order.customer_id,
                    group_of(s.order.channel_id),
                    s.order.receiver.match_key(),
                )
                groups.setdefault(key, []).append(
                    StoredOrder(_copy(s.order), s.source, s.merged_from)
                )
        return [g for g in groups.values() if len(g) >= 2][:limit]

    async def merge_wait_minutes(self) -> int | None:
        return self._t.merge_wait_minutes

    async def set_merge_wait_minutes(self, minutes: int | None, at: datetime) -> None:
        self._t.merge_wait_minutes = minutes

    async def unpaid_minutes(self) -> int:
        return self._t.unpaid_minutes or DEFAULT_UNPAID_MINUTES

    async def set_unpaid_minutes(self, minutes: int, at: datetime) -> None:
        self._t.unpaid_minutes = minutes

    async def count(self) -> int:
        return len(self._t.orders)

    async def refresh_report_fields(
        self, after: UUID | None, limit: int
    ) -> tuple[int, UUID | None]:
        """The fake keeps no report fields: only the walk in id order."""
        ids = sorted(i for i in self._t.orders if after is None or i > after)[:limit]
        return len(ids), ids[-1] if ids else None

    async def risk_policy(self) -> RiskPolicy:
        return self._t.risk_policy

    async def set_risk_policy(self, policy: RiskPolicy, at: datetime) -> None:
        self._t.risk_policy = policy

    async def rule_set(self) -> RuleSet:
        return self._t.rule_sets[-1] if self._t.rule_sets else RuleSet.empty()

    async def add_rule_set(self, rule_set: RuleSet, actor: str, at: datetime) -> None:
        if any(r.version == rule_set.version for r in self._t.rule_sets):
            raise StaleVersion(expected=rule_set.version - 1)
        self._t.rule_sets.append(rule_set)

    @asynccontextmanager
    async def attempt(self) -> AsyncIterator[None]:
        yield


class FakeOrderStore(OrderStore):
    def __init__(self, tables: OrderTables) -> None:
        self.orders = FakeOrderRepository(tables)


def build(tables: OrderTables) -> OrderStore:
    return FakeOrderStore(tables)


# Found by the fake unit of work (tests/fakes/stores.py).
FAKE = FakeStore(ORDERS, OrderTables, lambda tables, parts: build(tables))
