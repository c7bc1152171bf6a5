"""The risk score of a suspected fraud (ORD-5): a pure function over the order and a small
summary of the customer's history, returning a score from 0 to 100 and its reasons.

Reasons and their points (``RiskPolicy``, the tenant's own or these defaults):
- far above the customer's usual amount: total ≥ 5 × their average order → 40
- many orders to one address in the window (default 24 h): ≥ 5 → 30
- many orders to one phone in the window: ≥ 5 → 30
- a new customer (no earlier order) with a high amount (≥ 2,000.00) → 35
The score is the sum, capped at 100; an order is suspected from 60. Every reason carries
its figures, so the abnormal queue can say why ("总额 9,800.00 是平均 320.00 的 30 倍").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from domain.orders.abnormal import Abnormality, AbnormalType
from domain.orders.rules.reader import Reader
from domain.orders.state import OrderState
from domain.orders.timeline import RuleRef
from domain.shared.errors import FieldError, ValidationFailed

MAX_FACTOR = Decimal(1000)
MAX_WINDOW_HOURS = 30 * 24


@dataclass(frozen=True)
class CustomerHistory:
    """Counted by the use case from the order repository (blind indexes for address and
    phone), over ``window`` before this order; this order itself is not counted."""

    order_count: int = 0
    average_amount: Decimal | None = None
    orders_to_address_in_window: int = 0
    orders_to_phone_in_window: int = 0
    window: timedelta = timedelta(hours=24)


@dataclass(frozen=True)
class RiskPolicy:
    """The tenant's thresholds (``GET``/``PUT /api/v1/orders/settings/risk-policy``); a
    tenant that set none has these defaults."""

    far_above_factor: Decimal = Decimal(5)
    far_above_points: int = 40
    many_orders: int = 5
    many_orders_points: int = 30
    high_amount: Decimal = Decimal("2000.00")
    new_customer_points: int = 35
    suspect_from: int = 60
    window_hours: int = 24  # the window the orders to one address or phone are counted in

    @property
    def window(self) -> timedelta:
        return timedelta(hours=self.window_hours)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON by the API's names (``farAboveFactor``; amounts as strings), as
        stored and audited."""
        return {
            _plain(name): str(value) if isinstance(value, Decimal) else value
            for name, value in asdict(self).items()
        }

    @classmethod
    def from_dict(cls, data: object) -> RiskPolicy:
        """The policy from its plain form, every field checked at its name (all mistakes
        at once, ``ValidationFailed``); a field left out keeps its default."""
        errors: list[FieldError] = []
        r, default = Reader(data, "", errors), cls()
        r.seen.discard("kind")

        def number(name: str, low: int, high: int) -> int:
            found = r.integer(_plain(name), low=low, high=high, default=getattr(default, name))
            return getattr(default, name) if found is None else found

        factor = r.amount("farAboveFactor")
        if factor is not None and not Decimal(1) < factor <= MAX_FACTOR:
            r.fail("farAboveFactor", "factor_out_of_range", low=1, high=int(MAX_FACTOR))
        high = r.amount("highAmount")
        if high is not None and high != high.quantize(Decimal("0.01")):
            r.fail("highAmount", "invalid_amount")
        policy = cls(
            far_above_factor=factor or default.far_above_factor,
            far_above_points=number("far_above_points", 0, 100),
            many_orders=number("many_orders", 1, 10_000),
            many_orders_points=number("many_orders_points", 0, 100),
            high_amount=default.high_amount if high is None else high.quantize(Decimal("0.01")),
            new_customer_points=number("new_customer_points", 0, 100),
            suspect_from=number("suspect_from", 1, 100),
            window_hours=number("window_hours", 1, MAX_WINDOW_HOURS),
        )
        r.done()
        if errors:
            raise ValidationFailed(errors)
        return policy


def _plain(name: str) -> str:
    """A field's name in the plain form: ``far_above_factor`` → ``farAboveFactor``."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


@dataclass(frozen=True)
class RiskReason:
    code: str  # far_above_usual_amount, many_orders_to_address, …
    points: int
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RiskAssessment:
    score: int
    reasons: tuple[RiskReason, ...]
    suspect_from: int = 60

    @property
    def suspected(self) -> bool:
        return self.score >= self.suspect_from

    def abnormality(self, at: datetime, rule: RuleRef | None = None) -> Abnormality:
        return Abnormality(
            AbnormalType.SUSPECTED_FRAUD,
            at,
            note=f"risk score {self.score}",
            detail={"score": str(self.score)},
            risk_score=self.score,
            risk_reasons=tuple(r.code for r in self.reasons),
            rule=rule,
        )


def assess(
    order: OrderState, history: CustomerHistory, policy: RiskPolicy | None = None
) -> RiskAssessment:
    rules = policy or RiskPolicy()
    total = order.total
    hours = str(int(history.window.total_seconds() // 3600))
    reasons: list[RiskReason] = []
    usual = history.average_amount
    if usual and usual > 0 and total >= usual * rules.far_above_factor:
        ratio = (total / usual).quantize(Decimal("0.1"))
        params = {"total": str(total), "average": str(usual), "ratio": str(ratio)}
        reasons.append(RiskReason("far_above_usual_amount", rules.far_above_points, params))
    if history.orders_to_address_in_window >= rules.many_orders:
        params = {"count": str(history.orders_to_address_in_window), "hours": hours}
        reasons.append(RiskReason("many_orders_to_address", rules.many_orders_points, params))
    if history.orders_to_phone_in_window >= rules.many_orders:
        params = {"count": str(history.orders_to_phone_in_window), "hours": hours}
        reasons.append(RiskReason("many_orders_to_phone", rules.many_orders_points, params))
    if history.order_count == 0 and total >= rules.high_amount:
        params = {"total": str(total), "threshold": str(rules.high_amount)}
        reasons.append(RiskReason("new_customer_high_amount", rules.new_customer_points, params))
    score = min(100, sum(r.points for r in reasons))
    return RiskAssessment(score, tuple(reasons), rules.suspect_from)
