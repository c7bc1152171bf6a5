"""The orders module's scheduled work (ORD-1, ORD-5).

- **Unpaid timeout**: ``CancelUnpaidOrders`` cancels the tenant's orders of the own API or
  staff entry still pending payment past the tenant's limit and releases their stock. It
  takes a batch with ``FOR UPDATE SKIP LOCKED`` and cancels it in the same transaction: a
  second scheduler running at the same moment skips the rows the first holds, and once
  the first commits they are no longer pending — so each order is cancelled (and its
  stock released, audited and announced) exactly once.
- **Restock**: ``RetryAwaitingStock`` tries again to reserve the stock of orders marked
  abnormal ``out_of_stock`` (marketplace intake); each that inventory can now hold whole
  gets its reservation and the abnormality released automatically. A reservation that
  still fails is undone by its savepoint and the order waits for the next run.

- **Holds that end**: ``ReleaseExpiredHolds`` releases the holds whose end has passed (a
  rule's "hold for 4 h"), each once (skip locked); an order back in awaiting review is
  reviewed again (the rules that have not acted on it yet decide); a rule's warehouse
  moves its stock (``StockKeeper.relocate_by_rule``).
- **Automatic merging** (合单, ORD-4): ``MergeDueOrders`` merges the orders past their
  merge wait — a rule's ``merge_eligible`` wait, else the tenant's wait from payment — of
  one customer, shop group (the catalog's channels' groups, read once a run; a channel
  without one is its own) and receiver (blind index), not shipped, no refund
  requested: one run per tenant at a time, each group locked and merged in one
  transaction, so two runs never merge an order twice nor cut a group between them. The
  merged order is reviewed by the rule set (a rule's warehouse moves the stock it took
  over); its timeline and the originals' name the rule (and its version) that made them
  eligible.

- **Completion** (确认收货): ``CompleteDeliveredOrders`` completes the orders delivered
  (signed for) ``COMPLETE_AFTER`` ago — the seven days of no-questions returns (七天无理由)
  over — each once (skip locked). A case opened after that is still after-sales' own.

``OrderSweeps`` runs each for every tenant that has work (found by the platform role),
one batch per transaction until none is left.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from uuid import UUID

from application.notifications.ports import Notifier
from application.orders.common import RuleReview, StockKeeper, store_of, swept
from application.orders.merging import MAX_MERGED, Merger, channel_groups
from application.orders.ports import DueOrders
from application.orders.review import Reviewer
from application.shared.clock import Clock
from application.shared.context import CallContext
from application.shared.use_case import Command, Work, runs
from application.shared.use_cases import UseCases
from domain.inventory.stock import InsufficientStock
from domain.orders.abnormal import AbnormalType
from domain.orders.merge import in_shop_groups, merge_problems
from domain.orders.order import Order
from domain.orders.permissions import ORDERS_REVIEW
from domain.orders.state import ENTITY
from domain.orders.status import OrderStatus
from domain.orders.timeline import RuleRef, SystemReason

BATCH = 100
UNPAID_ACTOR = "system:orders.unpaid_timeout"
RESTOCK_ACTOR = "system:orders.restock"
HOLD_ACTOR = "system:orders.hold_expiry"
MERGE_ACTOR = "system:orders.auto_merge"
COMPLETE_ACTOR = "system:orders.completion"
COMPLETE_AFTER = timedelta(days=7)  # from delivery: the no-questions return window


class CancelUnpaidOrders(
    Command[int], action="order.unpaid_timeout", entity=ENTITY, permission=ORDERS_REVIEW
):
    limit: int = BATCH


class RetryAwaitingStock(
    Command[int], action="order.restock", entity=ENTITY, permission=ORDERS_REVIEW
):
    limit: int = BATCH


class ReleaseExpiredHolds(
    Command[int], action="order.hold_expired", entity=ENTITY, permission=ORDERS_REVIEW
):
    limit: int = BATCH


class CompleteDeliveredOrders(
    Command[int], action="order.completed", entity=ENTITY, permission=ORDERS_REVIEW
):
    limit: int = BATCH


class MergeDueOrders(
    Command[int], action="order.auto_merge", entity=ENTITY, permission=ORDERS_REVIEW
):
    """``limit``: groups per transaction."""

    limit: int = BATCH


class ReleaseExpiredHoldsHandler:
    """A hold with an end (a rule's "hold for 4 h", or a person's "until") is released when
    it ends; the order returns to where it was (or stays abnormal)."""

    def __init__(self, keeper: StockKeeper, notifier: Notifier, reviewer: Reviewer) -> None:
        self._keeper = keeper
        self._notifier = notifier
        self._reviewer = reviewer

    async def handle(self, command: ReleaseExpiredHolds, work: Work) -> int:
        orders, now = store_of(work.uow).orders, work.clock.now()
        due = await orders.lock_holds_due(now, command.limit)
        for order in due:
            read_version, before, was = order.version, order.status.value, order.warehouse_id
            order.release_hold(now, HOLD_ACTOR, "hold expired")
            reviewed = await self._reviewer.review(work, order)
            await self._keeper.relocate_by_rule(work, [RuleReview(order, was, reviewed)])
            await swept(work, self._notifier, order, read_version, before)
            await self._reviewer.follow_up(work, order, reviewed)
        return len(due)


def _eligible_by(order: Order) -> RuleRef | None:
    """The rule (and version) that made the order merge-eligible; None when it is the
    tenant's wait."""
    if order.merge_after is None:
        return None
    marks = [e for e in order.timeline if e.kind == "merge_eligible"]
    return marks[-1].rule if marks else None


class MergeDueOrdersHandler:
    """The merged order is reviewed by the rule set; a rule's warehouse moves the stock it
    took over from the originals (``StockKeeper.relocate_by_rule``)."""

    def __init__(self, merger: Merger, reviewer: Reviewer, keeper: StockKeeper) -> None:
        self._merger = merger
        self._reviewer = reviewer
        self._keeper = keeper

    async def handle(self, command: MergeDueOrders, work: Work) -> int:
        """Merges each group due (the orders of it that merge_problems finds fit: the
        receivers compared decrypted, cash on delivery alike); the number of merged orders
        made."""
        orders, made = store_of(work.uow).orders, 0
        grouped = await channel_groups(work.uow)
        group_of = in_shop_groups(grouped)  # the same groups for the lock and the check
        for group in await orders.lock_merge_groups(work.clock.now(), command.limit, grouped):
            unfit = {p.order_id for p in merge_problems([s.order for s in group], group_of)}
            fit = [s for s in group if s.order.id not in unfit] if unfit else group
            if len(fit) < 2:
                continue
            rule = next((r for s in fit if (r := _eligible_by(s.order)) is not None), None)
            by = f"rule {rule}" if rule else "the tenant's wait from payment"
            merged = await self._merger.merge(
                work,
                fit[:MAX_MERGED],
                actor=MERGE_ACTOR,
                reason=f"automatic merge ({by})",
                shop_group_of=group_of,
                rule=rule,
            )
            order, version = merged.order, merged.order.version
            was = order.warehouse_id
            reviewed = await self._reviewer.review(work, order)
            await self._keeper.relocate_by_rule(work, [RuleReview(order, was, reviewed)])
            if order.version != version:
                await orders.save(order, version)
                work.publish(order)
            await self._reviewer.follow_up(work, order, reviewed)
            made += 1
        return made


class CancelUnpaidOrdersHandler:
    def __init__(self, keeper: StockKeeper, notifier: Notifier) -> None:
        self._keeper = keeper
        self._notifier = notifier

    async def handle(self, command: CancelUnpaidOrders, work: Work) -> int:
        orders, now = store_of(work.uow).orders, work.clock.now()
        minutes = await orders.unpaid_minutes()
        due = await orders.lock_unpaid_due(now - timedelta(minutes=minutes), command.limit)
        for order in due:
            read_version = order.version
            order.cancel(now, UNPAID_ACTOR, SystemReason.UNPAID_TIMEOUT)
            await self._keeper.sync(work, order)  # releases what it held
            detail: dict[str, object] = {"unpaidMinutes": minutes}
            await swept(work, self._notifier, order, read_version, "pending_payment", detail)
        return len(due)


class RetryAwaitingStockHandler:
    def __init__(self, keeper: StockKeeper, notifier: Notifier) -> None:
        self._keeper = keeper
        self._notifier = notifier

    async def handle(self, command: RetryAwaitingStock, work: Work) -> int:
        orders, now = store_of(work.uow).orders, work.clock.now()
        released = 0
        for order in await orders.lock_awaiting_stock(command.limit):
            read_version, before = order.version, order.status.value
            try:
                async with orders.attempt():
                    await self._keeper.sync(work, order, restocking=True)
            except InsufficientStock:
                continue  # still short: it waits for the next run
            order.resolve_abnormal(
                AbnormalType.OUT_OF_STOCK, now, RESTOCK_ACTOR, "stock arrived", automatic=True
            )
            await swept(work, self._notifier, order, read_version, before)
            released += 1
        return released


class CompleteDeliveredOrdersHandler:
    def __init__(self, notifier: Notifier) -> None:
        self._notifier = notifier

    async def handle(self, command: CompleteDeliveredOrders, work: Work) -> int:
        orders, now = store_of(work.uow).orders, work.clock.now()
        due = await orders.lock_delivered_before(now - COMPLETE_AFTER, command.limit)
        for order in due:
            read_version = order.version
            order.move_to(
                OrderStatus.COMPLETED, now, COMPLETE_ACTOR, SystemReason.RECEIPT_CONFIRMED
            )
            await swept(work, self._notifier, order, read_version, OrderStatus.DELIVERED.value)
        return len(due)


class OrderSweeps:
    """The sweeps across tenants, each tenant in its own context (the worker's)."""

    def __init__(self, use_cases: UseCases, due: DueOrders, clock: Clock) -> None:
        self._use_cases = use_cases
        self._due = due
        self._clock = clock

    async def _until_done(self, ctx: CallContext, batch: Command[int], limit: int) -> int:
        """``batch`` (``limit`` orders a transaction) run until one finds fewer: the total."""
        done = 0
        while True:
            count = await self._use_cases.run(ctx, batch)
            done += count
            if count < limit:
                return done

    @runs(CancelUnpaidOrders)
    async def cancel_unpaid(self, ctx: CallContext, limit: int = BATCH) -> int:
        return await self._until_done(ctx, CancelUnpaidOrders(limit), limit)

    @runs(CancelUnpaidOrders)
    async def cancel_unpaid_everywhere(
        self, context_for: Callable[[UUID], CallContext]
    ) -> dict[UUID, int]:
        return {
            tenant_id: await self.cancel_unpaid(context_for(tenant_id))
            for tenant_id in await self._due.tenants_with_unpaid_due(self._clock.now())
        }

    @runs(ReleaseExpiredHolds)
    async def release_holds_everywhere(
        self, context_for: Callable[[UUID], CallContext]
    ) -> dict[UUID, int]:
        return {
            tenant_id: await self._use_cases.run(context_for(tenant_id), ReleaseExpiredHolds())
            for tenant_id in await self._due.tenants_with_holds_due(self._clock.now())
        }

    @runs(CompleteDeliveredOrders)
    async def complete_delivered_everywhere(
        self, context_for: Callable[[UUID], CallContext]
    ) -> dict[UUID, int]:
        cutoff = self._clock.now() - COMPLETE_AFTER
        return {
            tenant_id: await self._until_done(
                context_for(tenant_id), CompleteDeliveredOrders(), BATCH
            )
            for tenant_id in await self._due.tenants_with_deliveries_due(cutoff)
        }

    @runs(MergeDueOrders)
    async def merge_everywhere(self, context_for: Callable[[UUID], CallContext]) -> dict[UUID, int]:
        return {
            tenant_id: await self._use_cases.run(context_for(tenant_id), MergeDueOrders())
            for tenant_id in await self._due.tenants_with_merges_due(self._clock.now())
        }

    @runs(RetryAwaitingStock)
    async def restock_everywhere(
        self, context_for: Callable[[UUID], CallContext]
    ) -> dict[UUID, int]:
        """One batch per tenant and run: orders still short stay locked out of nothing and
        are retried on the next run."""
        return {
            tenant_id: await self._use_cases.run(context_for(tenant_id), RetryAwaitingStock())
            for tenant_id in await self._due.tenants_awaiting_stock()
        }
