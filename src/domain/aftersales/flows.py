"""Case kinds, statuses and each kind's flow (ORD-6): one transition table per kind.

    review → approved / rejected → awaiting return → received (partly) → inspected
        → refunded → completed

only the steps that apply to each kind:

- refund only (仅退款): review → approved → refunded → completed;
- return and refund (退货退款): review → approved → awaiting_return → partly_received /
  received → inspected → refunded → completed;
- exchange (换货): as a return, without the refund: inspected → completed (the replacement
  order is placed on approval);
- resend (补发): review → approved → completed (the resend order is placed on approval);
- complaint (投诉): review → approved (accepted) → completed.

Rejected and completed are final. A move not in the kind's table is refused with
``aftersales_transition_refused`` naming the kind and both statuses.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from domain.shared.errors import Conflict


class CaseKind(StrEnum):
    REFUND_ONLY = "refund_only"  # 仅退款
    RETURN_REFUND = "return_refund"  # 退货退款
    EXCHANGE = "exchange"  # 换货
    RESEND = "resend"  # 补发
    COMPLAINT = "complaint"  # 投诉

    @property
    def returns_goods(self) -> bool:
        return self in (CaseKind.RETURN_REFUND, CaseKind.EXCHANGE)

    @property
    def refunds(self) -> bool:
        return self in (CaseKind.REFUND_ONLY, CaseKind.RETURN_REFUND)

    @property
    def needs_lines(self) -> bool:
        return self in (CaseKind.RETURN_REFUND, CaseKind.EXCHANGE, CaseKind.RESEND)


class CaseStatus(StrEnum):
    REVIEW = "review"
    APPROVED = "approved"
    REJECTED = "rejected"
    AWAITING_RETURN = "awaiting_return"
    PARTLY_RECEIVED = "partly_received"
    RECEIVED = "received"
    INSPECTED = "inspected"
    REFUNDED = "refunded"
    COMPLETED = "completed"


K, S = CaseKind, CaseStatus

_REVIEWED = {S.REVIEW: frozenset({S.APPROVED, S.REJECTED})}
_RETURNED = {
    S.AWAITING_RETURN: frozenset({S.PARTLY_RECEIVED, S.RECEIVED}),
    # the rest may never come: the inspection closes what did
    S.PARTLY_RECEIVED: frozenset({S.RECEIVED, S.INSPECTED}),
    S.RECEIVED: frozenset({S.INSPECTED}),
}

FLOWS: Mapping[CaseKind, Mapping[CaseStatus, frozenset[CaseStatus]]] = {
    K.REFUND_ONLY: {
        **_REVIEWED,
        S.APPROVED: frozenset({S.REFUNDED}),
        S.REFUNDED: frozenset({S.COMPLETED}),
    },
    K.RETURN_REFUND: {
        **_REVIEWED,
        S.APPROVED: frozenset({S.AWAITING_RETURN}),
        **_RETURNED,
        S.INSPECTED: frozenset({S.REFUNDED}),
        S.REFUNDED: frozenset({S.COMPLETED}),
    },
    K.EXCHANGE: {
        **_REVIEWED,
        S.APPROVED: frozenset({S.AWAITING_RETURN}),
        **_RETURNED,
        S.INSPECTED: frozenset({S.COMPLETED}),
    },
    K.RESEND: {**_REVIEWED, S.APPROVED: frozenset({S.COMPLETED})},
    K.COMPLAINT: {**_REVIEWED, S.APPROVED: frozenset({S.COMPLETED})},
}

FINAL: frozenset[CaseStatus] = frozenset({S.REJECTED, S.COMPLETED})


class CaseAction(StrEnum):
    """What a person does to move a case (each one use case): the step it takes is the
    status it leads to; awaiting the return follows approval by itself."""

    APPROVE = "approve"
    REJECT = "reject"
    RECEIVE = "receive"
    INSPECT = "inspect"
    REFUND = "refund"
    COMPLETE = "complete"


A = CaseAction
_ACTION_OF: Mapping[CaseStatus, CaseAction] = {
    S.APPROVED: A.APPROVE,
    S.REJECTED: A.REJECT,
    S.PARTLY_RECEIVED: A.RECEIVE,
    S.RECEIVED: A.RECEIVE,
    S.INSPECTED: A.INSPECT,
    S.REFUNDED: A.REFUND,
    S.COMPLETED: A.COMPLETE,
}


def actions_from(kind: CaseKind, current: CaseStatus) -> tuple[CaseAction, ...]:
    """The actions the kind's flow allows from ``current``, in the flow's order (those a
    person takes: none for a final status)."""
    targets = FLOWS[kind].get(current, frozenset())
    allowed = {_ACTION_OF[target] for target in targets if target in _ACTION_OF}
    return tuple(action for action in CaseAction if action in allowed)


class CaseTransitionRefused(Conflict):
    """A move the kind's flow does not have. Params: ``kind``, ``from_status``,
    ``to_status``."""

    code = "aftersales_transition_refused"


def check_transition(kind: CaseKind, current: CaseStatus, target: CaseStatus) -> None:
    if target not in FLOWS[kind].get(current, frozenset()):
        raise CaseTransitionRefused(
            kind=kind.value, from_status=current.value, to_status=target.value
        )
