"""Rule conditions: each kind matches, misses and explains itself with the figures that
matched; every kind survives a round trip through its dict form; mistakes are reported at
their path with a code."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time
from decimal import Decimal
from typing import Any

import pytest

from domain.orders.risk import RiskAssessment, RiskReason
from domain.orders.rules.conditions import CONDITIONS, Condition
from domain.orders.rules.facts import CustomerFacts, EvaluationContext, OrderFacts
from domain.orders.rules.ruleset import RuleSet, parse_rules
from domain.orders.values import FlagColour, SellerMemo
from domain.shared.errors import ValidationFailed
from tests.unit.orders.factory import CHANNEL, SKU_A, SKU_B, line, order, paid_order, receiver

NOW = datetime(2026, 11, 12, 12, 0, tzinfo=UTC)


def _read(data: dict[str, Any]) -> Condition:
    rules = parse_rules(
        [{"id": "r", "name": "r", "conditions": [data], "actions": [{"kind": "approve"}]}]
    )
    return rules[0].conditions[0]


def _facts(made: Any = None, **context: Any) -> OrderFacts:
    return OrderFacts.of(made or paid_order(), EvaluationContext(NOW, **context))


# kind → (condition as data, an order-and-context it matches, one it misses, the explanation)
def _big() -> Any:
    return paid_order(line(SKU_A, 2, "600.00", unit_weight_grams=1500))


CASES: dict[str, tuple[dict[str, Any], Any, Any, str]] = {
    "channel_in": (
        {"channels": [str(CHANNEL)]},
        _facts,
        lambda: _facts(paid_order(channel_id=uuid.UUID(int=5))),
        f"channel {CHANNEL} is one of 1 chosen",
    ),
    "amount_between": (
        {"min": "1000", "max": "5000.00"},
        lambda: _facts(_big()),
        _facts,
        "order total 1200.00 is in 1000–5000.00",
    ),
    "weight_between": (
        {"min_grams": 3000},
        lambda: _facts(_big()),
        _facts,
        "weight 3000 g is in 3000– g",
    ),
    "quantity_between": (
        {"min": 2, "max": 2},
        lambda: _facts(_big()),
        _facts,
        "2 units is in 2–2",
    ),
    "has_skus": (
        {"skus": [str(SKU_A), str(SKU_B)], "match": "all"},
        lambda: _facts(paid_order(line(SKU_A), line(SKU_B))),
        _facts,
        f"has all of the SKUs ({SKU_A},{SKU_B}) at ≥ 1 units",
    ),
    "region_in": (
        {"provinces": ["新疆维吾尔自治区"], "cities": ["杭州市"]},
        _facts,
        lambda: _facts(paid_order(receiver=_elsewhere())),
        "ships to 浙江省 杭州市",
    ),
    "address_contains": (
        {"words": ["大学", "文三路"]},
        _facts,
        lambda: _facts(paid_order(receiver=receiver(line="学院路 1 号"))),
        "address contains 文三路",
    ),
    "buyer_message_present": (
        {},
        lambda: _facts(paid_order(buyer_message="请用顺丰")),
        _facts,
        "the buyer left a message",
    ),
    "seller_memo_present": (
        {"flags": ["red", "purple"]},
        lambda: _facts(paid_order(seller_memo=SellerMemo("补发", FlagColour.RED))),
        lambda: _facts(paid_order(seller_memo=SellerMemo("x", FlagColour.BLUE))),
        "the seller memo is there (flag red)",
    ),
    "cash_on_delivery": (
        {},
        lambda: _facts(order(cash_on_delivery=True)),
        _facts,
        "cash on delivery",
    ),
    "customer_tags_any": (
        {"tags": ["vip", "老客户"]},
        lambda: _facts(customer=CustomerFacts(frozenset({"vip"}))),
        _facts,
        "the customer is tagged vip",
    ),
    "customer_blacklisted": (
        {},
        lambda: _facts(customer=CustomerFacts(blacklisted=True)),
        _facts,
        "the customer is on the blacklist",
    ),
    "paid_time_of_day": (
        # paid 00:06 UTC = 08:06 in Shanghai; a night window 22:00–06:00 misses it
        {"from": "08:00", "to": "09:00"},
        _facts,
        lambda: _facts(order()),
        "paid at 08:06, within 08:00–09:00",
    ),
    "unpaid_for_hours": (
        {"hours": 24},
        lambda: _facts(order()),
        _facts,
        "unpaid for 35 h (limit 24 h)",
    ),
    "risk_score_at_least": (
        {"score": 60},
        lambda: _facts(risk=RiskAssessment(75, (RiskReason("many_orders_to_phone", 30),))),
        lambda: _facts(risk=RiskAssessment(30, ())),
        "risk score 75 ≥ 60 (many_orders_to_phone)",
    ),
    "price_below_cost": (
        {},
        lambda: _facts(unit_costs={SKU_A: Decimal("120.000000")}),
        lambda: _facts(unit_costs={SKU_A: Decimal("80.000000")}),
        f"SKU {SKU_A} sold at 100.00, below its cost 120.00",
    ),
    "price_below_list": (
        {"percent": 50},
        lambda: _facts(list_prices={SKU_A: Decimal("300.00")}),
        lambda: _facts(list_prices={SKU_A: Decimal("150.00")}),
        f"SKU {SKU_A} sold at 100.00, under 50% of its list price 300.00",
    ),
    "likely_duplicate": (
        {"hours": 12},
        lambda: _facts(duplicate_of="SO20261111000"),
        _facts,
        "order SO20261111000 went to the same receiver with the same SKUs within 12 h before",
    ),
}


def _elsewhere() -> Any:
    from domain.orders.values import Receiver, ShippingAddress

    return Receiver(
        "王五", "+86 13900000000", ShippingAddress("广东省", "深圳市", "南山区", "科技园")
    )


def test_every_condition_kind_has_a_worked_example() -> None:
    assert set(CASES) == set(CONDITIONS)


@pytest.mark.parametrize("kind", sorted(CASES))
def test_each_condition_matches_misses_and_explains(kind: str) -> None:
    data, hit, miss, text = CASES[kind]
    condition = _read({"kind": kind, **data})
    test = condition.compiled()
    hit_facts = hit()
    assert test(hit_facts)
    assert not test(miss())
    explanation = condition.explain(hit_facts)
    assert (explanation.condition, explanation.text) == (kind, text)
    negated = _read({"kind": kind, **data, "negate": True})
    assert not negated.compiled()(hit_facts) and negated.compiled()(miss())
    assert negated.explain(miss()).text.startswith("not (")


@pytest.mark.parametrize("kind", sorted(CASES))
def test_each_condition_survives_its_dict_form(kind: str) -> None:
    condition = _read({"kind": kind, **CASES[kind][0]})
    assert _read(condition.to_dict()) == condition


def test_a_price_is_the_unit_price_after_discounts_and_gifts_never_count() -> None:
    """ORD-5: 100.00 less a 30.00 discount sells at 70.00, under a cost of 80.00; a gift
    line (free by design) of a costed SKU does not make the order sold below cost; a SKU
    without a known cost or list price never matches."""
    below_cost = _read({"kind": "price_below_cost"}).compiled()
    discounted = paid_order(line(SKU_A, 1, "100.00", discount="30.00"))
    costs = {SKU_A: Decimal("80.000000"), SKU_B: Decimal("5.000000")}
    assert below_cost(_facts(discounted, unit_costs=costs))
    with_gift = paid_order(line(SKU_A, 1, "100.00"), line(SKU_B, 1, "0.00", gift=True))
    assert not below_cost(_facts(with_gift, unit_costs=costs))
    assert not below_cost(_facts(discounted))  # no cost known
    assert not _read({"kind": "price_below_list", "percent": 90}).compiled()(_facts(discounted))


def test_a_night_window_spans_midnight() -> None:
    condition = _read({"kind": "paid_time_of_day", "from": "22:00", "to": "06:00"})
    assert condition.to_dict() == {"kind": "paid_time_of_day", "from": "22:00", "to": "06:00"}
    assert condition.start == time(22, 0)
    late = paid_order()
    late.paid_at = datetime(2026, 11, 11, 15, 30, tzinfo=UTC)  # 23:30 in Shanghai
    assert condition.compiled()(_facts(late))


@pytest.mark.parametrize(
    ("condition", "path", "code"),
    [
        ({"kind": "colour_is"}, "rules[0].conditions[0].kind", "unknown_condition"),
        ({"kind": "amount_between", "min": "x"}, "rules[0].conditions[0].min", "invalid_amount"),
        (
            {"kind": "amount_between", "min": "9", "max": "1"},
            "rules[0].conditions[0].max",
            "below_minimum",
        ),
        ({"kind": "amount_between"}, "rules[0].conditions[0]", "needs_a_bound"),
        (
            {"kind": "amount_between", "min": "1", "maxx": "2"},
            "rules[0].conditions[0].maxx",
            "unknown_field",
        ),
        (
            {"kind": "channel_in", "channels": ["nope"]},
            "rules[0].conditions[0].channels[0]",
            "invalid_id",
        ),
        (
            {"kind": "paid_time_of_day", "from": "25:00", "to": "01:00"},
            "rules[0].conditions[0].from",
            "invalid_time_of_day",
        ),
        (
            {"kind": "has_skus", "skus": [], "match": "any"},
            "rules[0].conditions[0].skus",
            "must_be_a_non_empty_list",
        ),
    ],
)
def test_mistakes_are_reported_at_their_path(
    condition: dict[str, Any], path: str, code: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_rules(
            [{"id": "r1", "name": "x", "conditions": [condition], "actions": [{"kind": "approve"}]}]
        )
    assert (path, code) in {(e.field, e.code) for e in caught.value.errors}


def test_rule_level_mistakes_are_all_reported_at_once() -> None:
    with pytest.raises(ValidationFailed) as caught:
        RuleSet.from_dict(
            {
                "version": 1,
                "rules": [
                    {"id": "Big Orders", "name": "x", "actions": [{"kind": "hold", "hours": 0}]},
                    {"id": "r2", "name": "y", "actions": [], "on_match": "maybe"},
                    {"id": "r3", "name": "z", "actions": [{"kind": "approve"}]},
                    {"id": "r3", "name": "z", "actions": [{"kind": "approve"}]},
                ],
            }
        )
    found = {(e.field, e.code) for e in caught.value.errors}
    assert found == {
        ("rules[0].id", "invalid_rule_code"),
        ("rules[0].actions[0].hours", "integer_out_of_range"),
        ("rules[0].actions[0].reason", "required"),
        ("rules[1].on_match", "unknown_choice"),
        ("rules[1].actions", "needs_an_action"),
        ("rules[3].id", "duplicate_rule_id"),
    }


def test_amount_bounds_are_decimals_never_floats() -> None:
    condition = _read({"kind": "amount_between", "min": "0.1", "max": 3})
    assert condition.to_dict() == {"kind": "amount_between", "min": "0.1", "max": "3"}
    with pytest.raises(ValidationFailed):
        _read({"kind": "amount_between", "min": 0.1})
    assert Decimal("0.1") == condition.min
