"""Reading orders (ORD-1): one order, its timeline, a page of orders with filters
(status, channel, customer, source, placed between), newest first by keyset."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from typing import TypeVar
from uuid import UUID

from application.customers.ports import CUSTOMERS
from application.identity.ports import actor_names
from application.orders.common import load_order, store_of
from application.orders.ports import CustomerTotals, OrderFilter, OrderPosition, StoredOrder
from application.shared.pagination import (
    Page,
    clamp_limit,
    page_of,
    time_and_id,
    time_and_id_after,
)
from application.shared.use_case import Command, Query, Reading, Work
from domain.orders.permissions import ORDERS_READ, ORDERS_RULES
from domain.orders.risk import RiskPolicy
from domain.orders.state import ENTITY
from domain.orders.timeline import TimelineEntry
from domain.shared.errors import NotFound, ValidationFailed

V = TypeVar("V")
MAX_UNPAID_MINUTES = 30 * 24 * 60
MAX_MERGE_WAIT_MINUTES = 7 * 24 * 60  # as a rule's merge_eligible wait


class GetOrder(Query[StoredOrder], entity=ENTITY, permission=ORDERS_READ):
    order_id: UUID


@dataclass(frozen=True)
class OrderTimeline:
    entries: tuple[TimelineEntry, ...]
    actor_names: dict[str, str]  # who a person's or an API key's label is (the audit's)


class GetOrderTimeline(Query[OrderTimeline], entity=ENTITY, permission=ORDERS_READ):
    order_id: UUID


class ListOrders(Query[Page[StoredOrder]], entity=ENTITY, permission=ORDERS_READ):
    where: OrderFilter = OrderFilter()
    cursor: str | None = None
    limit: int | None = None


class GetOrderHandler:
    async def handle(self, query: GetOrder, reading: Reading) -> StoredOrder:
        return await load_order(reading.uow, query.order_id)


class GetOrderTimelineHandler:
    async def handle(self, query: GetOrderTimeline, reading: Reading) -> OrderTimeline:
        entries = (await load_order(reading.uow, query.order_id)).order.timeline
        names = await actor_names(reading.uow, (e.actor for e in entries))
        return OrderTimeline(entries, names)


class ListOrdersHandler:
    async def handle(self, query: ListOrders, reading: Reading) -> Page[StoredOrder]:
        size = clamp_limit(query.limit)
        after = time_and_id_after(query.cursor)
        position = OrderPosition(*after) if after else None
        rows = await store_of(reading.uow).orders.page(query.where, position, size + 1)
        return page_of(rows, size, lambda s: time_and_id(s.order.placed_at, s.order.id))


class GetCustomerTotals(Query[CustomerTotals], entity="customer", permission=ORDERS_READ):
    """A customer's orders and totals, for their profile (CRM-1); 404 for a customer the
    company does not have."""

    customer_id: UUID


class GetCustomerTotalsHandler:
    async def handle(self, query: GetCustomerTotals, reading: Reading) -> CustomerTotals:
        if await reading.uow.of(CUSTOMERS).customers.get(query.customer_id) is None:
            raise NotFound(entity="customer")
        return await store_of(reading.uow).orders.customer_totals(query.customer_id)


# --- the tenant's unpaid limit ---------------------------------------------------------------


class GetUnpaidLimit(Query[int], entity="order_settings", permission=ORDERS_READ):
    pass


class SetUnpaidLimit(
    Command[int], action="order_settings.update", entity="order_settings", permission=ORDERS_RULES
):
    """How many minutes an order of the own API or staff entry may wait for payment
    before the unpaid-timeout job cancels it and releases its stock."""

    minutes: int


class GetUnpaidLimitHandler:
    async def handle(self, query: GetUnpaidLimit, reading: Reading) -> int:
        return await store_of(reading.uow).orders.unpaid_minutes()


class SetUnpaidLimitHandler:
    async def handle(self, command: SetUnpaidLimit, work: Work) -> int:
        if not 1 <= command.minutes <= MAX_UNPAID_MINUTES:
            raise ValidationFailed.single(
                "minutes", "unpaid_limit_out_of_range", min=1, max=MAX_UNPAID_MINUTES
            )
        orders = store_of(work.uow).orders
        await _set(
            work, "unpaidMinutes", command.minutes, orders.unpaid_minutes, orders.set_unpaid_minutes
        )
        return command.minutes


# --- the tenant's automatic-merge wait (ORD-4) ------------------------------------------------


class GetMergeWait(Query[int | None], entity="order_settings", permission=ORDERS_READ):
    pass


class SetMergeWait(
    Command[int | None],
    action="order_settings.update",
    entity="order_settings",
    permission=ORDERS_RULES,
):
    """Minutes from payment after which the tenant's orders of one customer, shop and
    receiver merge automatically (None: only the orders a rule made merge-eligible)."""

    minutes: int | None


class GetMergeWaitHandler:
    async def handle(self, query: GetMergeWait, reading: Reading) -> int | None:
        return await store_of(reading.uow).orders.merge_wait_minutes()


class SetMergeWaitHandler:
    async def handle(self, command: SetMergeWait, work: Work) -> int | None:
        if command.minutes is not None and not 0 <= command.minutes <= MAX_MERGE_WAIT_MINUTES:
            raise ValidationFailed.single(
                "minutes", "merge_wait_out_of_range", min=0, max=MAX_MERGE_WAIT_MINUTES
            )
        orders = store_of(work.uow).orders
        await _set(
            work,
            "mergeWaitMinutes",
            command.minutes,
            orders.merge_wait_minutes,
            orders.set_merge_wait_minutes,
        )
        return command.minutes


# --- the tenant's risk policy (ORD-5) --------------------------------------------------------


class GetRiskPolicy(Query[RiskPolicy], entity="order_settings", permission=ORDERS_RULES):
    """The thresholds of the suspected-fraud score (the defaults until the tenant sets
    them): staff who tune them read them, a buyer's helper need not."""


class SetRiskPolicy(
    Command[RiskPolicy],
    action="order_settings.update",
    entity="order_settings",
    permission=ORDERS_RULES,
):
    """The whole policy; a field left out (None) keeps its default. Used by the review from
    the next order on."""

    far_above_factor: Decimal | None = None
    far_above_points: int | None = None
    many_orders: int | None = None
    many_orders_points: int | None = None
    high_amount: Decimal | None = None
    new_customer_points: int | None = None
    suspect_from: int | None = None
    window_hours: int | None = None


class GetRiskPolicyHandler:
    async def handle(self, query: GetRiskPolicy, reading: Reading) -> RiskPolicy:
        return await store_of(reading.uow).orders.risk_policy()


class SetRiskPolicyHandler:
    async def handle(self, command: SetRiskPolicy, work: Work) -> RiskPolicy:
        given = {f.name: getattr(command, f.name) for f in fields(RiskPolicy)}
        policy = RiskPolicy(**{name: value for name, value in given.items() if value is not None})
        orders = store_of(work.uow).orders
        before = await orders.risk_policy()
        if before != policy:
            await orders.set_risk_policy(policy, work.clock.now())
            work.audit(None, {"riskPolicy": before.figures()}, {"riskPolicy": policy.figures()})
        return policy


async def _set(
    work: Work,
    name: str,
    value: V,
    current: Callable[[], Awaitable[V]],
    write: Callable[[V, datetime], Awaitable[None]],
) -> None:
    """One of the tenant's order settings: written and audited when it changes."""
    before = await current()
    if before != value:
        await write(value, work.clock.now())
        work.audit(None, {name: before}, {name: value})
