"""Review by the tenant's rule set (审单; ORD-1, ORD-5): when an order reaches
``awaiting_review`` — paid, paid at intake, or cash on delivery — the tenant's current rule
set is evaluated and its decision applied in the same transaction. Every action it takes
(approve, hold for N hours, mark an abnormal type, gifts, warehouse, carrier, merge
eligibility) goes on the timeline with the rule, its version and why it matched, so "why is
this order held?" is answered by the order itself.

The rule set is versioned as a whole and every version is kept (``order_rule_sets``);
``SaveRuleSet`` raises a changed rule's own version only when its text changed.
``DryRunRules`` evaluates a rule set (the current one, or a draft) against the tenant's most
recent orders and reports what would change, writing nothing.

Compiled rule sets are cached per tenant and version (a version never changes).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any
from uuid import UUID

from application.customers.ports import CUSTOMERS
from application.orders.common import actor_of, store_of
from application.orders.ports import OrderFilter
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Command, Query, Reading, Work
from application.shared.versions import check_version
from domain.orders.abnormal import AbnormalType
from domain.orders.order import Order
from domain.orders.permissions import ORDERS_RULES
from domain.orders.risk import assess
from domain.orders.rules.actions import MarkAbnormal
from domain.orders.rules.apply import Application, apply_decision
from domain.orders.rules.buyer_conditions import RiskScoreAtLeast
from domain.orders.rules.dry_run import DryRunResult, dry_run
from domain.orders.rules.engine import CompiledRuleSet, compile_rules
from domain.orders.rules.facts import CustomerFacts, EvaluationContext
from domain.orders.rules.ruleset import RuleSet, parse_rules
from domain.orders.status import OrderStatus

RULE_SET = "order_rule_set"
# Customer tags that put a buyer on the blacklist (``customer_blacklisted``).
BLACKLIST_TAGS = frozenset({"blacklist", "黑名单"})
MAX_DRY_RUN = 500
RISK_WINDOW = timedelta(hours=24)


class Reviewer:
    """Evaluates and applies the tenant's rule set to an order awaiting review."""

    def __init__(self) -> None:
        self._compiled: dict[tuple[UUID, int], CompiledRuleSet] = {}

    def compiled(self, tenant_id: UUID, rule_set: RuleSet) -> CompiledRuleSet:
        key = (tenant_id, rule_set.version)
        if key not in self._compiled:
            self._compiled[key] = compile_rules(rule_set)
        return self._compiled[key]

    async def review(self, work: Work, order: Order) -> Application | None:
        """Apply the rule set's decision when the order awaits review; None otherwise (or
        when the tenant has no rules)."""
        if order.status is not OrderStatus.AWAITING_REVIEW:
            return None
        rule_set = await store_of(work.uow).orders.rule_set()
        if not rule_set.rules:
            return None
        compiled = self.compiled(work.uow.tenant_id, rule_set)
        context = await context_of(work.uow, order, work, needs_risk=_needs_risk(rule_set))
        decision = compiled.evaluate(order, context)
        if not decision.actions:
            return None
        return apply_decision(order, decision, at=work.clock.now(), new_line_id=work.ids.new_id)


def _needs_risk(rule_set: RuleSet) -> bool:
    """Whether a rule reads the risk score or marks a suspected fraud (which records it):
    only then is the history counted (one more query)."""
    return any(
        isinstance(c, RiskScoreAtLeast) for r in rule_set.rules for c in r.conditions
    ) or any(
        isinstance(a, MarkAbnormal) and a.type is AbnormalType.SUSPECTED_FRAUD
        for r in rule_set.rules
        for a in r.actions
    )


async def context_of(
    uow: UnitOfWork, order: Order, reading: Reading, *, needs_risk: bool = True
) -> EvaluationContext:
    """What the rules know beyond the order: the time, the customer's tags and — when a
    rule needs it — the risk score from the customer's and the receiver's history."""
    customer = CustomerFacts()
    if order.customer_id is not None:
        found = await uow.of(CUSTOMERS).customers.get(order.customer_id)
        if found is not None and found.profile is not None:
            tags = frozenset(found.profile.tags)
            customer = CustomerFacts(tags, bool(tags & BLACKLIST_TAGS))
    risk = None
    if needs_risk:
        history = await store_of(uow).orders.history(order, RISK_WINDOW)
        risk = assess(order, history)
    return EvaluationContext(reading.clock.now(), customer=customer, risk=risk)


class GetRuleSet(Query[RuleSet], entity=RULE_SET, permission=ORDERS_RULES):
    pass


class SaveRuleSet(
    Command[RuleSet], action="order_rule_set.update", entity=RULE_SET, permission=ORDERS_RULES
):
    """The rules as plain data (docs/orders.md, "The rule language"); ``expected_version``
    is the rule set's current version (0 before the first)."""

    rules: Sequence[Mapping[str, Any]]
    expected_version: int | None


class DryRunRules(Query[list[DryRunResult]], entity=RULE_SET, permission=ORDERS_RULES):
    """``rules`` None: the current rule set. The ``limit`` most recent orders awaiting
    review (all statuses with ``any_status``)."""

    rules: Sequence[Mapping[str, Any]] | None = None
    limit: int = 100
    any_status: bool = False


class GetRuleSetHandler:
    async def handle(self, query: GetRuleSet, reading: Reading) -> RuleSet:
        return await store_of(reading.uow).orders.rule_set()


class SaveRuleSetHandler:
    async def handle(self, command: SaveRuleSet, work: Work) -> RuleSet:
        orders = store_of(work.uow).orders
        current = await orders.rule_set()
        check_version(command.expected_version, current.version)
        revised = current.revise(parse_rules(list(command.rules)))
        if revised is current:
            return current  # nothing changed: no new version
        await orders.add_rule_set(revised, actor_of(work.ctx), work.clock.now())
        work.audit(
            None,
            {"version": current.version},
            {"version": revised.version},
            detail={"rules": [f"{r.ref}" for r in revised.rules]},
        )
        return revised


class DryRunRulesHandler:
    def __init__(self, reviewer: Reviewer) -> None:
        self._reviewer = reviewer

    async def handle(self, query: DryRunRules, reading: Reading) -> list[DryRunResult]:
        orders = store_of(reading.uow).orders
        if query.rules is None:
            rule_set = await orders.rule_set()
        else:  # a draft: versioned as saving would, never stored
            rule_set = (await orders.rule_set()).revise(parse_rules(list(query.rules)))
        limit = max(1, min(query.limit, MAX_DRY_RUN))
        where = OrderFilter(None if query.any_status else OrderStatus.AWAITING_REVIEW)
        recent = [s.order for s in await orders.page(where, None, limit)]
        compiled, risk = compile_rules(rule_set), _needs_risk(rule_set)
        pairs = [(o, await context_of(reading.uow, o, reading, needs_risk=risk)) for o in recent]
        return dry_run(compiled, pairs, at=reading.clock.now())
