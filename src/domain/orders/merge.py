"""Merging orders (合单, ORD-4) and undoing a merge, as pure functions.

Orders merge when they are of the same customer, the same shop group, the same receiver
(name, phone and address compared normalised), paid and not yet picked, with no refund
requested, all cash on delivery or none. ``merge_problems`` names every condition that
fails, with the order that fails it; ``merge`` refuses with the first.

The merged order holds every line (with its platform order and sub-order ids), every
payment and refund, the shipping fees added up, the stock the originals held, and the
originals themselves as they were (``merged_from``), so ``unmerge`` gives them back. The
originals are retired (``merged_into``) and keep their timelines; the merged order starts
its own with an entry naming them, and goes to review.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from domain.orders.errors import MergeRefused
from domain.orders.lines import OrderLine
from domain.orders.order import Order
from domain.orders.state import OrderState
from domain.orders.status import SHIPPED_OR_LATER, OrderStatus
from domain.orders.timeline import Actor, RuleRef, SystemReason, TimelineKind
from domain.orders.values import ZERO, OrderNumber, SellerMemo
from domain.shared.events import DomainEvent

S = OrderStatus
MERGEABLE: frozenset[OrderStatus] = frozenset({S.PAID, S.AWAITING_REVIEW, S.APPROVED})
PICKED: frozenset[OrderStatus] = SHIPPED_OR_LATER | {S.PICKING}
# a merged order may be unmerged until it is picked (its lines and money unchanged)
UNMERGEABLE: frozenset[OrderStatus] = MERGEABLE | {S.HELD, S.ABNORMAL, S.ALLOCATED}
ShopGroupOf = Callable[[UUID | None], str]


def same_shop(channel_id: UUID | None) -> str:
    """The default shop group: each channel is its own."""
    return str(channel_id)


def in_shop_groups(groups: Mapping[UUID, str]) -> ShopGroupOf:
    """The shop groups the catalog's channels name (channel id → the group's code): the
    channels of one code are one group; a channel not in ``groups`` is its own (a group's
    code, ``group:<code>``, never reads as a channel's id)."""

    def group_of(channel_id: UUID | None) -> str:
        code = groups.get(channel_id) if channel_id is not None else None
        return f"group:{code}" if code is not None else same_shop(channel_id)

    return group_of


@dataclass(frozen=True)
class MergeProblem:
    condition: str  # same_customer, same_shop_group, same_receiver, not_shipped, …
    order_id: UUID


@dataclass(frozen=True)
class MergeResult:
    merged: Order
    sources: tuple[Order, ...]  # retired: merged_into set, history kept


@dataclass(frozen=True)
class UnmergeResult:
    restored: tuple[Order, ...]
    merged: Order  # cancelled, reason "unmerged"


def merge_problems(
    orders: Sequence[OrderState], shop_group_of: ShopGroupOf = same_shop
) -> list[MergeProblem]:
    if len(orders) < 2 or len({o.id for o in orders}) != len(orders):
        return [MergeProblem("at_least_two_orders", orders[0].id if orders else UUID(int=0))]
    first = orders[0]
    problems: list[MergeProblem] = []
    for order in orders:
        underlying = order.resume_status or order.status
        checks = (
            ("not_shipped", underlying not in PICKED and not order.shipped_quantities),
            ("not_cancelled", order.status is not S.CANCELLED and not order.retired),
            ("paid_and_not_interrupted", order.status in MERGEABLE),
            ("no_refund_pending", not order.refund_requested),
            ("same_currency", order.currency == first.currency),
            (
                "same_customer",
                order.customer_id is not None and order.customer_id == first.customer_id,
            ),
            ("same_shop_group", shop_group_of(order.channel_id) == shop_group_of(first.channel_id)),
            ("same_receiver", order.receiver.match_key() == first.receiver.match_key()),
            ("same_cash_on_delivery", order.cash_on_delivery == first.cash_on_delivery),
        )
        problems.extend(MergeProblem(name, order.id) for name, ok in checks if not ok)
    return problems


def may_merge(order: OrderState) -> bool:
    """The order's own conditions of ``merge_problems`` hold (the others compare it with
    the orders it is merged with): a customer's, paid and not interrupted, not picked or
    retired, no refund pending."""
    return (
        order.customer_id is not None
        and order.status in MERGEABLE
        and not order.retired
        and not order.refund_requested
        and not order.shipped_quantities
    )


def _joined(texts: Sequence[str | None]) -> str | None:
    kept = list(dict.fromkeys(t for t in texts if t))
    return "\n".join(kept) if kept else None


def _sum_stock(orders: Sequence[OrderState]) -> dict[UUID, int]:
    total: dict[UUID, int] = {}
    for order in orders:
        for sku, units in order.reserved.items():
            total[sku] = total.get(sku, 0) + units
    return total


def merge(
    orders: Sequence[Order],
    *,
    new_id: UUID,
    number: OrderNumber,
    at: datetime,
    actor: Actor,
    reason: str,
    shop_group_of: ShopGroupOf = same_shop,
    rule: RuleRef | None = None,
) -> MergeResult:
    problems = merge_problems(orders, shop_group_of)
    if problems:
        raise MergeRefused(condition=problems[0].condition, order_id=str(problems[0].order_id))
    lines: tuple[OrderLine, ...] = tuple(line for o in orders for line in o.lines)
    if len({line.id for line in lines}) != len(lines):
        raise MergeRefused(condition="distinct_lines", order_id=str(orders[0].id))
    first = orders[0]
    snapshots = tuple(_snapshot(o) for o in orders)
    flags = [o.seller_memo.flag for o in orders if o.seller_memo.flag.value != "none"]
    merged = Order(
        id=new_id,
        number=number,
        currency=first.currency,
        lines=lines,
        receiver=first.receiver,
        placed_at=min(o.placed_at for o in orders),
        status=S.AWAITING_REVIEW,
        channel_id=first.channel_id,
        platform_order_ids=tuple(dict.fromkeys(p for o in orders for p in o.platform_order_ids)),
        customer_id=first.customer_id,
        shipping_fee=sum((o.shipping_fee for o in orders), ZERO),
        buyer_message=_joined([o.buyer_message for o in orders]),
        seller_memo=SellerMemo(
            _joined([o.seller_memo.text for o in orders]),
            flags[0] if flags else first.seller_memo.flag,
        ),
        invoice=next((o.invoice for o in orders if o.invoice), None),
        cash_on_delivery=first.cash_on_delivery,
        payments=tuple(p for o in orders for p in o.payments),
        refunds=tuple(r for o in orders for r in o.refunds),
        paid_at=max((o.paid_at for o in orders if o.paid_at), default=None),
        reserved=_sum_stock(orders),
        merged_from=snapshots,
    )
    sources = ", ".join(o.number.value for o in orders)
    merged._log(
        at,
        actor,
        TimelineKind.MERGED,
        reason=reason,
        rule=rule,
        to_status=S.AWAITING_REVIEW,
        detail={"sources": sources},
    )
    merged.record_event(
        DomainEvent("order.created", "order", new_id, data={"number": number.value})
    )
    merged.record_event(
        DomainEvent(
            "order.merged", "order", new_id, data={"sources": ",".join(str(o.id) for o in orders)}
        )
    )
    for order in orders:
        order.merged_into = new_id
        order.reserved = {}  # the merged order holds the stock now
        order._log(
            at,
            actor,
            TimelineKind.MERGED_INTO,
            reason=reason,
            rule=rule,
            detail={"into": number.value},
        )
        order._changed("order.merged_into", ("merged_into",), into=str(new_id))
    return MergeResult(merged, tuple(orders))


def _snapshot(order: OrderState) -> OrderState:
    kept = copy.deepcopy(order)
    kept.events.clear()
    return kept


def _by_id(line: OrderLine) -> UUID:
    return line.id


def _line_key(line: OrderLine) -> OrderLine:
    return replace(line, warehouse_id=None)


def unmerge(merged: Order, *, at: datetime, actor: Actor, reason: str) -> UnmergeResult:
    """The originals back, as they were, each with the merge and the unmerge in its
    timeline; refused once the merged order has been picked or its lines or money changed."""
    if not merged.merged_from:
        raise MergeRefused(condition="not_a_merged_order", order_id=str(merged.id))
    if merged.status not in UNMERGEABLE:
        raise MergeRefused(condition="not_shipped", order_id=str(merged.id))
    originals = merged.merged_from
    now = sorted(map(_line_key, merged.lines), key=_by_id)
    same_lines = now == sorted((_line_key(x) for o in originals for x in o.lines), key=_by_id)
    same_money = set(merged.payments) == {p for o in originals for p in o.payments} and set(
        merged.refunds
    ) == {r for o in originals for r in o.refunds}
    if not (same_lines and same_money):
        raise MergeRefused(condition="changed_since_merge", order_id=str(merged.id))
    restored: list[Order] = []
    for original in originals:
        back = copy.deepcopy(original)
        assert isinstance(back, Order)  # guard: merge keeps Orders
        back.events.clear()
        back.merged_into = None
        back._log(
            at, actor, TimelineKind.MERGED_INTO, reason=reason, detail={"into": merged.number.value}
        )
        back._log(
            at, actor, TimelineKind.UNMERGED, reason=reason, detail={"from": merged.number.value}
        )
        back._changed("order.unmerged", ("merged_into",), merged=str(merged.id))
        restored.append(back)
    merged.reserved = {}
    merged.move_to(S.CANCELLED, at, actor, SystemReason.UNMERGED.because(reason))
    merged.merged_from = ()
    return UnmergeResult(tuple(restored), merged)
