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
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from application.notifications.ports import Notifier
from application.orders.common import (
    RuleReview,
    StockKeeper,
    Swept,
    actor_of,
    load_order,
    store_of,
    swept_many,
)
from application.orders.ports import OrderFilter, OrderPosition, StoredOrder
from application.orders.rule_facts import contexts_of, needs_of
from application.orders.splitting import SplitBy, SplitRequest, Splitter
from application.shared.pagination import encode_cursor, time_and_id, time_and_id_after
from application.shared.use_case import Command, Query, Reading, Work
from application.shared.versions import check_version
from domain.orders.order import Order
from domain.orders.permissions import ORDERS_RULES
from domain.orders.rules.actions import Split
from domain.orders.rules.apply import Application, apply_decision
from domain.orders.rules.dry_run import DryRunResult, dry_run
from domain.orders.rules.engine import CompiledRuleSet, compile_rules
from domain.orders.rules.facts import ACTOR
from domain.orders.rules.ruleset import RuleSet, parse_rules
from domain.orders.state import ENTITY
from domain.orders.status import OrderStatus
from domain.orders.timeline import TimelineKind
from domain.shared.errors import DomainError

RULE_SET = "order_rule_set"
MAX_DRY_RUN = 500
DEFAULT_REVIEW_PAGE = 200
MAX_REVIEW_PAGE = 1000


class Reviewer:
    """Evaluates and applies the tenant's rule set to an order awaiting review, and carries
    out what the decision leaves for later (a rule's ``split``, once the order is saved)."""

    def __init__(self, splitter: Splitter) -> None:
        self._compiled: dict[tuple[UUID, int], CompiledRuleSet] = {}
        self._splitter = splitter

    def compiled(self, tenant_id: UUID, rule_set: RuleSet) -> CompiledRuleSet:
        key = (tenant_id, rule_set.version)
        if key not in self._compiled:
            self._compiled[key] = compile_rules(rule_set)
        return self._compiled[key]

    async def review(self, work: Work, order: Order) -> Application | None:
        """Apply the rule set's decision when the order awaits review; None otherwise (or
        when the tenant has no rules). Reviewed again (a hold released), a rule that already
        acted on the order acts no more (``EvaluationContext.acted``)."""
        return (await self.review_many(work, [order]))[0]

    async def review_many(self, work: Work, orders: Sequence[Order]) -> list[Application | None]:
        """``review`` of each order, with the rule set, the tenant's zone and each customer
        read once for all of them."""
        waiting = [o for o in orders if o.status is OrderStatus.AWAITING_REVIEW]
        rule_set = await store_of(work.uow).orders.rule_set() if waiting else RuleSet.empty()
        if not rule_set.rules:
            return [None] * len(orders)
        compiled = self.compiled(work.uow.tenant_id, rule_set)
        now = work.clock.now()
        contexts = await contexts_of(work.uow, waiting, work, needs_of(rule_set))
        by_order = {o.id: c for o, c in zip(waiting, contexts, strict=True)}
        applied: list[Application | None] = []
        for order in orders:
            context = by_order.get(order.id)
            decision = compiled.evaluate(order, context) if context is not None else None
            applied.append(
                apply_decision(order, decision, at=now, new_line_id=work.ids.new_id)
                if decision is not None and decision.effective
                else None
            )
        return applied

    async def follow_up(
        self, work: Work, order: Order, application: Application | None
    ) -> StoredOrder | None:
        """A rule's ``split``, carried out once the order is saved (the parts are orders
        of their own), in a savepoint: refused — one part only, stock missing — the order
        stays whole and its timeline says why (``split_refused``, the code). The order as
        it is now, read again (retired, with its parts); None when there was nothing to do."""
        splits = application.follow_ups if application is not None else ()
        if not splits:
            return None
        orders = store_of(work.uow).orders
        decided = splits[0]  # split is single-valued: one per decision
        action = decided.action
        assert isinstance(action, Split)  # guard: the only follow-up
        request = SplitRequest(SplitBy(action.by), cap=action.cap)
        stored, mark = await load_order(work.uow, order.id, for_update=True), work.mark()
        try:
            async with orders.attempt():
                await self._splitter.split(
                    work, stored, request, actor=ACTOR, reason=decided.why(), rule=decided.rule
                )
        except DomainError as refused:
            work.undo_to(mark)
            stored = await load_order(work.uow, order.id, for_update=True)
            kept, now = stored.order, work.clock.now()
            read_version = kept.version
            detail = {"code": refused.code, **{k: str(v) for k, v in refused.params.items()}}
            kept.note(TimelineKind.SPLIT_REFUSED, now, ACTOR, decided.why(), decided.rule, detail)
            await orders.save(kept, read_version)
        return await load_order(work.uow, order.id)


@dataclass(frozen=True)
class ReviewedPage:
    reviewed: int  # orders awaiting review the rule set was evaluated on
    changed: int  # orders it changed (approved, held, marked, assigned …)
    next_cursor: str | None  # where the next page starts; None: the last page


class ReviewWaiting(
    Command[ReviewedPage], action="order.review_waiting", entity=ENTITY, permission=ORDERS_RULES
):
    """The orders awaiting review, reviewed by the current rule set again — a rule set
    switched on, or orders that waited before there were rules — a page of ``limit`` at a
    time, newest first, each page in its own transaction; a rule that already acted on an
    order acts no more. ``cursor``: the previous page's ``next_cursor``; ``down_to``: a
    cursor naming the last order of a range to review (the review job's ranges,
    ``review_job.py``), or None for every order after ``cursor``."""

    cursor: str | None = None
    limit: int = DEFAULT_REVIEW_PAGE
    down_to: str | None = None


class ReviewWaitingHandler:
    """A rule's warehouse moves the stock of the order it assigns, as on every other path
    (``StockKeeper.relocate_by_rule``: in a savepoint, or kept and ``stock_not_moved``);
    the orders no warehouse rule moved cost no statement of their own."""

    def __init__(self, reviewer: Reviewer, keeper: StockKeeper, notifier: Notifier) -> None:
        self._reviewer = reviewer
        self._keeper = keeper
        self._notifier = notifier

    async def handle(self, command: ReviewWaiting, work: Work) -> ReviewedPage:
        size = max(1, min(command.limit, MAX_REVIEW_PAGE))
        after, low = time_and_id_after(command.cursor), time_and_id_after(command.down_to)
        position = OrderPosition(*after) if after else None
        down_to = OrderPosition(*low) if low else None
        found = await store_of(work.uow).orders.lock_awaiting_review(position, size + 1, down_to)
        page = found[:size]
        read = [(o.version, o.status.value, o.warehouse_id) for o in page]
        applied = await self._reviewer.review_many(work, page)
        await self._keeper.relocate_by_rule(
            work,
            [
                RuleReview(order, was, done)
                for order, (_, _, was), done in zip(page, read, applied, strict=True)
            ],
        )
        changed = [
            Swept(order, version, before)
            for order, (version, before, _) in zip(page, read, strict=True)
            if order.version != version
        ]
        await swept_many(work, self._notifier, changed)
        for order, done in zip(page, applied, strict=True):
            await self._reviewer.follow_up(work, order, done)
        last = page[-1] if len(found) > size else None
        cursor = encode_cursor(time_and_id(last.placed_at, last.id)) if last else None
        return ReviewedPage(len(page), len(changed), cursor)


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
        compiled = compile_rules(rule_set)
        contexts = await contexts_of(reading.uow, recent, reading, needs_of(rule_set))
        return dry_run(compiled, list(zip(recent, contexts, strict=True)), at=reading.clock.now())
