"""Applying a decision to an order: every change a timeline entry naming the rule (id and
version) and why it matched, so "why is this order held?" is answered by the order.

Order of application: gifts, warehouse, carrier and priority first (edits), then abnormal marks
and the hold, then approval (only from awaiting_review), then merge eligibility. A split
is not done here — it makes new orders, which needs ids and the inventory's view — so it
is noted in the timeline and handed back as a follow-up for the use case (split.py).
An action the order refuses (e.g. approving a cancelled order) is reported, not raised.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from domain.orders.abnormal import Abnormality, AbnormalType
from domain.orders.lines import OrderLine
from domain.orders.order import Order
from domain.orders.rules.actions import (
    AddGift,
    Approve,
    AssignCarrier,
    AssignWarehouse,
    Hold,
    MarkAbnormal,
    MergeEligible,
    SetPriority,
    Split,
)
from domain.orders.rules.engine import DecidedAction, Decision
from domain.orders.rules.facts import ACTOR
from domain.orders.status import OrderStatus
from domain.orders.timeline import TimelineKind
from domain.shared.errors import DomainError
from domain.shared.money import quantum

_ORDER = (
    "add_gift",
    "assign_warehouse",
    "assign_carrier",
    "set_priority",
    "mark_abnormal",
    "hold",
    "approve",
)


@dataclass(frozen=True)
class Outcome:
    decided: DecidedAction
    applied: bool
    refused: str | None = None  # the error code when the order refused it


@dataclass(frozen=True)
class Application:
    outcomes: tuple[Outcome, ...]
    follow_ups: tuple[DecidedAction, ...]  # splits for the use case to carry out


def _position(decided: DecidedAction) -> int:
    kind = decided.action.kind
    return _ORDER.index(kind) if kind in _ORDER else len(_ORDER)


def apply_decision(
    order: Order, decision: Decision, *, at: datetime, new_line_id: Callable[[], UUID]
) -> Application:
    outcomes: list[Outcome] = []
    follow_ups: list[DecidedAction] = []
    for decided in sorted(decision.effective, key=_position):
        try:
            applied = _apply(order, decided, decision, at, new_line_id)
        except DomainError as refused:
            outcomes.append(Outcome(decided, False, refused.code))
            continue
        if isinstance(decided.action, Split):
            follow_ups.append(decided)
        outcomes.append(Outcome(decided, applied))
    return Application(tuple(outcomes), tuple(follow_ups))


def _apply(
    order: Order,
    decided: DecidedAction,
    decision: Decision,
    at: datetime,
    new_line_id: Callable[[], UUID],
) -> bool:
    action, rule, why = decided.action, decided.rule, decided.why()
    if isinstance(action, AddGift):
        tag = str(rule)
        if any(x.gift and x.gift_rule == tag and x.sku_id == action.sku_id for x in order.lines):
            return False  # evaluated again: the gift is already there
        gift = OrderLine(
            id=new_line_id(),
            sku_id=action.sku_id,
            quantity=action.quantity,
            unit_price=quantum(order.currency) * 0,
            title=action.title,
            gift=True,
            gift_rule=tag,
        )
        order.add_line(gift, at, ACTOR, rule, why)
    elif isinstance(action, AssignWarehouse):
        return order.assign_warehouse(action.warehouse_id, at, ACTOR, rule, why)
    elif isinstance(action, AssignCarrier):
        return order.assign_carrier(action.carrier, at, ACTOR, rule, why)
    elif isinstance(action, SetPriority):
        if order.priority == action.priority:
            return False  # evaluated again, or already there
        order.set_priority(action.priority, at, ACTOR, rule, why)
    elif isinstance(action, MarkAbnormal):
        risk = decision.risk
        fraud = action.type is AbnormalType.SUSPECTED_FRAUD and risk is not None
        order.mark_abnormal(
            Abnormality(
                action.type,
                at,
                note=action.note or why,
                detail={"why": why},
                risk_score=risk.score if fraud and risk else None,
                risk_reasons=tuple(r.code for r in risk.reasons) if fraud and risk else (),
                rule=rule,
            ),
            ACTOR,
        )
    elif isinstance(action, Hold):
        order.hold_order(
            at, ACTOR, f"{action.reason} — {why}", at + timedelta(hours=action.hours), rule
        )
    elif isinstance(action, Approve):
        order.move_to(OrderStatus.APPROVED, at, ACTOR, why, rule)
    elif isinstance(action, MergeEligible):
        after = (order.paid_at or at) + timedelta(minutes=action.wait_minutes)
        order.mark_merge_eligible(after, at, ACTOR, rule, why)
    elif isinstance(action, Split):
        detail = {k: str(v) for k, v in action.fields().items()}
        order.note(TimelineKind.SPLIT_REQUESTED, at, ACTOR, why, rule, detail)
    return True
