"""The state machine (ORD-1): one table; every move validated, recorded with actor, reason
and rule; held and abnormal return to where the order was."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.orders.abnormal import Abnormality, AbnormalType
from domain.orders.errors import AbnormalReleaseRefused, TransitionRefused
from domain.orders.order import Order
from domain.orders.status import TRANSITIONS, OrderStatus
from domain.orders.timeline import RuleRef
from domain.shared.errors import DomainError
from tests.unit.orders.factory import STAFF, later, order, paid_order, pay, reviewed

S = OrderStatus
RULE = RuleRef("hold-big-orders", 3)


def test_the_happy_path_walks_the_table() -> None:
    made = reviewed()
    for target in (S.APPROVED, S.ALLOCATED, S.PICKING):
        made.move_to(target, later(5), STAFF)
    made.record_shipment({made.lines[0].id: 1}, later(6), "user:warehouse")
    made.move_to(S.DELIVERED, later(7), "carrier:sf")
    made.move_to(S.COMPLETED, later(8), "system:auto_complete")
    kinds = [(e.from_status, e.to_status) for e in made.timeline if e.kind == "status_changed"]
    assert kinds == [
        ("pending_payment", "paid"),
        ("paid", "awaiting_review"),
        ("awaiting_review", "approved"),
        ("approved", "allocated"),
        ("allocated", "picking"),
        ("picking", "shipped"),
        ("shipped", "delivered"),
        ("delivered", "completed"),
    ]


def test_a_refused_move_names_both_statuses() -> None:
    made = order()
    with pytest.raises(TransitionRefused) as caught:
        made.move_to(S.SHIPPED, later(1), STAFF)
    assert caught.value.code == "order_transition_refused"
    assert caught.value.params == {"from_status": "pending_payment", "to_status": "shipped"}
    assert made.status is S.PENDING_PAYMENT
    assert made.version == 1


def test_only_cash_on_delivery_skips_payment() -> None:
    with pytest.raises(TransitionRefused) as caught:
        order().move_to(S.AWAITING_REVIEW, later(1), STAFF)
    assert caught.value.params["guard"] == "cash_on_delivery_only"
    cod = order(cash_on_delivery=True)
    cod.move_to(S.AWAITING_REVIEW, later(1), STAFF)
    assert cod.status is S.AWAITING_REVIEW


def test_a_transition_records_actor_reason_and_rule() -> None:
    made = reviewed()
    made.approve(later(3), "rule_engine", RULE)
    entry = made.timeline[-1]
    assert (entry.actor, entry.reason, entry.rule) == ("rule_engine", "approved", RULE)
    assert str(entry.rule) == "hold-big-orders@v3"
    events = made.pull_events()
    assert events[-1].event_type == "order.status_changed"
    assert events[-1].data == {"from_status": "awaiting_review", "to_status": "approved"}


def test_hold_until_a_time_then_release_returns_to_where_it_was() -> None:
    made = reviewed()
    made.hold_order(
        later(3), "rule_engine", "大额订单人工复核", later(3) + timedelta(hours=2), RULE
    )
    assert made.status is S.HELD
    assert made.hold is not None and made.hold.until == later(123)
    assert not made.hold.expired(later(60)) and made.hold.expired(later(123))
    held = made.timeline[-1]
    assert (held.to_status, held.reason, held.rule) == ("held", "大额订单人工复核", RULE)
    made.release_hold(later(130), "system:hold_expiry", "hold expired")
    assert made.status is S.AWAITING_REVIEW
    assert made.resume_status is None


def test_abnormal_outranks_held_and_release_goes_back_step_by_step() -> None:
    made = reviewed()
    made.hold_order(later(3), STAFF, "wait for the buyer")
    made.mark_abnormal(Abnormality(AbnormalType.OUT_OF_STOCK, later(4)), "rule_engine")
    assert made.status is S.ABNORMAL
    made.resolve_abnormal(AbnormalType.OUT_OF_STOCK, later(5), "system", "stock", automatic=True)
    assert made.status is S.HELD
    made.release_hold(later(6), STAFF)
    assert made.status is S.AWAITING_REVIEW


def test_leaving_held_is_by_release_not_by_a_plain_move() -> None:
    made = reviewed()
    made.hold_order(later(3), STAFF, "check")
    with pytest.raises(TransitionRefused) as caught:
        made.move_to(S.APPROVED, later(4), STAFF)
    assert caught.value.params["guard"] == "release_first"
    made.cancel(later(5), STAFF, "buyer cancelled")
    assert made.status is S.CANCELLED and made.hold is None


def test_a_payment_while_held_returns_the_order_to_paid() -> None:
    made = order()
    made.hold_order(later(1), STAFF, "memo to read")
    pay(made)
    assert made.status is S.HELD
    made.release_hold(later(5), STAFF)
    assert made.status is S.PAID


def test_a_manual_abnormal_type_is_not_released_automatically() -> None:
    made = paid_order()
    made.mark_abnormal(Abnormality(AbnormalType.SUSPECTED_FRAUD, later(2)), "rule_engine")
    with pytest.raises(AbnormalReleaseRefused) as caught:
        made.resolve_abnormal(
            AbnormalType.SUSPECTED_FRAUD, later(3), "system", "auto", automatic=True
        )
    assert caught.value.params["reason"] == "manual_release_only"
    made.resolve_abnormal(AbnormalType.SUSPECTED_FRAUD, later(3), STAFF, "核实", automatic=False)
    assert made.status is S.PAID


# --- property: no invalid transition is ever accepted -----------------------------------

OPERATIONS = st.one_of(
    st.tuples(st.just("move"), st.sampled_from(list(S))),
    st.tuples(st.just("hold"), st.none()),
    st.tuples(st.just("release"), st.none()),
    st.tuples(st.just("abnormal"), st.sampled_from(list(AbnormalType))),
    st.tuples(st.just("resolve"), st.sampled_from(list(AbnormalType))),
    st.tuples(st.just("pay"), st.none()),
    st.tuples(st.just("ship"), st.none()),
)


def _apply(made: Order, operation: str, argument: object, minute: int) -> None:
    at = later(minute)
    if operation == "move":
        assert isinstance(argument, S)
        made.move_to(argument, at, STAFF)
    elif operation == "hold":
        made.hold_order(at, STAFF, "hold")
    elif operation == "release":
        made.release_hold(at, STAFF)
    elif operation == "abnormal":
        assert isinstance(argument, AbnormalType)
        made.mark_abnormal(Abnormality(argument, at), STAFF)
    elif operation == "resolve":
        assert isinstance(argument, AbnormalType)
        made.resolve_abnormal(argument, at, STAFF, "resolved", automatic=False)
    elif operation == "pay":
        pay(made, str(made.balance_due) if made.balance_due > 0 else "0.01")
    else:
        made.record_shipment({made.lines[0].id: 1}, at, STAFF)


@settings(max_examples=300, deadline=None)
@given(st.lists(OPERATIONS, max_size=25), st.booleans())
def test_no_invalid_transition_is_ever_accepted(
    operations: list[tuple[str, object]], cod: bool
) -> None:
    made = order(cash_on_delivery=cod)
    for minute, (operation, argument) in enumerate(operations, start=1):
        before, entries = made.status, len(made.timeline)
        try:
            _apply(made, operation, argument, minute)
        except DomainError:
            assert made.status is before
            continue
        moves = [e for e in made.timeline[entries:] if e.kind == "status_changed"]
        for entry in moves:
            assert entry.from_status is not None and entry.to_status is not None
            assert S(entry.to_status) in TRANSITIONS[S(entry.from_status)]
        if made.status is not before:
            assert moves and moves[0].from_status == before.value
            assert moves[-1].to_status == made.status.value
        assert (made.status is S.ABNORMAL) == bool(made.abnormalities)
        assert (made.status is S.HELD) == (made.hold is not None and not made.abnormalities)
        if made.status is S.CANCELLED:
            assert made.required_stock() == {}


def test_a_hold_on_an_abnormal_order_is_still_on_the_timeline() -> None:
    made = paid_order()
    made.mark_abnormal(Abnormality(AbnormalType.LIKELY_DUPLICATE, later(1)), "rule_engine")
    made.hold_order(later(2), STAFF, "等买家确认", later(62), RULE)
    entry = made.timeline[-1]
    assert (entry.kind, entry.reason, entry.rule) == ("hold_set", "等买家确认", RULE)
    assert entry.detail == {"until": later(62).isoformat()}
    made.release_hold(later(3), STAFF, "买家已确认")
    assert made.timeline[-1].kind == "hold_released" and made.status is S.ABNORMAL
