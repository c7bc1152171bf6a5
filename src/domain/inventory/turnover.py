"""Turnover arithmetic (INV-10; docs/inventory.md, "The daily position and the
analysis"): from the units issued in a period and the stock at its start and end, the
average stock, the turnover rate and the days of stock, to two places."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

PLACES = Decimal("0.01")


@dataclass(frozen=True)
class TurnoverRates:
    average: Decimal  # (opening + closing) / 2
    turnover: Decimal | None  # issued / average (None when the average is 0)
    days_of_stock: Decimal | None  # closing / (issued per day) (None when nothing issued)


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if denominator == 0:
        return None
    return (numerator / denominator).quantize(PLACES)


def turnover_rates(issued: int, opening: int, closing: int, days: Decimal) -> TurnoverRates:
    """The rates of a period of ``days`` days (whole or not) in which ``issued`` units
    went out, with ``opening`` units at its start and ``closing`` at its end."""
    average = (Decimal(opening) + Decimal(closing)) / 2
    daily = Decimal(issued) / days if days else Decimal(0)
    return TurnoverRates(
        average.quantize(PLACES),
        _ratio(Decimal(issued), average),
        _ratio(Decimal(closing), daily) if issued else None,
    )
