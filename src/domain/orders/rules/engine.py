"""Evaluating a rule set against an order: which rules match, which actions follow, and why.

``compile_rules`` turns a rule set into tests once (sorted, disabled rules dropped, each
condition a closure over pre-built sets and bounds); ``evaluate`` computes the order's
facts once and runs the tests, building explanations only for rules that match. 10,000
orders × 50 rules take well under the 10 s the issue allows (a benchmark in bench/ comes
with the use cases; the figures are in docs/orders.md).

Conflicts are settled here, so the decision is the whole answer: of the single-valued
actions (approve, hold, assign_warehouse, assign_carrier, split, merge_eligible) the first —
by priority — wins and later ones are kept as ``skipped`` with the rule that won; approve
is skipped when the same decision holds the order or marks it abnormal. A rule that
already acted on the order (``EvaluationContext.acted``: reviewed again after a hold was
released) acts no more: its actions are skipped before the conflicts are settled, so the
approval its hold had stopped can now take effect.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from domain.orders.risk import RiskAssessment
from domain.orders.rules.actions import Action, Approve, Hold, MarkAbnormal
from domain.orders.rules.conditions import Explanation, Test
from domain.orders.rules.facts import EvaluationContext, OrderFacts
from domain.orders.rules.ruleset import Rule, RuleSet
from domain.orders.state import OrderState
from domain.orders.timeline import RuleRef


@dataclass(frozen=True)
class DecidedAction:
    action: Action
    rule: RuleRef
    rule_name: str
    because: tuple[Explanation, ...]
    skipped: str | None = None  # why it will not be applied (the rule that won)

    def why(self) -> str:
        reasons = "; ".join(e.text for e in self.because) or "every order"
        return f"{self.rule_name} ({self.rule}): {reasons}"


@dataclass(frozen=True)
class Decision:
    order_id: UUID
    rule_set_version: int
    actions: tuple[DecidedAction, ...]
    risk: RiskAssessment | None = None  # the context's, for a suspected-fraud mark

    @property
    def effective(self) -> tuple[DecidedAction, ...]:
        return tuple(a for a in self.actions if a.skipped is None)

    @property
    def matched(self) -> tuple[RuleRef, ...]:
        return tuple(dict.fromkeys(a.rule for a in self.actions))

    def explain(self) -> list[str]:
        """One line per action, in English: "hold for 4 h: …  ← Big orders (big@v3): …"."""
        lines = []
        for decided in self.actions:
            line = f"{decided.action.describe()} ← {decided.why()}"
            if decided.skipped:
                line += f" [skipped: {decided.skipped}]"
            lines.append(line)
        return lines


@dataclass(frozen=True)
class _CompiledRule:
    rule: Rule
    tests: tuple[Test, ...]


class CompiledRuleSet:
    def __init__(self, rule_set: RuleSet) -> None:
        self.version = rule_set.version
        ordered = sorted((r for r in rule_set.rules if r.enabled), key=lambda r: (r.priority, r.id))
        self._rules = tuple(
            _CompiledRule(r, tuple(c.compiled() for c in r.conditions)) for r in ordered
        )

    def evaluate(self, order: OrderState, context: EvaluationContext) -> Decision:
        facts = OrderFacts.of(order, context)
        decided: list[DecidedAction] = []
        for compiled in self._rules:
            for test in compiled.tests:  # a plain loop: no generator per rule and order
                if not test(facts):
                    break
            else:
                self._matched(compiled.rule, facts, decided)
                if compiled.rule.on_match == "stop":
                    break
        return Decision(order.id, self.version, _settle(decided, context.acted), context.risk)

    @staticmethod
    def _matched(rule: Rule, facts: OrderFacts, decided: list[DecidedAction]) -> None:
        because = tuple(c.explain(facts) for c in rule.conditions)
        decided.extend(DecidedAction(a, rule.ref, rule.name, because) for a in rule.actions)


def compile_rules(rule_set: RuleSet) -> CompiledRuleSet:
    return CompiledRuleSet(rule_set)


def _settle(
    decided: Sequence[DecidedAction], acted: frozenset[RuleRef] = frozenset()
) -> tuple[DecidedAction, ...]:
    winners: dict[str, RuleRef] = {}
    abnormal_types: set[str] = set()
    stops_approval = next(
        (
            d.rule
            for d in decided
            if isinstance(d.action, Hold | MarkAbnormal) and d.rule not in acted
        ),
        None,
    )
    settled: list[DecidedAction] = []
    for d in decided:
        skipped = None
        if d.rule in acted:
            skipped = f"already applied by {d.rule}"
        elif isinstance(d.action, Approve) and stops_approval is not None:
            skipped = f"held or abnormal by {stops_approval}"
        elif d.action.single and d.action.kind in winners:
            skipped = f"decided by {winners[d.action.kind]}"
        elif isinstance(d.action, MarkAbnormal):
            if d.action.type.value in abnormal_types:
                skipped = "already marked"
            abnormal_types.add(d.action.type.value)
        if skipped is None and d.action.single:
            winners[d.action.kind] = d.rule
        settled.append(
            d
            if skipped is None
            else DecidedAction(d.action, d.rule, d.rule_name, d.because, skipped)
        )
    return tuple(settled)
