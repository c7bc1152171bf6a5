"""The tenant's risk policy (ORD-5): read from its plain form with every mistake at its
field, written back the same, and the score it gives."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.orders.risk import CustomerHistory, RiskPolicy, assess
from domain.shared.errors import ValidationFailed
from tests.unit.orders.factory import SKU_A, line, reviewed


def test_the_stored_figures_round_trip_and_fields_left_out_keep_their_defaults() -> None:
    assert RiskPolicy.of_figures({}) == RiskPolicy()
    tuned = RiskPolicy.of_figures({"high_amount": "800.00", "window_hours": 6, "suspect_from": 50})
    assert (tuned.high_amount, tuned.window_hours, tuned.suspect_from) == (
        Decimal("800.00"),
        6,
        50,
    )
    assert tuned.far_above_points == RiskPolicy().far_above_points
    assert RiskPolicy.of_figures(tuned.figures()) == tuned
    assert tuned.figures()["high_amount"] == "800.00" and tuned.window.total_seconds() == 6 * 3600


def test_every_mistake_is_named_at_its_field_however_the_policy_is_made() -> None:
    with pytest.raises(ValidationFailed) as refused:
        RiskPolicy(
            far_above_factor=Decimal(1),
            high_amount=Decimal("0.001"),
            many_orders=0,
            suspect_from=101,
            window_hours=0,
        )
    found = {(e.field, e.code) for e in refused.value.errors}
    assert found == {
        ("far_above_factor", "factor_out_of_range"),  # a factor, not an amount
        ("high_amount", "invalid_amount"),
        ("many_orders", "integer_out_of_range"),
        ("suspect_from", "integer_out_of_range"),
        ("window_hours", "integer_out_of_range"),
    }
    with pytest.raises(ValidationFailed):
        RiskPolicy.of_figures({"high_amount": "-1.00"})


def test_the_tenants_thresholds_decide_the_score() -> None:
    order = reviewed(line(SKU_A, 1, "500.00"))
    new_customer = CustomerHistory()
    assert assess(order, new_customer).score == 0  # 500.00 is below the default 2,000.00
    strict = RiskPolicy(high_amount=Decimal("300.00"), new_customer_points=70, suspect_from=60)
    found = assess(order, new_customer, strict)
    assert found.score == 70 and found.suspected
    assert found.reasons[0].params == {"total": "500.00", "threshold": "300.00"}
    busy = CustomerHistory(order_count=3, average_amount=Decimal("400.00"))
    assert assess(order, busy, RiskPolicy(many_orders=2)).score == 0
    crowded = CustomerHistory(3, Decimal("400.00"), orders_to_address_in_window=2)
    assert assess(order, crowded, RiskPolicy(many_orders=2)).score == 30


def test_ord5_a_high_amount_is_kept_to_the_fen_and_a_non_number_refused() -> None:
    assert RiskPolicy(high_amount=Decimal("500")).figures()["high_amount"] == "500.00"
    for wrong in ("NaN", "Infinity", "1000000000"):
        with pytest.raises(ValidationFailed) as refused:
            RiskPolicy(high_amount=Decimal(wrong))
        assert [(e.field, e.code) for e in refused.value.errors] == [
            ("high_amount", "invalid_amount")
        ]
