"""What the review's rules know beyond each order (ORD-1, ORD-5): the time in the tenant's
zone, the customer's tags, the rules that already acted on it — and, only when a rule of
the set reads them (``needs_of``), the risk score from the customer's and the receiver's
history, the SKUs' unit costs (inventory's costing) and list prices (the catalog's), and
an earlier order this one likely duplicates. Each is read once for all the orders of a
page, however many: the zone, each customer, one query per kind of fact."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from uuid import UUID

from application.catalog.ports.store import CATALOG
from application.customers.ports import CUSTOMERS
from application.inventory.ports import INVENTORY
from application.orders.common import store_of
from application.shared.tenant_terms import tenant_terms
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Reading
from domain.orders.abnormal import AbnormalType
from domain.orders.order import Order
from domain.orders.risk import RiskAssessment, assess
from domain.orders.rules.actions import MarkAbnormal
from domain.orders.rules.buyer_conditions import LikelyDuplicate, RiskScoreAtLeast
from domain.orders.rules.facts import CustomerFacts, EvaluationContext, acted_rules
from domain.orders.rules.price_conditions import PriceBelowCost, PriceBelowList
from domain.orders.rules.ruleset import RuleSet

# Customer tags that put a buyer on the blacklist (``customer_blacklisted``).
BLACKLIST_TAGS = frozenset({"blacklist", "黑名单"})


@dataclass(frozen=True)
class Needs:
    """The facts a rule set reads that cost a query of their own."""

    risk: bool = False
    unit_costs: bool = False
    list_prices: bool = False
    duplicate_hours: int | None = None  # the longest window a likely_duplicate asks


def needs_of(rule_set: RuleSet) -> Needs:
    """What the rule set reads: the risk score when a rule reads it or marks a suspected
    fraud (which records it), costs and list prices for the price conditions, earlier
    orders for ``likely_duplicate``."""
    conditions = [c for r in rule_set.rules for c in r.conditions]
    hours = [c.hours for c in conditions if isinstance(c, LikelyDuplicate)]
    return Needs(
        risk=any(isinstance(c, RiskScoreAtLeast) for c in conditions)
        or any(
            isinstance(a, MarkAbnormal) and a.type is AbnormalType.SUSPECTED_FRAUD
            for r in rule_set.rules
            for a in r.actions
        ),
        unit_costs=any(isinstance(c, PriceBelowCost) for c in conditions),
        list_prices=any(isinstance(c, PriceBelowList) for c in conditions),
        duplicate_hours=max(hours) if hours else None,
    )


async def contexts_of(
    uow: UnitOfWork, orders: Sequence[Order], reading: Reading, needs: Needs
) -> list[EvaluationContext]:
    zone, now = (await tenant_terms(uow)).zone, reading.clock.now()
    customers: dict[UUID, CustomerFacts] = {}
    for customer_id in dict.fromkeys(o.customer_id for o in orders if o.customer_id):
        customers[customer_id] = await _customer(uow, customer_id)
    risks: list[RiskAssessment | None] = [None] * len(orders)
    if needs.risk and orders:
        policy = await store_of(uow).orders.risk_policy()  # the tenant's thresholds
        histories = await store_of(uow).orders.histories(orders, policy.window)
        risks = [assess(o, h, policy) for o, h in zip(orders, histories, strict=True)]
    costs: Mapping[UUID, Decimal] = {}
    listed: Mapping[UUID, Decimal] = {}
    if (needs.unit_costs or needs.list_prices) and orders:
        skus = list(dict.fromkeys(line.sku_id for o in orders for line in o.lines if not line.gift))
        if needs.unit_costs:
            costs = await uow.of(INVENTORY).unit_costs.average_unit_costs(skus)
        if needs.list_prices:
            listed = await uow.of(CATALOG).prices.list_prices(skus)
    duplicates: list[str | None] = [None] * len(orders)
    if needs.duplicate_hours is not None and orders:
        window = timedelta(hours=needs.duplicate_hours)
        duplicates = await store_of(uow).orders.likely_duplicates(orders, window)
    return [
        EvaluationContext(
            now,
            zone,
            customer=customers.get(order.customer_id, CustomerFacts())
            if order.customer_id
            else CustomerFacts(),
            risk=risks[i],
            acted=acted_rules(order),
            unit_costs=costs,
            list_prices=listed,
            duplicate_of=duplicates[i],
        )
        for i, order in enumerate(orders)
    ]


async def _customer(uow: UnitOfWork, customer_id: UUID) -> CustomerFacts:
    found = await uow.of(CUSTOMERS).customers.get(customer_id)
    if found is None or found.profile is None:
        return CustomerFacts()
    tags = frozenset(found.profile.tags)
    return CustomerFacts(tags, bool(tags & BLACKLIST_TAGS))
