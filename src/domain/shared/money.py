"""Money: a Decimal amount with its currency, quantised to the currency's minor unit."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from domain.shared.errors import ValidationFailed

# ISO 4217 minor units of the currencies tenants may choose.
MINOR_UNITS: dict[str, int] = {
    "CNY": 2,
    "HKD": 2,
    "TWD": 2,
    "USD": 2,
    "EUR": 2,
    "GBP": 2,
    "SGD": 2,
    "JPY": 0,
    "KRW": 0,
}


def quantum(currency: str) -> Decimal:
    try:
        places = MINOR_UNITS[currency]
    except KeyError:
        raise ValidationFailed.single("currency", "unknown_currency", currency=currency) from None
    return Decimal(1).scaleb(-places)


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    @classmethod
    def of(cls, amount: Decimal | int | str, currency: str) -> Money:
        """Totals are rounded half up to the currency's minor unit."""
        value = Decimal(amount)
        if not value.is_finite():
            raise ValidationFailed.single("amount", "invalid_amount")
        return cls(value.quantize(quantum(currency), rounding=ROUND_HALF_UP), currency)

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money.of(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money.of(self.amount - other.amount, self.currency)

    def times(self, factor: Decimal | int) -> Money:
        return Money.of(self.amount * Decimal(factor), self.currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValidationFailed.single(
                "currency", "currency_mismatch", left=self.currency, right=other.currency
            )
