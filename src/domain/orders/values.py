"""Value objects of an order: amounts exact to the minor unit, the order number, the
receiver and address, the seller memo with its flag, the invoice request.

Rounding rule (docs/orders.md): every amount an order holds — unit price, discount, tax,
shipping, payment, refund — is given in the currency's minor unit (a fen for CNY) and is
refused otherwise (``amount_not_in_minor_unit``), never rounded silently. Totals are sums
and products by whole quantities of such amounts, so they are exact and need no rounding.
The only division is when a split shares an amount between parts: largest remainder to
the minor unit (``allocation.py``), so the parts always add up to the whole.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from domain.shared.errors import ValidationFailed
from domain.shared.money import quantum
from domain.shared.text import has_control_characters

ZERO = Decimal("0.00")

# A per-tenant human order number the adapter allocates (e.g. SO2611110000123); a split part
# carries its parent's number with a suffix (SO2611110000123-2).
_ORDER_NUMBER = re.compile(r"^[A-Z]{1,4}[0-9]{6,20}(-[0-9]{1,2})?$")
MAX_TEXT = 500
MAX_PARTS = 99  # parts of one order's splits, all told: ``<number>-1`` .. ``-99``
MAX_NAME = 100


def exact(amount: Decimal, currency: str, field: str, *, allow_negative: bool = False) -> Decimal:
    """``amount`` when it is finite and already in ``currency``'s minor unit; refused otherwise."""
    step = quantum(currency)
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise ValidationFailed.single(field, "invalid_amount")
    if amount != amount.quantize(step):
        raise ValidationFailed.single(field, "amount_not_in_minor_unit", currency=currency)
    if amount < 0 and not allow_negative:
        raise ValidationFailed.single(field, "amount_negative")
    return amount.quantize(step)


def clean_text(value: str | None, field: str, max_length: int = MAX_TEXT) -> str | None:
    """Trimmed text without control characters (line breaks allowed); None when blank."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if len(text) > max_length:
        raise ValidationFailed.single(field, "too_long", max=max_length)
    if has_control_characters(text, allowed="\n\t"):
        raise ValidationFailed.single(field, "invalid_characters")
    return text


@dataclass(frozen=True)
class OrderNumber:
    value: str

    def __post_init__(self) -> None:
        if not _ORDER_NUMBER.match(self.value):
            raise ValidationFailed.single("number", "invalid_order_number", value=self.value)

    def part(self, index: int) -> OrderNumber:
        """The number of the ``index``-th part (1-based) of this order's splits: parts of a
        part are numbered on from the same base (``SO1-1`` split again: ``SO1-3``, ``-4``)."""
        base = self.value.split("-", 1)[0]
        return OrderNumber(f"{base}-{index}")

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class ShippingAddress:
    """Fields only: encrypting and blind-indexing them is the adapter's job."""

    province: str
    city: str
    district: str
    line: str
    postal_code: str | None = None

    @property
    def is_complete(self) -> bool:
        return all(part.strip() for part in (self.province, self.city, self.district, self.line))

    def text(self) -> str:
        return "".join((self.province, self.city, self.district, self.line))


def _match_key(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value).casefold().split())


@dataclass(frozen=True)
class Receiver:
    name: str
    phone: str
    address: ShippingAddress

    def __post_init__(self) -> None:
        clean_text(self.name, "receiver.name", MAX_NAME)
        clean_text(self.phone, "receiver.phone", 32)
        for part in ("province", "city", "district", "line"):
            clean_text(getattr(self.address, part), f"receiver.address.{part}", 200)

    def match_key(self) -> tuple[str, str, str]:
        """What "the same receiver" means for merging: name, phone and address compared
        NFKC-normalised, case-folded and without whitespace (the adapter will compare the
        blind indexes of the same normalised values)."""
        return (_match_key(self.name), _match_key(self.phone), _match_key(self.address.text()))

    @property
    def is_complete(self) -> bool:
        return bool(self.name.strip() and self.phone.strip()) and self.address.is_complete


class FlagColour(StrEnum):
    """The seller memo's flag (旗帜), as the marketplaces colour it."""

    NONE = "none"
    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"
    BLUE = "blue"
    PURPLE = "purple"


@dataclass(frozen=True)
class SellerMemo:
    text: str | None = None
    flag: FlagColour = FlagColour.NONE

    def __post_init__(self) -> None:
        clean_text(self.text, "seller_memo.text")


class InvoiceKind(StrEnum):
    PERSONAL = "personal"
    COMPANY = "company"
    VAT_SPECIAL = "vat_special"  # 增值税专用发票


@dataclass(frozen=True)
class InvoiceRequest:
    kind: InvoiceKind
    title: str
    tax_number: str | None = None

    def __post_init__(self) -> None:
        if not clean_text(self.title, "invoice.title", MAX_NAME):
            raise ValidationFailed.single("invoice.title", "required")
        if self.kind is not InvoiceKind.PERSONAL and not (self.tax_number or "").strip():
            raise ValidationFailed.single("invoice.tax_number", "required")
