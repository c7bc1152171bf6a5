"""Sums of money in logistics (LOG-3, ORD-11): a price table's prices, a statement's
billed amounts and the cash a carrier remits for cash-on-delivery parcels. Each is 0 to
``MAX_PRICE`` yuan exact to the fen — refused otherwise (``invalid_price``, naming the
field or the file's column), never rounded — and kept quantised to the fen."""

from __future__ import annotations

from decimal import Decimal

from domain.shared.errors import ValidationFailed

MAX_PRICE = Decimal("100000")
FEN = Decimal("0.01")
INVALID = "invalid_price"  # its message names MAX_PRICE as ``max``


def to_the_fen(value: Decimal | None) -> Decimal | None:
    """``value`` quantised to the fen when it is 0 to ``MAX_PRICE`` and has nothing finer
    than a fen; None otherwise."""
    if value is None or not value.is_finite() or not 0 <= value <= MAX_PRICE:
        return None
    return value.quantize(FEN) if value == value.quantize(FEN) else None


def checked_amount(value: Decimal, field: str) -> Decimal:
    """``value`` to the fen, or 422 ``invalid_price`` on ``field``."""
    amount = to_the_fen(value)
    if amount is None:
        raise ValidationFailed.single(field, INVALID, max=str(MAX_PRICE))
    return amount
