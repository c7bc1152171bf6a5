"""The rule engine: priorities, stop/continue, conflicts settled with the winner named;
each action applied with the rule and the reason on the timeline; dry-run changes nothing;
rule sets are versioned per rule."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.orders.abnormal import AbnormalType
from domain.orders.order import Order
from domain.orders.risk import CustomerHistory, assess
from domain.orders.rules.apply import apply_decision
from domain.orders.rules.dry_run import dry_run
from domain.orders.rules.engine import compile_rules
from domain.orders.rules.facts import CustomerFacts, EvaluationContext
from domain.orders.rules.ruleset import parse_rules
from domain.orders.status import OrderStatus
from domain.orders.timeline import RuleRef
from domain.shared.errors import ValidationFailed
from tests.unit.orders.factory import SKU_A, line, reviewed
from tests.unit.orders.rule_examples import GIFT_SKU, WAREHOUSE_EAST, rule, rule_set
from tests.unit.orders.strategies import orders

NOW = datetime(2026, 11, 11, 1, 0, tzinfo=UTC)
CONTEXT = EvaluationContext(NOW)
S = OrderStatus

BIG = {"kind": "amount_between", "min": "1000"}
MESSAGE = {"kind": "buyer_message_present"}


def _ids() -> Any:
    return uuid.uuid4


def _decide(made: Order, *rules: dict[str, Any], context: EvaluationContext = CONTEXT) -> Any:
    return compile_rules(rule_set(*rules)).evaluate(made, context)


def test_rules_run_by_priority_and_stop_ends_the_evaluation() -> None:
    made = reviewed(line(SKU_A, 2, "600.00"))
    decision = _decide(
        made,
        rule("approve-rest", 900, [], [{"kind": "approve"}]),
        rule("big", 10, [BIG], [{"kind": "assign_carrier", "carrier": "sf"}], on_match="stop"),
        rule("never", 5, [MESSAGE], [{"kind": "assign_carrier", "carrier": "zto"}]),
    )
    assert [a.action.kind for a in decision.actions] == ["assign_carrier"]
    assert decision.matched == (RuleRef("big", 1),)
    assert decision.actions[0].why() == "big (big@v1): order total 1200.00 is in 1000–"


def test_a_hold_outranks_an_approval_and_the_first_warehouse_wins() -> None:
    made = reviewed(line(SKU_A, 2, "600.00"))
    decision = _decide(
        made,
        rule("east", 1, [], [{"kind": "assign_warehouse", "warehouse_id": WAREHOUSE_EAST}]),
        rule("west", 2, [], [{"kind": "assign_warehouse", "warehouse_id": str(uuid.UUID(int=9))}]),
        rule("big", 3, [BIG], [{"kind": "hold", "hours": 4, "reason": "大额订单人工复核"}]),
        rule("rest", 9, [], [{"kind": "approve"}]),
    )
    skipped = {a.rule.rule_id: a.skipped for a in decision.actions}
    assert skipped == {
        "east": None,
        "west": "decided by east@v1",
        "big": None,
        "rest": "held or abnormal by big@v1",
    }
    assert decision.explain()[1].endswith("[skipped: decided by east@v1]")


# Each action: the rule as data, and what the order's timeline shows once it is applied.
ACTIONS: dict[str, tuple[dict[str, Any], str]] = {
    "approve": ({"kind": "approve"}, "status_changed"),
    "hold": ({"kind": "hold", "hours": 4, "reason": "大额订单人工复核"}, "status_changed"),
    "mark_abnormal": ({"kind": "mark_abnormal", "type": "message_to_read"}, "abnormal_marked"),
    "assign_warehouse": (
        {"kind": "assign_warehouse", "warehouse_id": WAREHOUSE_EAST},
        "warehouse_assigned",
    ),
    "assign_carrier": ({"kind": "assign_carrier", "carrier": "sf"}, "carrier_assigned"),
    "set_priority": ({"kind": "set_priority", "priority": 80}, "priority_set"),
    "add_gift": (
        {"kind": "add_gift", "sku_id": GIFT_SKU, "quantity": 1, "title": "小样"},
        "gift_added",
    ),
    "split": ({"kind": "split", "by": "weight", "cap": 5000}, "split_requested"),
    "merge_eligible": ({"kind": "merge_eligible", "wait_minutes": 30}, "merge_eligible"),
}


def test_every_action_kind_is_covered() -> None:
    from domain.orders.rules.actions import ACTIONS as KINDS

    assert set(ACTIONS) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(ACTIONS))
def test_each_action_records_the_rule_and_the_reason(kind: str) -> None:
    action, entry_kind = ACTIONS[kind]
    made = reviewed(line(SKU_A, 2, "600.00"), buyer_message="周末送货")
    decision = _decide(made, rule("r1", 1, [BIG, MESSAGE], [action], name="大额有留言"))
    application = apply_decision(made, decision, at=NOW, new_line_id=_ids())
    assert [o.applied for o in application.outcomes] == [True]
    entry = next(e for e in reversed(made.timeline) if e.kind == entry_kind)
    assert entry.rule == RuleRef("r1", 1)
    assert entry.actor == "rule_engine"
    why = "大额有留言 (r1@v1): order total 1200.00 is in 1000–; the buyer left a message"
    assert why in (entry.reason or "") + entry.detail.get("why", "")
    if kind == "hold":
        assert made.status is S.HELD and made.hold is not None
        assert made.hold.until == NOW + timedelta(hours=4)
        assert entry.reason == f"大额订单人工复核 — {why}"
    if kind == "approve":
        assert made.status is S.APPROVED
    if kind == "add_gift":
        gift = made.lines[-1]
        assert gift.gift and gift.unit_price == 0 and gift.gift_rule == "r1@v1"
        assert made.stock_delta()[gift.sku_id] == 1
    if kind == "split":
        assert application.follow_ups[0].action.kind == "split"
        assert entry.detail == {"by": "weight", "cap": "5000"}
    if kind == "merge_eligible":
        assert made.merge_after == made.paid_at + timedelta(minutes=30)  # type: ignore[operator]


def test_evaluating_again_does_not_add_a_gift_twice() -> None:
    made = reviewed()
    gift = rule("gift", 1, [], [{"kind": "add_gift", "sku_id": GIFT_SKU}])
    for _ in range(2):
        apply_decision(made, _decide(made, gift), at=NOW, new_line_id=_ids())
    assert sum(1 for x in made.lines if x.gift) == 1


def test_suspected_fraud_carries_the_risk_score_and_reasons() -> None:
    made = reviewed(line(SKU_A, 1, "2600.00"))
    risk = assess(made, CustomerHistory(order_count=0, orders_to_phone_in_window=6))
    context = EvaluationContext(NOW, risk=risk)
    fraud = rule(
        "fraud",
        1,
        [{"kind": "risk_score_at_least", "score": 60}],
        [{"kind": "mark_abnormal", "type": "suspected_fraud"}],
    )
    apply_decision(made, _decide(made, fraud, context=context), at=NOW, new_line_id=_ids())
    marked = made.abnormalities[0]
    assert marked.type is AbnormalType.SUSPECTED_FRAUD
    assert marked.risk_score == 65
    assert marked.risk_reasons == ("many_orders_to_phone", "new_customer_high_amount")
    assert marked.rule == RuleRef("fraud", 1)


def test_a_blacklisted_buyer_is_marked_and_an_action_the_order_refuses_is_reported() -> None:
    made = reviewed()
    made.cancel(NOW, "user:cs", "buyer cancelled")
    rules = (
        rule(
            "black",
            1,
            [{"kind": "customer_blacklisted"}],
            [{"kind": "mark_abnormal", "type": "blacklisted_buyer"}],
        ),
    )
    context = EvaluationContext(NOW, customer=CustomerFacts(blacklisted=True))
    application = apply_decision(
        made, _decide(made, *rules, context=context), at=NOW, new_line_id=_ids()
    )
    assert application.outcomes[0].refused == "order_transition_refused"


def test_a_rule_set_version_raises_only_the_changed_rules() -> None:
    first = rule_set(
        rule("a", 1, [], [{"kind": "approve"}]), rule("b", 2, [MESSAGE], [{"kind": "approve"}])
    )
    assert first.version == 1
    second = first.revise(
        parse_rules(
            [
                rule("a", 1, [], [{"kind": "approve"}]),
                rule("b", 2, [MESSAGE], [{"kind": "hold", "hours": 2, "reason": "看留言"}]),
                rule("c", 3, [], [{"kind": "approve"}]),
            ]
        )
    )
    assert second.version == 2
    assert [(r.id, r.version) for r in second.rules] == [("a", 1), ("b", 2), ("c", 1)]
    assert second.revise(second.rules) is second
    stored = type(second).from_dict(second.to_dict())
    assert stored == second


def test_disabled_rules_do_not_run() -> None:
    made = reviewed()
    decision = _decide(made, rule("off", 1, [], [{"kind": "approve"}], enabled=False))
    assert decision.actions == ()


EXAMPLE_RULES = (
    rule("big", 1, [BIG], [{"kind": "hold", "hours": 4, "reason": "大额"}]),
    rule("msg", 2, [MESSAGE], [{"kind": "mark_abnormal", "type": "message_to_read"}]),
    rule(
        "heavy",
        3,
        [{"kind": "weight_between", "min_grams": 5000}],
        [{"kind": "split", "by": "weight", "cap": 5000}],
    ),
    rule(
        "gift",
        4,
        [{"kind": "amount_between", "min": "300"}],
        [{"kind": "add_gift", "sku_id": GIFT_SKU}],
    ),
    rule(
        "east",
        5,
        [{"kind": "region_in", "provinces": ["浙江省"]}],
        [{"kind": "assign_warehouse", "warehouse_id": WAREHOUSE_EAST}],
    ),
    rule("rest", 9, [], [{"kind": "approve"}, {"kind": "merge_eligible"}]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(orders(), min_size=1, max_size=5))
def test_dry_run_changes_nothing(batch: list[Order]) -> None:
    for made in batch:
        if made.status is S.PAID:
            made.move_to(S.AWAITING_REVIEW, NOW, "rule_engine")
        made.pull_events()
    before = copy.deepcopy(batch)
    results = dry_run(
        compile_rules(rule_set(*EXAMPLE_RULES)), [(o, CONTEXT) for o in batch], at=NOW
    )
    assert batch == before
    assert all(o.events == [] for o in batch)
    assert [r.order_id for r in results] == [o.id for o in batch]
    for made, result in zip(batch, results, strict=True):
        if result.decision.effective:
            assert result.changes_anything or result.refused
        if made.total >= 1000:
            assert any(c.startswith("status: awaiting_review → held") for c in result.changes)


def test_dry_run_reports_what_would_change() -> None:
    made = reviewed(line(SKU_A, 1, "400.00"))
    result = dry_run(compile_rules(rule_set(*EXAMPLE_RULES)), [(made, CONTEXT)], at=NOW)[0]
    assert result.changes == (
        "status: awaiting_review → approved",
        f"warehouse: None → {WAREHOUSE_EAST}",
        f"gift: {GIFT_SKU} × 1",
        f"merge eligible after {(made.paid_at + timedelta(minutes=30)).isoformat()}",  # type: ignore[operator]
    )
    assert made.status is S.AWAITING_REVIEW and made.warehouse_id is None


def test_a_rules_priority_is_recorded_shown_in_dry_run_and_set_once() -> None:
    """ORD-8: a rule sets the work queue's priority; its timeline entry names the rule and
    version; a dry-run shows it; evaluated again it changes nothing more."""
    made = reviewed(line(SKU_A, 2, "600.00"))
    urgent = rule("urgent", 1, [BIG], [{"kind": "set_priority", "priority": 90}])
    lower = rule("lower", 2, [], [{"kind": "set_priority", "priority": 10}])
    preview = dry_run(compile_rules(rule_set(urgent, lower)), [(made, CONTEXT)], at=NOW)[0]
    assert preview.changes == ("priority: 0 → 90",)
    assert made.priority == 0
    decision = _decide(made, urgent, lower)
    assert {a.rule.rule_id: a.skipped for a in decision.actions} == {
        "urgent": None,
        "lower": "decided by urgent@v1",
    }
    apply_decision(made, decision, at=NOW, new_line_id=_ids())
    entry = made.timeline[-1]
    assert (made.priority, entry.kind, entry.rule) == (90, "priority_set", RuleRef("urgent", 1))
    assert entry.detail == {"from": "0", "to": "90"}
    again = apply_decision(made, _decide(made, urgent), at=NOW, new_line_id=_ids())
    assert [o.applied for o in again.outcomes] == [False] and made.timeline[-1] is entry


def test_a_priority_out_of_range_is_refused_at_its_path() -> None:
    with pytest.raises(ValidationFailed) as refused:
        parse_rules([rule("bad", 1, [], [{"kind": "set_priority", "priority": 101}])])
    assert refused.value.errors[0].field == "rules[0].actions[0].priority"
