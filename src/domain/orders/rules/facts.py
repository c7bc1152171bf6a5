"""What the rules look at, computed once per order (so 50 rules do not add up the order
50 times), and what the use case tells the engine about the world around the order."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal
from uuid import UUID
from zoneinfo import ZoneInfo

from domain.orders.risk import RiskAssessment
from domain.orders.state import OrderState
from domain.orders.status import OrderStatus
from domain.orders.timeline import RuleRef

ACTOR = "rule_engine"  # who the rule engine's timeline entries name


def fold(text: str) -> str:
    """How rule texts compare with order texts: NFKC, case-folded, without spaces."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass(frozen=True)
class CustomerFacts:
    tags: frozenset[str] = frozenset()
    blacklisted: bool = False


@dataclass(frozen=True)
class EvaluationContext:
    now: datetime
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    customer: CustomerFacts = field(default_factory=CustomerFacts)
    risk: RiskAssessment | None = None  # computed by the use case (risk.py) when needed
    # the rules (id and version) that already acted on the order (its timeline): reviewed
    # again — a hold released — their actions are not taken twice (``acted_rules``)
    acted: frozenset[RuleRef] = frozenset()
    # read by the use case only when a rule asks (price_conditions.py, LikelyDuplicate):
    # each SKU's unit cost (inventory's costing) and list price (the catalog's), and the
    # number of an earlier order this one likely duplicates
    unit_costs: Mapping[UUID, Decimal] = field(default_factory=dict)
    list_prices: Mapping[UUID, Decimal] = field(default_factory=dict)
    duplicate_of: str | None = None


def acted_rules(order: OrderState) -> frozenset[RuleRef]:
    """The rules whose actions the rule engine put on the order's timeline (a merge or a
    split a rule led to is another actor's entry: the merged order is reviewed afresh)."""
    return frozenset(e.rule for e in order.timeline if e.rule is not None and e.actor == ACTOR)


@dataclass(frozen=True)
class OrderFacts:
    order: OrderState
    context: EvaluationContext
    total: Decimal
    weight_grams: int
    quantity: int
    sku_quantities: Mapping[UUID, int]
    province: str
    city: str
    address: str
    paid_local_time: time | None

    @classmethod
    def of(cls, order: OrderState, context: EvaluationContext) -> OrderFacts:
        quantities: dict[UUID, int] = {}
        for line in order.lines:
            quantities[line.sku_id] = quantities.get(line.sku_id, 0) + line.quantity
        address = order.receiver.address
        paid = order.paid_at.astimezone(context.timezone).time() if order.paid_at else None
        return cls(
            order=order,
            context=context,
            total=order.total,
            weight_grams=order.weight_grams,
            quantity=sum(quantities.values()),
            sku_quantities=quantities,
            province=fold(address.province),
            city=fold(address.city),
            address=fold(address.text()),
            paid_local_time=paid,
        )

    @property
    def unpaid(self) -> bool:
        status = self.order.resume_status or self.order.status
        return status is OrderStatus.PENDING_PAYMENT
