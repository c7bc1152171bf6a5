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
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from domain.orders.abnormal import Abnormality, AbnormalType
from domain.orders.state import OrderState
from domain.orders.timeline import RuleRef
from domain.shared.errors import FieldError, ValidationFailed

MAX_FACTOR = Decimal(1000)
MAX_HIGH_AMOUNT = Decimal("100000000.00")  # a hundred million: past any real order
MAX_WINDOW_HOURS = 30 * 24


CENT = Decimal("0.01")
_AMOUNTS = ("far_above_factor", "high_amount")
# The whole-number fields and their ranges.
_COUNTS = {
    "far_above_points": (0, 100),
    "many_orders": (1, 10_000),
    "many_orders_points": (0, 100),
    "new_customer_points": (0, 100),
    "suspect_from": (1, 100),
    "window_hours": (1, MAX_WINDOW_HOURS),
}


def _range(low: int, high: int) -> dict[str, Any]:
    return {"low": low, "high": high}


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

    def __post_init__(self) -> None:
        """Every field in its range, all mistakes at once (``ValidationFailed``, each at
        its field's name): the one check of a policy, however it was made."""
        errors: list[FieldError] = []
        if not Decimal(1) < self.far_above_factor <= MAX_FACTOR:
            errors.append(
                FieldError("far_above_factor", "factor_out_of_range", _range(1, int(MAX_FACTOR)))
            )
        amount = self.high_amount
        if (
            not amount.is_finite()
            or not 0 <= amount <= MAX_HIGH_AMOUNT
            or amount != amount.quantize(CENT)
        ):
            errors.append(FieldError("high_amount", "invalid_amount"))
        else:  # to the fen as stored and audited: "500" is "500.00"
            object.__setattr__(self, "high_amount", amount.quantize(CENT))
        for name, (low, high) in _COUNTS.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not low <= value <= high:
                errors.append(FieldError(name, "integer_out_of_range", _range(low, high)))
        if errors:
            raise ValidationFailed(errors)

    @property
    def window(self) -> timedelta:
        return timedelta(hours=self.window_hours)

    def figures(self) -> dict[str, Any]:
        """Plain JSON by the fields' names (amounts as strings), as stored and audited."""
        return {
            name: str(value) if isinstance(value, Decimal) else value
            for name, value in asdict(self).items()
        }

    @classmethod
    def of_figures(cls, figures: Mapping[str, Any]) -> RiskPolicy:
        """The policy ``figures`` gave; a field it does not name keeps its default."""
        given = {f.name: figures[f.name] for f in fields(cls) if f.name in figures}
        for name in _AMOUNTS:
            if name in given:
                given[name] = Decimal(str(given[name]))
        return cls(**given)


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
