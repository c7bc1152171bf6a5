"""Dry-run: what a rule set would do to a list of orders, before it is switched on.

Each order is copied, the decision applied to the copy, and the copy compared with the
original; the originals are not touched (a test holds this). The result says per order
what would change and why, and which actions the order would refuse.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.orders.order import Order
from domain.orders.rules.apply import apply_decision
from domain.orders.rules.engine import CompiledRuleSet, Decision
from domain.orders.rules.facts import EvaluationContext


@dataclass(frozen=True)
class DryRunResult:
    order_id: UUID
    number: str
    decision: Decision
    changes: tuple[str, ...]  # "status: awaiting_review → held", "gift: <sku> × 1", …
    refused: tuple[str, ...]  # "approve: order_transition_refused"

    @property
    def changes_anything(self) -> bool:
        return bool(self.changes)


def _placeholder_ids() -> Callable[[], UUID]:
    counter = iter(range(1, 1 << 62))
    return lambda: UUID(int=next(counter))


def _differences(before: Order, after: Order) -> list[str]:
    changes: list[str] = []
    if before.status is not after.status:
        changes.append(f"status: {before.status.value} → {after.status.value}")
    if before.warehouse_id != after.warehouse_id:
        changes.append(f"warehouse: {before.warehouse_id} → {after.warehouse_id}")
    if before.carrier != after.carrier:
        changes.append(f"carrier: {before.carrier} → {after.carrier}")
    if before.priority != after.priority:
        changes.append(f"priority: {before.priority} → {after.priority}")
    known = {x.id for x in before.lines}
    changes.extend(
        f"gift: {x.title or x.sku_id} × {x.quantity}" for x in after.lines if x.id not in known
    )
    opened = {a.type for a in after.abnormalities} - {a.type for a in before.abnormalities}
    changes.extend(f"abnormal: {kind.value}" for kind in sorted(opened))
    if after.hold is not None and after.hold != before.hold:
        until = after.hold.until.isoformat() if after.hold.until else "-"
        changes.append(f"held until {until}: {after.hold.reason}")
    if before.merge_after != after.merge_after and after.merge_after is not None:
        changes.append(f"merge eligible after {after.merge_after.isoformat()}")
    changes.extend(
        f"split requested: {e.detail.get('by', '')}"
        for e in after.timeline[len(before.timeline) :]
        if e.kind == "split_requested"
    )
    return changes


def dry_run(
    rules: CompiledRuleSet,
    orders: Iterable[tuple[Order, EvaluationContext]],
    *,
    at: datetime,
) -> list[DryRunResult]:
    results: list[DryRunResult] = []
    for order, context in orders:
        decision = rules.evaluate(order, context)
        trial = order.trial_copy()
        application = apply_decision(trial, decision, at=at, new_line_id=_placeholder_ids())
        refused = tuple(
            f"{o.decided.action.kind}: {o.refused}" for o in application.outcomes if o.refused
        )
        results.append(
            DryRunResult(
                order.id,
                order.number.value,
                decision,
                tuple(_differences(order, trial)),
                refused,
            )
        )
    return results
