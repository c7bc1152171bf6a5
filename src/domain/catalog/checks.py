"""Field checks the catalog's aggregates share. Every error of a form is collected, so a
form (or an import row) shows all its mistakes at once, each at its field path."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from domain.shared.errors import FieldError, ValidationFailed
from domain.shared.money import MINOR_UNITS, Money
from domain.shared.text import has_control_characters

# Prices and costs: at most ten thousand million in the currency's major unit, a bound no
# real price reaches and which keeps amounts well inside NUMERIC(14, 2)-sized columns.
MAX_AMOUNT = Decimal(10) ** 10

TRUE_TEXTS = frozenset({"true", "1", "yes", "y", "是"})
FALSE_TEXTS = frozenset({"false", "0", "no", "n", "否"})

PLAIN_DECIMAL = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")


def name_key(value: str) -> str:
    """How names compare for uniqueness: NFKC, case-folded, whitespace runs collapsed."""
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


def parse_boolean(value: object) -> bool | None:
    """A bool, or its spelling in a file or form (true/false, 1/0, yes/no, 是/否); else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = name_key(value)
        if text in TRUE_TEXTS:
            return True
        if text in FALSE_TEXTS:
            return False
    return None


def to_decimal(value: object) -> Decimal | None:
    """A finite Decimal from a Decimal, an int or plain decimal text ("12.5"); else None.

    Text with exponents, thousands separators or words is refused rather than guessed at.
    Floats are refused: they would bring binary rounding into prices.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal | int):
        number = Decimal(value)
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if not PLAIN_DECIMAL.match(text):
            return None
        number = Decimal(text)
    else:
        return None
    return number if number.is_finite() else None


def decimal_places(value: Decimal) -> int:
    """Places after the point that carry a digit: 1.50 has one, 100 has none."""
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def canonical_decimal(value: Decimal) -> str:
    """One spelling per number, without exponent or trailing zeros: 1.50 → "1.5", 1E+2 → "100"."""
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


class FieldChecks:
    """Collects every field error of one form; ``raise_if_failed`` reports them together."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, error: FieldError) -> None:
        self.errors.append(error)

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    def raise_if_failed(self) -> None:
        if self.errors:
            raise ValidationFailed(list(self.errors))

    def text(
        self,
        path: str,
        value: str | None,
        max_length: int,
        *,
        required: bool,
        multiline: bool = False,
    ) -> str | None:
        """Single-line text has its whitespace runs collapsed; multi-line text keeps its line
        breaks (as "\\n") and tabs and loses only surrounding whitespace."""
        if value is None:
            cleaned = ""
        elif multiline:
            cleaned = value.replace("\r\n", "\n").replace("\r", "\n").strip()
        else:
            cleaned = " ".join(value.split())
        if not cleaned:
            if required:
                self.add(FieldError(path, "required"))
            return None
        if len(cleaned) > max_length:
            self.add(FieldError(path, "too_long", {"max": max_length}))
        elif has_control_characters(cleaned, allowed="\n\t" if multiline else ""):
            self.add(FieldError(path, "invalid_characters"))
        return cleaned

    def amount(self, path: str, value: Decimal | None, currency: str) -> Money | None:
        """A price or cost in the tenant's currency: ≥ 0, no more places than the currency's
        minor unit (never rounded silently), below ``MAX_AMOUNT``."""
        if value is None:
            return None
        if not value.is_finite():
            self.add(FieldError(path, "invalid_amount"))
            return None
        places = MINOR_UNITS.get(currency)
        if places is None:
            self.add(FieldError(path, "unknown_currency", {"currency": currency}))
            return None
        if value < 0:
            self.add(FieldError(path, "must_not_be_negative"))
            return None
        if value >= MAX_AMOUNT:
            self.add(FieldError(path, "too_large", {"max": str(MAX_AMOUNT)}))
            return None
        if decimal_places(value) > places:
            self.add(FieldError(path, "too_many_decimal_places", {"max": places}))
            return None
        return Money.of(value, currency)
