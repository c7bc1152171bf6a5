"""Order lines: a SKU, a quantity, a unit price, explained discounts and tax.

A line's money: ``gross = unit_price × quantity``; ``net = gross − discounts + tax``. Every
discount is a line of its own with the source that granted it and a reason a person can
read ("promotion:双11-满300减30", "member_price", "manual"), so a price is always explained.
Lines keep the platform order id and sub-order id they came from, through merges and
splits, so a shipment can be reported back per platform sub-order.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property
from uuid import UUID

from domain.orders.values import clean_text, exact
from domain.shared.errors import ValidationFailed

MAX_QUANTITY = 100_000


@dataclass(frozen=True)
class Discount:
    amount: Decimal  # per line, not per unit
    source: str  # "promotion:<id>", "coupon:<code>", "member_price", "platform", "manual"
    reason: str

    def checked(self, currency: str, path: str) -> Discount:
        exact(self.amount, currency, f"{path}.amount")
        if not clean_text(self.source, f"{path}.source", 100):
            raise ValidationFailed.single(f"{path}.source", "required")
        if not clean_text(self.reason, f"{path}.reason", 200):
            raise ValidationFailed.single(f"{path}.reason", "required")
        return self


@dataclass(frozen=True)
class OrderLine:
    id: UUID
    sku_id: UUID
    quantity: int
    unit_price: Decimal
    discounts: tuple[Discount, ...] = ()
    tax: Decimal = Decimal("0.00")
    title: str | None = None  # the name the buyer saw, kept for the record
    platform_order_id: str | None = None
    platform_sub_order_id: str | None = None
    unit_weight_grams: int = 0
    presale: bool = False  # 预售: ships later than in-stock lines
    gift: bool = False
    warehouse_id: UUID | None = None
    gift_rule: str | None = None  # the rule (id@vN) that added a gift line

    @property
    def gross(self) -> Decimal:
        return self.unit_price * self.quantity

    @property
    def discount_total(self) -> Decimal:
        return sum((d.amount for d in self.discounts), Decimal("0.00"))

    @cached_property
    def net(self) -> Decimal:
        """Worked out once (a line never changes): an order's total adds its lines' nets
        several times a review (the rules' facts, the rollups, the row)."""
        return self.gross - self.discount_total + self.tax

    @property
    def weight_grams(self) -> int:
        return self.unit_weight_grams * self.quantity

    def checked(self, currency: str, path: str = "line") -> OrderLine:
        if isinstance(self.quantity, bool) or not 1 <= self.quantity <= MAX_QUANTITY:
            raise ValidationFailed.single(f"{path}.quantity", "invalid_quantity")
        exact(self.unit_price, currency, f"{path}.unit_price")
        exact(self.tax, currency, f"{path}.tax")
        for i, discount in enumerate(self.discounts):
            discount.checked(currency, f"{path}.discounts[{i}]")
        if self.discount_total > self.gross:
            raise ValidationFailed.single(f"{path}.discounts", "discount_above_price")
        if self.unit_weight_grams < 0:
            raise ValidationFailed.single(f"{path}.unit_weight_grams", "weight_negative")
        clean_text(self.title, f"{path}.title", 200)
        return self

    def with_quantity(self, quantity: int) -> OrderLine:
        return replace(self, quantity=quantity)
