"""The risk score (ORD-5): each reason with its figures, the sum capped at 100, and the
abnormality it makes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from domain.orders.abnormal import AbnormalType
from domain.orders.risk import CustomerHistory, RiskPolicy, assess
from domain.orders.timeline import RuleRef
from tests.unit.orders.factory import SKU_A, later, line, paid_order

REGULAR = CustomerHistory(order_count=12, average_amount=Decimal("320.00"))


def test_an_ordinary_order_of_a_regular_customer_scores_nothing() -> None:
    risk = assess(paid_order(line(SKU_A, 1, "300.00")), REGULAR)
    assert (risk.score, risk.reasons, risk.suspected) == (0, (), False)


def test_far_above_the_usual_amount() -> None:
    risk = assess(paid_order(line(SKU_A, 1, "9800.00")), REGULAR)
    assert [(r.code, r.points) for r in risk.reasons] == [("far_above_usual_amount", 40)]
    assert risk.reasons[0].params == {"total": "9800.00", "average": "320.00", "ratio": "30.6"}


def test_many_orders_to_one_address_or_phone_in_the_window() -> None:
    history = CustomerHistory(
        order_count=3,
        orders_to_address_in_window=5,
        orders_to_phone_in_window=7,
        window=timedelta(hours=6),
    )
    risk = assess(paid_order(), history)
    assert [r.code for r in risk.reasons] == ["many_orders_to_address", "many_orders_to_phone"]
    assert risk.reasons[1].params == {"count": "7", "hours": "6"}
    assert risk.score == 60 and risk.suspected


def test_a_new_customer_with_a_high_amount() -> None:
    risk = assess(paid_order(line(SKU_A, 1, "2000.00")), CustomerHistory())
    assert [r.code for r in risk.reasons] == ["new_customer_high_amount"]
    assert not risk.suspected
    assert assess(paid_order(line(SKU_A, 1, "1999.99")), CustomerHistory()).reasons == ()


def test_the_score_is_capped_and_the_policy_is_the_tenants() -> None:
    history = CustomerHistory(
        order_count=1,
        average_amount=Decimal("10.00"),
        orders_to_address_in_window=9,
        orders_to_phone_in_window=9,
    )
    assert assess(paid_order(line(SKU_A, 1, "500.00")), history).score == 100
    strict = RiskPolicy(many_orders=2, suspect_from=30)
    risk = assess(paid_order(), CustomerHistory(order_count=1, orders_to_phone_in_window=2), strict)
    assert risk.score == 30 and risk.suspected


def test_the_abnormality_carries_the_score_and_reasons() -> None:
    risk = assess(
        paid_order(line(SKU_A, 1, "9800.00")), CustomerHistory(orders_to_phone_in_window=5)
    )
    mark = risk.abnormality(later(3), RuleRef("fraud", 2))
    assert mark.type is AbnormalType.SUSPECTED_FRAUD
    assert (mark.risk_score, mark.risk_reasons) == (
        65,
        ("many_orders_to_phone", "new_customer_high_amount"),
    )
    assert mark.detail == {"score": "65"} and mark.rule == RuleRef("fraud", 2)
