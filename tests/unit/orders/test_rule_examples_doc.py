"""The three worked examples of docs/orders.md ("The rule language"), run as written."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from domain.orders.abnormal import AbnormalType
from domain.orders.rules.apply import apply_decision
from domain.orders.rules.dry_run import dry_run
from domain.orders.rules.engine import compile_rules
from domain.orders.rules.facts import EvaluationContext
from domain.orders.rules.ruleset import RuleSet, parse_rules
from domain.orders.status import OrderStatus
from domain.orders.timeline import RuleRef
from domain.orders.values import FlagColour, Receiver, SellerMemo, ShippingAddress
from tests.unit.orders.factory import SKU_A, line, reviewed

NOW = datetime(2026, 11, 11, 1, 0, tzinfo=UTC)
CONTEXT = EvaluationContext(NOW)
GIFT = "00000000-0000-0000-0000-0000000000f1"
EAST = "00000000-0000-0000-0000-0000000000e1"


def _rules(data: list[dict[str, object]]) -> RuleSet:
    return RuleSet.empty().revise(parse_rules(data))


def test_example_1_big_orders_wait_everything_else_is_approved() -> None:
    rules = compile_rules(
        _rules(
            [
                {
                    "id": "big-orders",
                    "name": "大额订单人工复核",
                    "priority": 10,
                    "conditions": [{"kind": "amount_between", "min": "1000"}],
                    "actions": [{"kind": "hold", "hours": 4, "reason": "大额订单人工复核"}],
                },
                {
                    "id": "approve-rest",
                    "name": "其余自动审核",
                    "priority": 900,
                    "conditions": [],
                    "actions": [{"kind": "approve"}],
                },
            ]
        )
    )
    big = reviewed(line(SKU_A, 2, "600.00"))
    decision = rules.evaluate(big, CONTEXT)
    assert decision.actions[1].skipped == "held or abnormal by big-orders@v1"
    apply_decision(big, decision, at=NOW, new_line_id=uuid.uuid4)
    entry = big.timeline[-1]
    assert (big.status, entry.from_status, entry.to_status) == (
        OrderStatus.HELD,
        "awaiting_review",
        "held",
    )
    assert (entry.actor, entry.rule) == ("rule_engine", RuleRef("big-orders", 1))
    assert entry.reason == (
        "大额订单人工复核 — 大额订单人工复核 (big-orders@v1): order total 1200.00 is in 1000–"
    )
    assert big.hold is not None and big.hold.until == NOW + timedelta(hours=4)
    small = reviewed(line(SKU_A, 1, "300.00"))
    apply_decision(small, rules.evaluate(small, CONTEXT), at=NOW, new_line_id=uuid.uuid4)
    assert small.status is OrderStatus.APPROVED
    assert small.timeline[-1].rule == RuleRef("approve-rest", 1)


def test_example_2_messages_and_red_flags_are_read_far_west_ships_by_ems() -> None:
    rules = compile_rules(
        _rules(
            [
                {
                    "id": "read-message",
                    "name": "留言待处理",
                    "priority": 5,
                    "conditions": [{"kind": "buyer_message_present"}],
                    "actions": [{"kind": "mark_abnormal", "type": "message_to_read"}],
                },
                {
                    "id": "red-flag",
                    "name": "红旗备注",
                    "priority": 6,
                    "conditions": [{"kind": "seller_memo_present", "flags": ["red"]}],
                    "actions": [{"kind": "mark_abnormal", "type": "message_to_read"}],
                },
                {
                    "id": "far-west",
                    "name": "偏远地区走邮政",
                    "priority": 20,
                    "conditions": [
                        {"kind": "region_in", "provinces": ["新疆维吾尔自治区", "西藏自治区"]}
                    ],
                    "actions": [{"kind": "assign_carrier", "carrier": "ems"}],
                },
            ]
        )
    )
    made = reviewed(
        buyer_message="周末送货",
        seller_memo=SellerMemo("客户要发票", FlagColour.RED),
        receiver=Receiver(
            "阿依古丽",
            "+86 13900000000",
            ShippingAddress("新疆维吾尔自治区", "乌鲁木齐市", "天山区", "解放北路 1 号"),
        ),
    )
    decision = rules.evaluate(made, CONTEXT)
    assert [a.skipped for a in decision.actions] == [None, "already marked", None]
    apply_decision(made, decision, at=NOW, new_line_id=uuid.uuid4)
    assert [a.type for a in made.abnormalities] == [AbnormalType.MESSAGE_TO_READ]
    assert made.carrier == "ems" and made.status is OrderStatus.ABNORMAL
    assert made.abnormalities[0].due() == NOW + timedelta(hours=2)


def test_example_3_gifts_warehouse_merge_and_night_risk() -> None:
    rules = compile_rules(
        _rules(
            [
                {
                    "id": "gift-300",
                    "name": "满300送小样",
                    "priority": 30,
                    "conditions": [
                        {"kind": "amount_between", "min": "300"},
                        {"kind": "customer_blacklisted", "negate": True},
                    ],
                    "actions": [
                        {"kind": "add_gift", "sku_id": GIFT, "quantity": 1, "title": "小样"}
                    ],
                },
                {
                    "id": "east",
                    "name": "江浙沪走杭州仓",
                    "priority": 40,
                    "conditions": [
                        {"kind": "region_in", "provinces": ["浙江省", "江苏省", "上海市"]}
                    ],
                    "actions": [
                        {"kind": "assign_warehouse", "warehouse_id": EAST},
                        {"kind": "merge_eligible", "wait_minutes": 30},
                    ],
                },
                {
                    "id": "night-risk",
                    "name": "夜间高风险",
                    "priority": 50,
                    "on_match": "stop",
                    "conditions": [
                        {"kind": "paid_time_of_day", "from": "00:00", "to": "06:00"},
                        {"kind": "risk_score_at_least", "score": 60},
                    ],
                    "actions": [{"kind": "mark_abnormal", "type": "suspected_fraud"}],
                },
            ]
        )
    )
    made = reviewed(line(SKU_A, 1, "400.00"))
    made.stock_reserved()
    assert made.paid_at is not None
    result = dry_run(rules, [(made, CONTEXT)], at=NOW)[0]
    assert result.changes == (
        f"warehouse: None → {EAST}",
        "gift: 小样 × 1",
        f"merge eligible after {(made.paid_at + timedelta(minutes=30)).isoformat()}",
    )
    assert made.lines == (made.lines[0],) and made.warehouse_id is None
    apply_decision(made, rules.evaluate(made, CONTEXT), at=NOW, new_line_id=uuid.uuid4)
    gift = made.lines[-1]
    assert gift.gift and gift.unit_price == 0 and gift.gift_rule == "gift-300@v1"
    assert made.stock_delta() == {uuid.UUID(GIFT): 1}
    assert str(made.warehouse_id) == EAST
    assert made.merge_after == made.paid_at + timedelta(minutes=30)
