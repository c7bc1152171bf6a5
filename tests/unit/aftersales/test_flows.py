"""Each case kind's flow (ORD-6): the transition table names every step that applies to
the kind and nothing else; a move outside it is refused naming the kind and both
statuses."""

from __future__ import annotations

import pytest

from domain.aftersales.flows import (
    FINAL,
    FLOWS,
    CaseKind,
    CaseStatus,
    CaseTransitionRefused,
    check_transition,
)

K, S = CaseKind, CaseStatus


def _reachable(kind: CaseKind) -> set[CaseStatus]:
    seen, todo = {S.REVIEW}, [S.REVIEW]
    while todo:
        for target in FLOWS[kind].get(todo.pop(), frozenset()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


@pytest.mark.parametrize(
    ("kind", "steps"),
    [
        (K.REFUND_ONLY, {S.REVIEW, S.APPROVED, S.REJECTED, S.REFUNDED, S.COMPLETED}),
        (
            K.RETURN_REFUND,
            {
                S.REVIEW,
                S.APPROVED,
                S.REJECTED,
                S.AWAITING_RETURN,
                S.PARTLY_RECEIVED,
                S.RECEIVED,
                S.INSPECTED,
                S.REFUNDED,
                S.COMPLETED,
            },
        ),
        (
            K.EXCHANGE,
            {
                S.REVIEW,
                S.APPROVED,
                S.REJECTED,
                S.AWAITING_RETURN,
                S.PARTLY_RECEIVED,
                S.RECEIVED,
                S.INSPECTED,
                S.COMPLETED,
            },
        ),
        (K.RESEND, {S.REVIEW, S.APPROVED, S.REJECTED, S.COMPLETED}),
        (K.COMPLAINT, {S.REVIEW, S.APPROVED, S.REJECTED, S.COMPLETED}),
    ],
)
def test_each_kind_reaches_exactly_its_steps(kind: CaseKind, steps: set[CaseStatus]) -> None:
    assert _reachable(kind) == steps
    for final in FINAL:
        assert not FLOWS[kind].get(final)  # nothing leaves rejected or completed


def test_a_move_outside_the_table_is_refused_naming_it() -> None:
    with pytest.raises(CaseTransitionRefused) as refused:
        check_transition(K.EXCHANGE, S.INSPECTED, S.REFUNDED)
    assert refused.value.code == "aftersales_transition_refused"
    assert refused.value.params == {
        "kind": "exchange",
        "from_status": "inspected",
        "to_status": "refunded",
    }
    check_transition(K.RETURN_REFUND, S.INSPECTED, S.REFUNDED)  # the same step, a return
