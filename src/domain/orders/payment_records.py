"""Payments and refunds (ORD-3).

An order may be paid in parts and by several methods; it is paid when what was received,
less what was refunded, covers the total. A refund names the payment it returns and may
only return money for goods not yet shipped (the rest is after-sales, ORD-6). Cash on
delivery is a flag of the order, not a payment: the money is recorded when the carrier
settles (ORD-11).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID


class PaymentMethod(StrEnum):
    PLATFORM = "platform"  # collected by the marketplace (Tmall, JD, …)
    ALIPAY = "alipay"
    WECHAT_PAY = "wechat_pay"
    CARD = "card"
    BANK_TRANSFER = "bank_transfer"
    CASH = "cash"
    CASH_ON_DELIVERY = "cash_on_delivery"  # the carrier's settlement of a COD order
    OTHER = "other"


@dataclass(frozen=True)
class Payment:
    id: UUID
    method: PaymentMethod
    amount: Decimal
    paid_at: datetime
    transaction_id: str | None = None  # the platform's or the payment provider's id


@dataclass(frozen=True)
class Refund:
    id: UUID
    payment_id: UUID
    amount: Decimal
    reason: str
    refunded_at: datetime
    transaction_id: str | None = None
