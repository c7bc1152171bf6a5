"""Splitting an order (拆单, ORD-4) and joining the parts back, as pure functions.

``split`` takes the parts as groups of portions (a line and how many of its units); every
unit of every line must land in exactly one part. A line cut in two keeps its id, its
platform ids and its SKU in both parts; its discounts and tax are shared by quantity, the
shipping fee by the parts' goods value, each payment by the parts' totals and each refund
like its payment — all by largest remainder to the fen (allocation.py), so the parts add up
to the original exactly. The stock the original held goes to the parts. The original is
retired (``split_into``); each part starts with the original's timeline, so both sides keep
their history. ``rejoin`` adds the parts back up into the original.

The plans that choose the groups (by lines, warehouse, weight or package cap, pre-sale)
are in split_plans.py.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import TypeVar
from uuid import UUID

from domain.orders.allocation import allocate
from domain.orders.errors import SplitRefused
from domain.orders.lines import Discount, OrderLine
from domain.orders.order import Order
from domain.orders.payment_records import Payment, Refund
from domain.orders.status import OrderStatus
from domain.orders.timeline import Actor, RuleRef, SystemReason, TimelineKind
from domain.orders.values import ZERO
from domain.shared.events import DomainEvent
from domain.shared.money import quantum

S = OrderStatus
SPLITTABLE: frozenset[OrderStatus] = frozenset(
    {S.PENDING_PAYMENT, S.PAID, S.AWAITING_REVIEW, S.APPROVED}
)


@dataclass(frozen=True)
class Portion:
    line_id: UUID
    quantity: int


@dataclass(frozen=True)
class SplitPlan:
    groups: tuple[tuple[Portion, ...], ...]
    warehouses: tuple[UUID | None, ...] = ()  # per group, when the plan chose them


@dataclass(frozen=True)
class SplitResult:
    original: Order  # retired: split_into set, history kept
    parts: tuple[Order, ...]


def _refuse(reason: str, **params: str) -> SplitRefused:
    return SplitRefused(reason=reason, **params)


def _check(order: Order, plan: SplitPlan, new_ids: Sequence[UUID]) -> None:
    if order.retired or order.status not in SPLITTABLE:
        raise _refuse("status_not_splittable", status=order.status.value)
    if order.refund_requested:
        raise _refuse("refund_pending")
    groups = [g for g in plan.groups if g]
    if len(groups) < 2 or len(groups) != len(plan.groups):
        raise _refuse("needs_two_parts")
    if len(new_ids) != len(groups) or len(set(new_ids)) != len(new_ids):
        raise _refuse("one_new_id_per_part")
    counted: dict[UUID, int] = {}
    for group in groups:
        for portion in group:
            if order.line(portion.line_id) is None or portion.quantity < 1:
                raise _refuse("unknown_line", line=str(portion.line_id))
            counted[portion.line_id] = counted.get(portion.line_id, 0) + portion.quantity
    for line in order.lines:
        if counted.get(line.id, 0) != line.quantity:
            raise _refuse("quantities_not_conserved", line=str(line.id))


def _cut_lines(order: Order, plan: SplitPlan) -> list[list[OrderLine]]:
    """Each group's lines, with every cut line's discounts and tax shared by quantity."""
    step = quantum(order.currency)
    parts: list[list[OrderLine]] = [[] for _ in plan.groups]
    for line in order.lines:
        where = [
            (i, p.quantity) for i, g in enumerate(plan.groups) for p in g if p.line_id == line.id
        ]
        weights = [q for _, q in where]
        taxes = allocate(line.tax, weights, step)
        shares = [allocate(d.amount, weights, step) for d in line.discounts]
        for k, (group, quantity) in enumerate(where):
            discounts = tuple(
                Discount(share[k], d.source, d.reason)
                for d, share in zip(line.discounts, shares, strict=True)
            )
            parts[group].append(replace(line, quantity=quantity, discounts=discounts, tax=taxes[k]))
    return parts


def _share_money(
    order: Order, totals: list[Decimal], step: Decimal
) -> list[tuple[list[Payment], list[Refund]]]:
    money: list[tuple[list[Payment], list[Refund]]] = [([], []) for _ in totals]
    for payment in order.payments:
        pieces = allocate(payment.amount, totals, step)
        for i, piece in enumerate(pieces):
            if piece:
                money[i][0].append(replace(payment, amount=piece))
        for refund in (r for r in order.refunds if r.payment_id == payment.id):
            for i, piece in enumerate(allocate(refund.amount, pieces, step)):
                if piece:
                    money[i][1].append(replace(refund, amount=piece))
    return money


def _hand_over_stock(reserved: dict[UUID, int], part: Order) -> dict[UUID, int]:
    given: dict[UUID, int] = {}
    for sku, needed in part.required_stock().items():
        units = min(needed, reserved.get(sku, 0))
        if units:
            given[sku] = units
            reserved[sku] -= units
    return given


def split(
    order: Order,
    plan: SplitPlan,
    *,
    new_ids: Sequence[UUID],
    at: datetime,
    actor: Actor,
    reason: str,
    rule: RuleRef | None = None,
    after_part: int = 0,
) -> SplitResult:
    """``after_part``: the highest part number this order's base already has (a split
    after a rejoin, or of a part), so the new parts never take a number in use."""
    _check(order, plan, new_ids)
    step = quantum(order.currency)
    cut = _cut_lines(order, plan)
    goods = [sum((line.net for line in lines), ZERO) for lines in cut]
    shipping = allocate(order.shipping_fee, goods, step)
    totals = [g + s for g, s in zip(goods, shipping, strict=True)]
    money = _share_money(order, totals, step)
    reserved = dict(order.reserved)
    parts: list[Order] = []
    for i, lines in enumerate(cut):
        warehouse = plan.warehouses[i] if i < len(plan.warehouses) else order.warehouse_id
        part = copy.deepcopy(order)
        part.events.clear()
        part.id, part.number = new_ids[i], order.number.part(after_part + i + 1)
        part.lines = tuple(replace(x, warehouse_id=warehouse or x.warehouse_id) for x in lines)
        part.shipping_fee = shipping[i]
        part.payments, part.refunds = tuple(money[i][0]), tuple(money[i][1])
        part.warehouse_id, part.split_from, part.version = warehouse, order.id, 1
        part.reserved = _hand_over_stock(reserved, part)
        detail = {"from": order.number.value, "part": str(i + 1), "of": str(len(cut))}
        part._log(at, actor, TimelineKind.SPLIT_FROM, reason=reason, rule=rule, detail=detail)
        part.record_event(
            DomainEvent("order.created", "order", part.id, data={"split_from": str(order.id)})
        )
        parts.append(part)
    order.split_into = tuple(new_ids)
    order.reserved = {}
    detail = {"into": ", ".join(p.number.value for p in parts)}
    order._log(at, actor, TimelineKind.SPLIT_INTO, reason=reason, rule=rule, detail=detail)
    order._changed("order.split", ("split_into",), parts=",".join(map(str, new_ids)))
    return SplitResult(order, tuple(parts))


def rejoin(
    original: Order, parts: Sequence[Order], *, at: datetime, actor: Actor, reason: str
) -> Order:
    """The parts added back up into the original (its id, number and history), refused
    once a part has been picked or the parts no longer share one status."""
    if not original.split_into or {p.id for p in parts} != set(original.split_into):
        raise _refuse("parts_missing")
    statuses = {p.status for p in parts}
    if len(statuses) != 1 or not statuses <= SPLITTABLE or any(p.retired for p in parts):
        raise _refuse("parts_moved_on", statuses=",".join(sorted(s.value for s in statuses)))
    ordered = sorted(parts, key=lambda p: original.split_into.index(p.id))
    lines: dict[UUID, OrderLine] = {}
    for piece in (x for p in ordered for x in p.lines):
        known = lines.get(piece.id)
        lines[piece.id] = piece if known is None else _add_lines(known, piece)
    for line_id, line in lines.items():
        before = original.line(line_id)
        if before is not None:
            lines[line_id] = replace(line, warehouse_id=before.warehouse_id)
    first_known = {line.id: i for i, line in enumerate(original.lines)}
    in_order = sorted(lines.values(), key=lambda x: first_known.get(x.id, len(first_known)))
    back = original
    before_status = back.status
    back.lines = tuple(in_order)
    back.shipping_fee = sum((p.shipping_fee for p in ordered), ZERO)
    back.payments = _add_up((x for p in ordered for x in p.payments), original.payments)
    back.refunds = _add_up((x for p in ordered for x in p.refunds), original.refunds)
    back.status, back.split_into = statuses.pop(), ()
    stock: dict[UUID, int] = {}
    for part in ordered:
        for sku, units in part.reserved.items():
            stock[sku] = stock.get(sku, 0) + units
        part.reserved = {}
        part.move_to(S.CANCELLED, at, actor, SystemReason.REJOINED.because(reason))
    back.reserved = stock
    back._log(
        at,
        actor,
        TimelineKind.REJOINED,
        reason=reason,
        from_status=before_status,
        to_status=back.status,
        detail={"parts": str(len(ordered))},
    )
    back._changed("order.rejoined", ("lines", "payments", "split_into"))
    return back


def _add_lines(a: OrderLine, b: OrderLine) -> OrderLine:
    discounts = tuple(
        Discount(x.amount + y.amount, x.source, x.reason)
        for x, y in zip(a.discounts, b.discounts, strict=True)
    )
    return replace(a, quantity=a.quantity + b.quantity, discounts=discounts, tax=a.tax + b.tax)


Money = TypeVar("Money", Payment, Refund)


def _add_up(pieces: Iterable[Money], before: Sequence[Money]) -> tuple[Money, ...]:
    """Pieces of one payment (or refund) added back together, in the original's order
    (then any recorded on a part since, in the order seen)."""
    total: dict[UUID, Money] = {}
    for piece in pieces:
        known = total.get(piece.id)
        total[piece.id] = (
            piece if known is None else replace(known, amount=known.amount + piece.amount)
        )
    position = {item.id: i for i, item in enumerate(before)}
    return tuple(sorted(total.values(), key=lambda x: position.get(x.id, len(position))))
