"""Carrier settlement (ORD-11) on hand-made data: a statement holding each kind of
difference — an unknown waybill, a weight billed above the weighed one past the
tolerance, a price not the table's, a line billed twice, a waybill of the month missing —
finds each of them and nothing else; a COD remittance finds an unknown waybill, a short
amount, one paid before, and a delivered COD waybill not remitted; the statement file's
columns in Chinese or English, its unreadable rows apart."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

from domain.logistics.rates import PriceTable, Rate
from domain.logistics.settlement import (
    BillLine,
    Difference,
    Remitted,
    reconcile_remittance,
    reconcile_statement,
)
from domain.logistics.statement_file import bill_lines
from domain.logistics.waybill import Waybill

D = Decimal
BOOKED = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
TABLE = PriceTable(uuid4(), (Rate(("浙江",), 1000, D("8.00"), D("2.50"), 30_000),))


def _waybill(number: str, grams: int, cod: str | None = None) -> Waybill:
    return Waybill(
        uuid4(),
        uuid4(),
        f"SO-{number}",
        "SF",
        number,
        "浙江",
        grams,
        D(cod) if cod else None,
        None,
        BOOKED,
    )


def test_ord11_each_kind_of_statement_difference_and_nothing_else() -> None:
    fine, heavy, dear, gone, void = (
        _waybill("SF1", 1200),
        _waybill("SF2", 1000),
        _waybill("SF3", 900),
        _waybill("SF4", 500),
        _waybill("SF5", 700),
    )
    void.cancel()
    lines = [
        BillLine(2, "SF1", 1240, D("10.50")),  # 3.3 % over: within 5 %; 2 kg started
        BillLine(3, "SF2", 2000, D("10.50")),  # billed 2 kg for 1 kg weighed
        BillLine(4, "SF3", 900, D("9.00")),  # the table says 8.00
        BillLine(5, "XX9", 500, D("8.00")),  # never booked
        BillLine(6, "SF1", 1240, D("10.50")),  # billed twice
    ]
    known = {w.tracking_no: w for w in (fine, heavy, dear)}
    month = [fine, heavy, dear, gone, void]
    found = reconcile_statement(lines, known, month, TABLE, D("5"))
    assert found == [
        Difference("overweight", "SF2", 3, "2000", "1000"),
        Difference("price_mismatch", "SF3", 4, "9.00", "8.00"),
        Difference("unknown_waybill", "XX9", 5),
        Difference("duplicate_line", "SF1", 6),
        Difference("missing_from_bill", "SF4", expected="500"),
    ]
    clean = [BillLine(2, "SF1", 1200, D("10.50"))]
    assert reconcile_statement(clean, {"SF1": fine}, [fine], TABLE, D("5")) == []


def test_ord11_a_cod_remittance_on_hand_made_lines() -> None:
    paid, short, before, plain, waiting = (
        _waybill("SF1", 500, "120.00"),
        _waybill("SF2", 500, "88.50"),
        _waybill("SF3", 500, "30.00"),
        _waybill("SF4", 500),
        _waybill("SF5", 500, "45.00"),
    )
    in_transit = _waybill("SF6", 500, "20.00")  # not signed for: nothing collected yet
    for signed in (paid, short, before, waiting):
        signed.delivered_at = datetime(2026, 11, 20, tzinfo=UTC)
    before.remitted(uuid4(), D("30.00"))
    lines = [
        Remitted("SF1", D("120.00")),
        Remitted("SF2", D("80.00")),
        Remitted("SF3", D("30.00")),
        Remitted("SF4", D("10.00")),  # not cash on delivery
        Remitted("ZZ1", D("5.00")),
        Remitted("SF6", D("20.00")),
    ]
    known = {w.tracking_no: w for w in (paid, short, before, plain, in_transit)}
    found = reconcile_remittance(lines, known, [paid, short, waiting])
    assert found == [
        Difference("amount_mismatch", "SF2", 2, "80.00", "88.50"),
        Difference("already_remitted", "SF3", 3, "30.00"),
        Difference("unknown_waybill", "SF4", 4, "10.00"),
        Difference("unknown_waybill", "ZZ1", 5, "5.00"),
        Difference("not_delivered", "SF6", 6, "20.00"),
        Difference("missing_from_remittance", "SF5", expected="45.00"),
    ]


def test_ord11_the_statement_file_s_columns_and_unreadable_rows() -> None:
    rows = [
        ["序号", "运单号", "计费重量", "运费"],
        ["1", "SF1", "1.24", "10.50"],
        ["2", "", "1", "8"],
        ["3", "SF3", "abc", "8"],
        ["4", "SF4", "0.5", "8.001"],
        ["", "", "", ""],
        ["5", "SF5", "2"],
    ]
    lines, errors = bill_lines(rows)
    assert lines == [BillLine(2, "SF1", 1240, D("10.50"))]
    assert [(e.row, e.column, e.code) for e in errors] == [
        (3, "tracking_no", "invalid_length"),
        (4, "weight_kg", "weight_out_of_range"),
        (5, "amount", "invalid_price"),
        (7, "amount", "invalid_price"),
    ]
    english, _ = bill_lines([["tracking_no", "weight_kg", "amount"], ["SF9", "3", "13.00"]])
    assert english == [BillLine(2, "SF9", 3000, D("13.00"))]
    _, missing = bill_lines([["运单号", "运费"], ["SF1", "8"]])
    assert [(e.code, e.params) for e in missing] == [
        ("statement_column_missing", {"column": "weight_kg"})
    ]
