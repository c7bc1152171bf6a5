"""Split (拆单) and rejoin (ORD-4): worked examples per plan, and Hypothesis: quantities,
money, payments and platform ids are conserved and rejoining gives back the original."""

from __future__ import annotations

import copy
import uuid
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.orders.errors import SplitRefused
from domain.orders.order import Order
from domain.orders.split import Portion, SplitPlan, rejoin, split
from domain.orders.split_plans import (
    by_available_stock,
    by_lines,
    by_package_cap,
    by_presale,
    by_warehouse,
    by_weight,
    warehouses_holding,
)
from domain.orders.status import OrderStatus
from tests.unit.orders.factory import SKU_A, SKU_B, STAFF, later, line, paid_order, pay
from tests.unit.orders.strategies import orders

W1, W2 = uuid.UUID(int=101), uuid.UUID(int=102)


def _ids(n: int) -> list[uuid.UUID]:
    return [uuid.uuid4() for _ in range(n)]


def test_split_by_warehouse_shares_shipping_and_the_payment_to_the_fen() -> None:
    a = line(SKU_A, 1, "10.00", platform_order_id="TB1", platform_sub_order_id="TB1-1")
    b = line(SKU_B, 2, "10.00", platform_order_id="TB1", platform_sub_order_id="TB1-2")
    made = paid_order(a, b, shipping="10.00")
    made.stock_reserved()
    plan = by_warehouse(made, {a.id: W1, b.id: W2})
    result = split(made, plan, new_ids=_ids(2), at=later(5), actor=STAFF, reason="两个仓发货")
    first, second = result.parts
    assert [p.number.value for p in result.parts] == ["SO20261111001-1", "SO20261111001-2"]
    assert (first.warehouse_id, second.warehouse_id) == (W1, W2)
    assert (first.shipping_fee, second.shipping_fee) == (Decimal("3.33"), Decimal("6.67"))
    assert (first.total, second.total) == (Decimal("13.33"), Decimal("26.67"))
    assert first.paid_amount + second.paid_amount == Decimal("40.00")
    assert first.payments[0].transaction_id == second.payments[0].transaction_id
    assert first.lines[0].platform_sub_order_id == "TB1-1"
    assert first.reserved == {SKU_A: 1} and second.reserved == {SKU_B: 2}
    assert made.split_into == tuple(p.id for p in result.parts) and made.reserved == {}
    assert first.timeline[:-1] == made.timeline[:-1]  # the part keeps the history
    assert first.timeline[-1].kind == "split_from" and made.timeline[-1].kind == "split_into"


def test_a_cut_line_shares_its_discount_and_tax_by_quantity() -> None:
    cut = line(SKU_A, 3, "10.00", discount="1.00", tax="0.10")
    made = paid_order(cut)
    plan = SplitPlan(((Portion(cut.id, 1),), (Portion(cut.id, 2),)))
    parts = split(made, plan, new_ids=_ids(2), at=later(5), actor=STAFF, reason="x").parts
    assert [p.lines[0].discount_total for p in parts] == [Decimal("0.33"), Decimal("0.67")]
    assert [p.lines[0].tax for p in parts] == [Decimal("0.03"), Decimal("0.07")]


def test_plans_by_lines_presale_weight_and_package_cap() -> None:
    a = line(SKU_A, 3, unit_weight_grams=1000)
    b = line(SKU_B, 1, unit_weight_grams=2500, presale=True)
    made = paid_order(a, b)
    assert by_lines(made, {b.id}).groups == ((Portion(b.id, 1),), (Portion(a.id, 3),))
    assert by_presale(made).groups == ((Portion(a.id, 3),), (Portion(b.id, 1),))
    assert by_weight(made, 2000).groups == (
        (Portion(a.id, 2),),
        (Portion(a.id, 1),),
        (Portion(b.id, 1),),  # 2.5 kg > the 2 kg cap: travels alone
    )
    assert by_package_cap(made, 2).groups == (
        (Portion(a.id, 2),),
        (Portion(a.id, 1), Portion(b.id, 1)),
    )
    with pytest.raises(SplitRefused) as caught:
        by_package_cap(made, 10)
    assert caught.value.params["reason"] == "needs_two_parts"


def test_split_refuses_what_would_lose_or_invent_units() -> None:
    a = line(SKU_A, 2)
    made = paid_order(a, line(SKU_B, 1))
    plan = SplitPlan(((Portion(a.id, 2),), (Portion(a.id, 1),)))
    with pytest.raises(SplitRefused) as caught:
        split(made, plan, new_ids=_ids(2), at=later(5), actor=STAFF, reason="x")
    assert caught.value.params["reason"] == "quantities_not_conserved"


def test_a_shipped_order_is_not_split() -> None:
    made = paid_order(line(SKU_A, 1), line(SKU_B, 1))
    for target in (
        OrderStatus.AWAITING_REVIEW,
        OrderStatus.APPROVED,
        OrderStatus.ALLOCATED,
        OrderStatus.PICKING,
    ):
        made.move_to(target, later(2), STAFF)
    with pytest.raises(SplitRefused) as caught:
        split(
            made, by_presale_or_lines(made), new_ids=_ids(2), at=later(5), actor=STAFF, reason="x"
        )
    assert caught.value.params["reason"] == "status_not_splittable"


def by_presale_or_lines(made: Order) -> SplitPlan:
    return by_lines(made, {made.lines[0].id})


def test_rejoin_refuses_when_a_part_moved_on() -> None:
    made = paid_order(line(SKU_A, 1), line(SKU_B, 1))
    result = split(
        made, by_presale_or_lines(made), new_ids=_ids(2), at=later(5), actor=STAFF, reason="x"
    )
    result.parts[0].move_to(OrderStatus.AWAITING_REVIEW, later(6), STAFF)
    with pytest.raises(SplitRefused) as caught:
        rejoin(made, result.parts, at=later(7), actor=STAFF, reason="undo")
    assert caught.value.params["reason"] == "parts_moved_on"


WAREHOUSES = (W1, W2, uuid.UUID(int=103))


@st.composite
def availability(draw: st.DrawFn, made: Order) -> dict[uuid.UUID, dict[uuid.UUID, int]]:
    """Per SKU of the order, the units free in each of three warehouses (some none)."""
    return {
        sku: {w: draw(st.integers(0, 12)) for w in WAREHOUSES}
        for sku in sorted({x.sku_id for x in made.lines})
    }


@st.composite
def plans(draw: st.DrawFn, made: Order) -> SplitPlan:
    """A split by the warehouses that hold the stock (ORD-4) when the drawn stock allows
    one, else any cut of the units into two to four parts."""
    if draw(st.booleans()):
        try:
            return by_available_stock(made, draw(availability(made)))
        except SplitRefused:
            pass  # one warehouse holds it all, or a line none holds whole
    count = draw(st.integers(2, 4))
    units = [(x.id, draw(st.integers(0, count - 1))) for x in made.lines for _ in range(x.quantity)]
    if len({g for _, g in units}) < 2:
        units[0] = (units[0][0], (units[0][1] + 1) % count)
    groups: list[dict[uuid.UUID, int]] = [{} for _ in range(count)]
    for line_id, g in units:
        groups[g][line_id] = groups[g].get(line_id, 0) + 1
    return SplitPlan(tuple(tuple(Portion(i, q) for i, q in g.items()) for g in groups if g))


def _money_by_id(items: object) -> dict[uuid.UUID, Decimal]:
    total: dict[uuid.UUID, Decimal] = {}
    for item in items:  # type: ignore[attr-defined]
        total[item.id] = total.get(item.id, Decimal(0)) + item.amount
    return total


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_split_conserves_everything_and_rejoin_gives_back_the_original(data: st.DataObject) -> None:
    made = data.draw(orders())
    if sum(x.quantity for x in made.lines) < 2:
        return
    before = copy.deepcopy(made)
    plan = data.draw(plans(made))
    parts = split(made, plan, new_ids=_ids(len(plan.groups)), at=later(9), actor=STAFF, reason="p")
    pieces = parts.parts
    for original_line in before.lines:
        cut = [x for p in pieces for x in p.lines if x.id == original_line.id]
        assert sum(x.quantity for x in cut) == original_line.quantity
        assert sum(x.net for x in cut) == original_line.net
        assert {(x.platform_order_id, x.platform_sub_order_id) for x in cut} == {
            (original_line.platform_order_id, original_line.platform_sub_order_id)
        }
    assert sum(p.total for p in pieces) == before.total
    assert sum(p.shipping_fee for p in pieces) == before.shipping_fee
    assert _money_by_id(x for p in pieces for x in p.payments) == _money_by_id(before.payments)
    assert _money_by_id(x for p in pieces for x in p.refunds) == _money_by_id(before.refunds)
    assert all(p.platform_order_ids == before.platform_order_ids for p in pieces)
    stock: dict[uuid.UUID, int] = {}
    for p in pieces:
        assert p.stock_delta() == {}
        for sku, units in p.reserved.items():
            stock[sku] = stock.get(sku, 0) + units
    assert stock == before.reserved

    back = rejoin(made, pieces, at=later(10), actor=STAFF, reason="undo")
    assert back.lines == before.lines
    assert back.payments == before.payments and back.refunds == before.refunds
    assert (back.total, back.shipping_fee, back.status) == (
        before.total,
        before.shipping_fee,
        before.status,
    )
    assert back.reserved == before.reserved and back.stock_delta() == {}
    assert all(p.status is OrderStatus.CANCELLED and p.stock_delta() == {} for p in pieces)
    assert [e.kind for e in back.timeline[-2:]] == ["split_into", "rejoined"]


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_ord4_warehouses_holding_serves_each_line_whole_within_each_warehouses_stock(
    data: st.DataObject,
) -> None:
    """ORD-4: every line goes to one warehouse that holds all its units, and no warehouse
    is given more of a SKU than it holds; a line none holds whole is refused."""
    made = data.draw(orders())
    free = data.draw(availability(made))
    try:
        assignment = warehouses_holding(made, free)
    except SplitRefused as refused:
        assert refused.params["reason"] == "line_without_warehouse"
        return
    assert set(assignment) == {x.id for x in made.lines}
    given_out: dict[tuple[uuid.UUID, uuid.UUID], int] = {}
    for x in made.lines:
        key = (x.sku_id, assignment[x.id])
        given_out[key] = given_out.get(key, 0) + x.quantity
    assert all(units <= free[sku][w] for (sku, w), units in given_out.items())


def test_ord4_split_by_the_warehouses_that_hold_the_stock_worked_example() -> None:
    """ORD-4, docs/orders.md: A only in W1, B only in W2, C in both — W1 can serve two
    lines (A, C: 4 units), W2 two (B, C: 3 units); W1 goes first with A and C, W2 takes B:
    two parts, not three."""
    sku_c = uuid.UUID(int=3)
    a, b, c = line(SKU_A, 3, "10.00"), line(SKU_B, 2, "10.00"), line(sku_c, 1, "5.00")
    made = paid_order(a, b, c, shipping="6.00")
    free = {SKU_A: {W1: 5}, SKU_B: {W2: 2}, sku_c: {W1: 1, W2: 9}}
    assert warehouses_holding(made, free) == {a.id: W1, c.id: W1, b.id: W2}
    plan = by_available_stock(made, free)
    assert plan.warehouses == (W1, W2)
    result = split(made, plan, new_ids=_ids(2), at=later(5), actor=STAFF, reason="分仓")
    first, second = result.parts
    assert [x.sku_id for x in first.lines] == [SKU_A, sku_c] and first.warehouse_id == W1
    assert [x.sku_id for x in second.lines] == [SKU_B] and second.warehouse_id == W2
    assert first.total + second.total == made.total
    with pytest.raises(SplitRefused) as one_part:  # W2 alone can serve everything
        by_available_stock(made, {SKU_A: {W2: 3}, SKU_B: {W2: 2}, sku_c: {W2: 1}})
    assert one_part.value.params["reason"] == "needs_two_parts"
    with pytest.raises(SplitRefused) as short:  # no warehouse holds 3 of A
        by_available_stock(made, {SKU_A: {W1: 2, W2: 2}, SKU_B: {W2: 2}, sku_c: {W1: 1}})
    assert short.value.params == {"reason": "line_without_warehouse", "line": str(a.id)}


def test_a_payment_recorded_on_a_part_stays_when_rejoined() -> None:
    made = paid_order(line(SKU_A, 1), line(SKU_B, 1))
    result = split(
        made, by_presale_or_lines(made), new_ids=_ids(2), at=later(5), actor=STAFF, reason="x"
    )
    extra = pay(result.parts[1], "5.00", "EXTRA")
    back = rejoin(made, result.parts, at=later(7), actor=STAFF, reason="undo")
    assert extra in back.payments and back.paid_amount == back.total + Decimal("5.00")
