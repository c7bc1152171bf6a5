"""Turnover arithmetic (INV-10) on worked examples, to two places."""

from __future__ import annotations

from decimal import Decimal as D

from domain.inventory.turnover import TurnoverRates, turnover_rates


def test_inv10_turnover_and_days_of_stock() -> None:
    # 30 issued over 10 days, 100 at the start, 70 at the end: average 85, turnover
    # 30 / 85 = 0.35, 3 a day so 70 last 23.33 days
    assert turnover_rates(30, 100, 70, D(10)) == TurnoverRates(D("85.00"), D("0.35"), D("23.33"))


def test_inv10_nothing_issued_has_no_days_of_stock() -> None:
    assert turnover_rates(0, 50, 50, D(10)) == TurnoverRates(D("50.00"), D("0.00"), None)


def test_inv10_no_stock_has_no_turnover() -> None:
    assert turnover_rates(0, 0, 0, D(30)) == TurnoverRates(D("0.00"), None, None)
    # everything received and issued within the period: average 0, yet days of stock 0
    assert turnover_rates(5, 0, 0, D(7)) == TurnoverRates(D("0.00"), None, D("0.00"))


def test_inv10_an_odd_average_and_a_part_day() -> None:
    # (3 + 4) / 2 = 3.5; 7 / 3.5 = 2; 7 issued in 1.5 days: 4 / (7 / 1.5) = 0.857… → 0.86
    assert turnover_rates(7, 3, 4, D("1.5")) == TurnoverRates(D("3.50"), D("2.00"), D("0.86"))
