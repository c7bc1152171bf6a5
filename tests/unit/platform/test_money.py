"""Money invariants (docs/architecture.md, Money)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.shared.errors import ValidationFailed
from domain.shared.money import MINOR_UNITS, Money
from tests.reliability.figures import figure

amounts = st.decimals(
    min_value=-(10**12), max_value=10**12, allow_nan=False, allow_infinity=False, places=6
)
currencies = st.sampled_from(sorted(MINOR_UNITS))


@given(amounts, currencies)
def test_money_rounding_is_half_up_to_the_minor_unit(amount: Decimal, currency: str) -> None:
    """Invariant: Money.of quantises half up to exactly the currency's minor unit."""
    money = Money.of(amount, currency)
    places = MINOR_UNITS[currency]
    figure("R10", "float money", int(not isinstance(money.amount, Decimal)), 0)
    assert -money.amount.as_tuple().exponent == places  # type: ignore[operator]
    assert abs(money.amount - amount) <= Decimal(1).scaleb(-places) / 2
    assert money.amount == amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@given(amounts, amounts, currencies)
def test_money_addition_is_exact_on_quantised_amounts(
    a: Decimal, b: Decimal, currency: str
) -> None:
    """Invariant: adding two quantised amounts never rounds."""
    x, y = Money.of(a, currency), Money.of(b, currency)
    figure("R10", "inexact money sums", int((x + y).amount != x.amount + y.amount), 0)
    assert (x + y).amount == x.amount + y.amount
    assert (x + y - y) == x


def test_half_up_not_bankers() -> None:
    assert Money.of("2.345", "CNY").amount == Decimal("2.35")
    assert Money.of("2.5", "JPY").amount == Decimal("3")


def test_mixing_currencies_is_refused() -> None:
    with pytest.raises(ValidationFailed) as error:
        Money.of(1, "CNY") + Money.of(1, "USD")
    assert error.value.errors[0].code == "currency_mismatch"


def test_unknown_currency_and_non_finite_amounts_are_refused() -> None:
    with pytest.raises(ValidationFailed):
        Money.of(1, "XXX")
    with pytest.raises(ValidationFailed):
        Money.of(Decimal("NaN"), "CNY")
