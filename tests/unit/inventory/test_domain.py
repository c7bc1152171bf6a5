"""The inventory domain on worked examples (INV-1, INV-2, INV-6, CHN-1/CHN-2)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from domain.inventory import stock
from domain.inventory.alerts import AlertKind, Thresholds, Watched, judge
from domain.inventory.availability import (
    ChannelSupply,
    ShareKind,
    WarehouseAvailable,
    channel_availability,
)
from domain.inventory.opening_stock import parse_rows, read_header
from domain.inventory.reservation import AllocationStrategy, RequestedLine, merged_lines
from domain.inventory.stock import Deltas, Target
from domain.inventory.warehouse import Warehouse, WarehouseClosed, WarehouseKind
from domain.shared.errors import Conflict, ValidationFailed

NOW = datetime(2026, 12, 6, tzinfo=UTC)
SKU = uuid.uuid4()
W1, W2 = uuid.uuid4(), uuid.uuid4()


def supply(safety: int, kind: ShareKind, value: str) -> ChannelSupply:
    return ChannelSupply(
        uuid.uuid4(), (W1, W2), AllocationStrategy.PRIORITY, safety, kind, Decimal(value), 1
    )


def test_available_is_on_hand_less_the_locks() -> None:
    figures = Deltas(on_hand=10) + stock.reservation(3) + stock.pick_lock(1)
    assert (figures.on_hand, figures.reserved, figures.pick_locked) == (10, 2, 1)
    assert figures.available == 7
    assert stock.needs_available(stock.reservation(3)) == 3
    assert stock.needs_available(stock.pick_lock(3)) == 0  # a lock moves, nothing new
    assert stock.needs_available(stock.shipment(3, pick_locked=True)) == 0
    assert stock.needs_available(stock.state_change(2, Target.NON_SELLABLE)) == 2
    assert stock.needs_available(stock.receipt(5)) == 0


def test_non_sellable_goods_are_not_on_hand() -> None:
    figures = stock.receipt(10) + stock.state_change(4, Target.NON_SELLABLE)
    assert (figures.on_hand, figures.non_sellable, figures.available) == (6, 4, 6)
    back = figures + stock.state_change(1, Target.SELLABLE)
    assert (back.on_hand, back.non_sellable) == (7, 3)
    assert stock.receipt(2, Target.NON_SELLABLE) == Deltas(non_sellable=2)
    assert stock.InspectionResult.DAMAGED.target is Target.NON_SELLABLE


def test_quantities_must_be_positive() -> None:
    with pytest.raises(ValidationFailed):
        stock.receipt(0)
    with pytest.raises(ValidationFailed):
        stock.adjustment(0)


@pytest.mark.parametrize(
    ("safety", "kind", "value", "sellable", "after"),
    [
        (0, ShareKind.PERCENT, "100", 50, 50),  # 30 + 20, everything
        (10, ShareKind.PERCENT, "100", 40, 40),  # safety stock held back
        (10, ShareKind.PERCENT, "50", 20, 40),  # half of what remains
        (10, ShareKind.PERCENT, "33", 13, 40),  # 13.2 rounded down
        (0, ShareKind.CAP, "25", 25, 50),  # a fixed cap
        (0, ShareKind.CAP, "80", 50, 50),  # a cap above the stock
        (60, ShareKind.PERCENT, "100", 0, 0),  # safety stock above the stock: nothing
    ],
)
def test_channel_availability_worked_examples(
    safety: int, kind: ShareKind, value: str, sellable: int, after: int
) -> None:
    found = channel_availability(
        supply(safety, kind, value),
        SKU,
        [WarehouseAvailable(W1, 30), WarehouseAvailable(W2, 20)],
    )
    assert found.total_available == 50
    assert found.after_safety_stock == after
    assert found.sellable == sellable
    assert "30 + 20 = 50" in found.explanation()


def test_supply_settings_are_checked() -> None:
    with pytest.raises(ValidationFailed):
        supply(-1, ShareKind.PERCENT, "10")
    with pytest.raises(ValidationFailed):
        supply(0, ShareKind.PERCENT, "101")
    with pytest.raises(ValidationFailed):
        supply(0, ShareKind.CAP, "2.5")


def test_lines_merge_per_sku_and_warehouse_in_a_fixed_order() -> None:
    a, b = sorted([uuid.uuid4(), uuid.uuid4()], key=str)
    merged = merged_lines([RequestedLine(b, 1), RequestedLine(a, 2), RequestedLine(b, 3)])
    assert merged == [RequestedLine(a, 2), RequestedLine(b, 4)]
    with pytest.raises(ValidationFailed):
        merged_lines([])
    with pytest.raises(ValidationFailed):
        merged_lines([RequestedLine(a, 0)])


def test_a_closed_warehouse_takes_no_new_stock() -> None:
    warehouse = Warehouse.open(uuid.uuid4(), "SH-1", "上海仓", WarehouseKind.OWN, "上海", 1, NOW)
    warehouse.check_accepts_stock()
    warehouse.close(NOW)
    assert warehouse.version == 2
    with pytest.raises(WarehouseClosed):
        warehouse.check_accepts_stock()
    with pytest.raises(Conflict):
        warehouse.close(NOW)
    assert not warehouse.revise("上海仓", "上海", 1, NOW)  # nothing changed: no version
    assert warehouse.revise("上海一仓", "上海", 2, NOW) and warehouse.version == 3


# ---- thresholds and alerts (INV-3) ----------------------------------------------------
def test_a_breach_raises_once_and_recovery_resolves() -> None:
    sku, warehouse = uuid.uuid4(), uuid.uuid4()

    def watched(on_hand: int, available: int, *open_kinds: AlertKind) -> Watched:
        return Watched(sku, warehouse, on_hand, available, Thresholds(5, 50), frozenset(open_kinds))

    assert judge(watched(10, 5)) == ([], [])  # 5 is not below 5
    crossings, _ = judge(watched(10, 4))
    assert [(c.kind, c.threshold, c.quantity) for c in crossings] == [(AlertKind.LOW, 5, 4)]
    assert judge(watched(10, 3, AlertKind.LOW)) == ([], [])  # still below: already open
    _, recoveries = judge(watched(10, 5, AlertKind.LOW))
    assert [r.kind for r in recoveries] == [AlertKind.LOW]
    crossings, _ = judge(watched(51, 51))
    assert [(c.kind, c.quantity) for c in crossings] == [(AlertKind.HIGH, 51)]
    # A threshold removed while its alert is open resolves it.
    gone = Watched(sku, warehouse, 0, 0, Thresholds(), frozenset({AlertKind.LOW}))
    assert [r.kind for r in judge(gone)[1]] == [AlertKind.LOW]


def test_thresholds_are_checked() -> None:
    with pytest.raises(ValidationFailed) as reversed_:
        Thresholds(10, 10)
    assert reversed_.value.errors[0].code == "threshold_high_not_above_low"
    with pytest.raises(ValidationFailed) as negative:
        Thresholds(-1, None)
    assert negative.value.errors[0].code == "must_not_be_negative"


def test_opening_stock_rows_are_checked_for_form() -> None:
    columns, errors = read_header(["sku_code", "仓库\nwarehouse_code", "quantity", "colour"])
    assert [(e.column, e.code) for e in errors] == [("colour", "unknown_column")]
    columns, errors = read_header(["sku_code", "warehouse_code", "quantity", "unit_cost"])
    assert errors == []
    rows, errors = parse_rows(
        columns,
        [
            ["A-1", "BJ", "10", "1.123456"],
            ["a-1", "BJ", "2", ""],  # the same SKU code (keys compare upper case)
            ["B-1", "BJ", "0", ""],
            ["C-1", "BJ", "3", "1.1234567"],
            ["'D-1", "BJ", "3", ""],  # a leading ' is the spreadsheet's text mark
            ["", "", "", ""],
        ],
    )
    assert [(e.row, e.column, e.code) for e in errors] == [
        (4, "quantity", "invalid_stock_quantity"),
        (5, "unit_cost", "invalid_unit_cost"),
        (2, "sku_code", "duplicate"),
        (3, "sku_code", "duplicate"),
    ]
    assert [(r.row, r.sku_code, r.quantity) for r in rows] == [(6, "D-1", 3)]


def test_opening_stock_batch_and_serial_columns_are_checked_for_form() -> None:
    """INV-8: dates as YYYY-MM-DD and only with a batch number, expiry not before
    production, serials one per unit and none twice (within a row and across the rows of
    a SKU), a batch number with one set of dates across the file."""
    columns, errors = read_header(
        [
            "sku_code",
            "warehouse_code",
            "quantity",
            "batch_no",
            "production_date",
            "expiry_date",
            "serials",
        ]
    )
    assert errors == []
    rows, errors = parse_rows(
        columns,
        [
            ["A-1", "BJ", "2", "L1", "2026-01-01", "2027-01-01", "S1; S2"],  # 2: fine
            ["B-1", "BJ", "1", "", "2026-01-01", "", ""],  # 3: a date without its batch
            ["B-1", "BJ", "1", "L2", "2026-02-30", "", ""],  # 4
            ["B-1", "BJ", "1", "L3", "2027-01-01", "2026-01-01", ""],  # 5
            ["C-1", "BJ", "2", "", "", "", "X1"],  # 6
            ["C-1", "SH", "2", "", "", "", "X2,X2"],  # 7
            ["D-1", "BJ", "1", "", "", "", "Y1"],  # 8: Y1 twice for D-1
            ["D-1", "SH", "1", "", "", "", "Y1"],  # 9
            ["E-1", "BJ", "1", "L4", "", "2027-01-01", ""],  # 10: L4 with two expiries
            ["E-1", "SH", "1", "L4", "", "2027-02-01", ""],  # 11
        ],
    )
    assert [(e.row, e.column, e.code) for e in errors] == [
        (3, "batch_no", "required"),
        (4, "production_date", "invalid_date"),
        (5, "expiry_date", "expiry_before_production"),
        (6, "serials", "serial_count_mismatch"),
        (7, "serials", "serials_duplicated"),
        (8, "serials", "serials_duplicated"),
        (9, "serials", "serials_duplicated"),
        (10, "batch_no", "batch_dates_differ"),
        (11, "batch_no", "batch_dates_differ"),
    ]
    [fine] = rows
    assert fine.batch is not None and fine.batch.number == "L1"
    assert fine.serials == ("S1", "S2")
