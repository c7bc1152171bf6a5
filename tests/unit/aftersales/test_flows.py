"""Each case kind's flow (ORD-6): the transition table names every step that applies to
the kind and nothing else; a move outside it is refused naming the kind and both
statuses."""

from __future__ import annotations

import pytest

from domain.aftersales.flows import (
    FINAL,
    FLOWS,
    CaseAction,
    CaseKind,
    CaseStatus,
    CaseTransitionRefused,
    actions_from,
    check_transition,
)

K, S, A = CaseKind, CaseStatus, CaseAction


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


@pytest.mark.parametrize(
    ("kind", "status", "actions"),
    [
        (K.RETURN_REFUND, S.REVIEW, (A.APPROVE, A.REJECT)),
        (K.RETURN_REFUND, S.APPROVED, ()),  # awaiting the return follows by itself
        (K.RETURN_REFUND, S.AWAITING_RETURN, (A.RECEIVE,)),
        (K.RETURN_REFUND, S.PARTLY_RECEIVED, (A.RECEIVE, A.INSPECT)),
        (K.RETURN_REFUND, S.INSPECTED, (A.REFUND,)),
        (K.EXCHANGE, S.INSPECTED, (A.COMPLETE,)),
        (K.REFUND_ONLY, S.APPROVED, (A.REFUND,)),
        (K.RESEND, S.APPROVED, (A.COMPLETE,)),
        (K.COMPLAINT, S.COMPLETED, ()),
        (K.REFUND_ONLY, S.REJECTED, ()),
    ],
)
def test_the_actions_a_status_allows_are_its_flows_steps(
    kind: CaseKind, status: CaseStatus, actions: tuple[CaseAction, ...]
) -> None:
    assert actions_from(kind, status) == actions


def test_every_step_but_awaiting_the_return_is_an_action_of_its_status() -> None:
    leads_to = {
        A.APPROVE: {S.APPROVED},
        A.REJECT: {S.REJECTED},
        A.RECEIVE: {S.PARTLY_RECEIVED, S.RECEIVED},
        A.INSPECT: {S.INSPECTED},
        A.REFUND: {S.REFUNDED},
        A.COMPLETE: {S.COMPLETED},
    }
    for kind, table in FLOWS.items():
        for status in S:
            targets = table.get(status, frozenset())
            expected = {action for action, steps in leads_to.items() if steps & targets}
            assert set(actions_from(kind, status)) == expected, (kind, status)
