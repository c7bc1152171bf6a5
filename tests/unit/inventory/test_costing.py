"""INV-7 costing on the pure domain: landed-cost allocation, FIFO and moving average on
hand-worked examples (an issue spanning several layers, landed costs), and the replay
a back-dated receipt runs. Every figure below was worked out by hand (in the comments)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as D

import pytest

from domain.inventory.costing import (
    AllocationBasis,
    Charge,
    ChargeKind,
    CostingMethod,
    CostPool,
    ReceiptLine,
    ValuedMovement,
    allocate,
    fifo_layers_after,
    money,
    replay,
    split,
    valued_quantity,
)
from domain.inventory.stock import Deltas
from domain.shared.errors import ValidationFailed


def day(month: int, d: int = 1) -> datetime:
    return datetime(2026, month, d, tzinfo=UTC)


def test_inv7_split_by_largest_remainder_adds_up_to_the_whole() -> None:
    # 10.00 over 3 : 7 : 1 → 272.7 / 636.4 / 90.9 fen: floors 272 + 636 + 90 = 998,
    # the 2 fen left go to the largest remainders (.909 of the third, .727 of the first).
    assert split(D("10.00"), [D(3), D(7), D(1)]) == [D("2.73"), D("6.36"), D("0.91")]
    # equal weights: the odd fen goes to the earliest line
    assert split(D("1.00"), [D(1), D(1), D(1)]) == [D("0.34"), D("0.33"), D("0.33")]
    assert sum(split(D("0.05"), [D(1)] * 7)) == D("0.05")


def test_inv7_landed_costs_by_quantity_value_and_weight() -> None:
    lines = [
        ReceiptLine(3, D("10.00"), D("1.5")),  # goods 30.00
        ReceiptLine(7, D("5.00"), D("1.5")),  # goods 35.00
        ReceiptLine(1, D("100.00"), D("1.5")),  # goods 100.00
    ]
    charges = [
        Charge(ChargeKind.FREIGHT, D("10.00"), AllocationBasis.QUANTITY),  # 2.73 6.36 0.91
        Charge(ChargeKind.DUTY, D("16.50"), AllocationBasis.VALUE),  # 3.00 3.50 10.00
        Charge(ChargeKind.OTHER, D("1.00"), AllocationBasis.WEIGHT),  # 0.34 0.33 0.33
    ]
    costed = allocate(lines, charges)
    assert [c.goods for c in costed] == [D("30.00"), D("35.00"), D("100.00")]
    assert [c.landed for c in costed] == [D("6.07"), D("10.19"), D("11.24")]
    assert [c.total for c in costed] == [D("36.07"), D("45.19"), D("111.24")]
    # unit costs keep six places: 36.07 / 3, 45.19 / 7
    assert [c.unit_cost for c in costed] == [D("12.023333"), D("6.455714"), D("111.240000")]
    assert sum(c.total for c in costed) == D("192.50")  # 165 goods + 27.50 charges


def test_inv7_weight_basis_needs_every_weight() -> None:
    with pytest.raises(ValidationFailed):
        allocate(
            [ReceiptLine(1, D("1"), None), ReceiptLine(1, D("1"), D("2"))],
            [Charge(ChargeKind.FREIGHT, D("3"), AllocationBasis.WEIGHT)],
        )


def _receipts(pool: CostPool) -> None:
    pool.bring_in(1, day(1), 10, D("100.00"))  # R1: 10 @ 10.00
    pool.bring_in(2, day(2), 5, unit_cost=D("12.00"))  # R2: 5 @ 12.00 = 60.00
    pool.bring_in(3, day(3), 3, D("36.07"))  # R3: the landed line above, 3 @ 12.023333


def test_inv7_fifo_issue_spans_several_layers() -> None:
    pool = CostPool(CostingMethod.FIFO)
    _receipts(pool)
    # 12 out: all of R1 (100.00) and 2 of R2's 5 (money(60 × 2/5) = 24.00)
    assert pool.take_out(12) == D("124.00")
    # 4 out: R2's last 3 (60.00 − 24.00 = 36.00) and 1 of R3 (money(36.07 / 3) = 12.02)
    assert pool.take_out(4) == D("48.02")
    assert [(layer.key, layer.remaining) for layer in pool.layers] == [(3, 2)]
    assert (pool.quantity, pool.value) == (2, D("24.05"))  # 36.07 − 12.02
    assert pool.take_out(2) == D("24.05")  # the last units take the rest: no fen left over
    assert (pool.quantity, pool.value, list(pool.layers)) == (0, D("0.00"), [])


def test_inv7_moving_average_runs_the_average() -> None:
    pool = CostPool(CostingMethod.MOVING_AVERAGE)
    _receipts(pool)
    assert (pool.quantity, pool.value) == (18, D("196.07"))
    assert pool.unit_cost == D("10.892778")  # 196.07 / 18
    assert pool.take_out(12) == D("130.71")  # money(196.07 × 12 / 18) = 130.7133…
    assert pool.take_out(4) == D("43.57")  # money(65.36 × 4 / 6) = 43.5733…
    assert pool.unit_cost == D("10.895000")  # 21.79 / 2
    assert pool.take_out(2) == D("21.79")
    assert pool.value == D("0.00")
    assert pool.unit_cost == D("10.895000")  # the last known cost, for units in without one


def test_inv7_units_in_without_a_cost_come_in_at_the_current_cost() -> None:
    pool = CostPool(CostingMethod.MOVING_AVERAGE)
    pool.bring_in(1, day(1), 4, D("10.00"))  # 2.50 each
    assert pool.bring_in(2, day(2), 2) == D("5.00")  # a return: 2 × 2.50


def test_inv7_fifo_takes_are_path_independent() -> None:
    """Taking 1 + 1 + 1 of a layer of 3 worth 10.00 costs what taking 3 costs, and what
    is left depends only on how many were taken (what a re-valuation relies on)."""
    one_by_one = CostPool(CostingMethod.FIFO)
    one_by_one.bring_in(1, day(1), 3, D("10.00"))
    parts = [one_by_one.take_out(1) for _ in range(2)]
    assert parts == [D("3.33"), D("3.34")]  # money(10/3) − 0, money(20/3) − money(10/3)
    rebuilt = fifo_layers_after([(1, day(1), 3, D("10.00"))], 2)
    assert rebuilt[0].remaining_value == one_by_one.value == D("3.33")


def test_inv7_state_changes_and_reservations_move_no_value() -> None:
    assert valued_quantity(Deltas(on_hand=-3, non_sellable=3)) == 0
    assert valued_quantity(Deltas(reserved=5)) == 0
    assert valued_quantity(Deltas(on_hand=-2, reserved=-2)) == -2  # a shipment
    assert valued_quantity(Deltas(non_sellable=4)) == 4  # received into quarantine


def _history() -> list[ValuedMovement]:
    """R1 Jan 1 10 @ 10; issue Feb 1 of 8; R2 Mar 1 10 @ 12; issue Apr 1 of 6 — as posted
    under FIFO before the back-dated receipt: 80.00, then 2 × 10 + 4 × 12 = 68.00."""
    return [
        ValuedMovement(2, day(2), -8, None, D("-80.00")),
        ValuedMovement(3, day(3), 10, D("120.00"), D("120.00")),
        ValuedMovement(4, day(4), -6, None, D("-68.00")),
    ]


def test_inv7_back_dated_receipt_fifo_replay() -> None:
    # R0: 5 @ 8.00 on Jan 15, entered in May: re-valued from Jan 15 only.
    start = CostPool(CostingMethod.FIFO)
    start.bring_in(1, day(1), 10, D("100.00"))
    r0 = ValuedMovement(5, day(1, 15), 5, D("40.00"), D("40.00"))
    corrections, closings = replay(start, [r0, *_history()], [day(2, 15), day(5)])
    # Feb: 8 of R1 still (80.00); Apr: R1's last 2 (20.00) + 4 of R0 (32.00) = 52.00
    assert [(c.key, c.was, c.now) for c in corrections] == [(4, D("-68.00"), D("-52.00"))]
    assert closings == {day(2, 15): (7, D("60.00")), day(5): (11, D("128.00"))}
    assert [(layer.key, layer.remaining) for layer in start.layers] == [(5, 1), (3, 10)]


def test_inv7_back_dated_receipt_moving_average_replay() -> None:
    start = CostPool(CostingMethod.MOVING_AVERAGE)
    start.bring_in(1, day(1), 10, D("100.00"))
    r0 = ValuedMovement(5, day(1, 15), 5, D("40.00"), D("40.00"))
    history = _history()
    history[2] = ValuedMovement(4, day(4), -6, None, D("-70.00"))  # as posted under MA
    corrections, closings = replay(start, [r0, *history], [day(5)])
    # 15 units 140.00: 8 out = money(140 × 8/15) = 74.67; 7 left 65.33; + R2 = 17, 185.33;
    # 6 out = money(185.33 × 6/17) = 65.41; 11 left 119.92
    assert [(c.key, c.now) for c in corrections] == [(2, D("-74.67")), (4, D("-65.41"))]
    assert closings == {day(5): (11, D("119.92"))}
    assert money(start.value) == D("119.92")
