"""Conditions on the order itself: channel, amount, weight, quantity, SKUs, cash on
delivery, buyer message, seller memo and its flag."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.orders.rules.condition_base import (
    Condition,
    Test,
    drop_none,
    range_text,
    read_bounds,
    within,
)
from domain.orders.rules.facts import OrderFacts
from domain.orders.rules.reader import Reader
from domain.orders.values import FlagColour


@dataclass(frozen=True, kw_only=True)
class ChannelIn(Condition):
    kind = "channel_in"
    channels: tuple[UUID, ...]

    def fields(self) -> dict[str, Any]:
        return {"channels": [str(c) for c in self.channels]}

    def test(self) -> Test:
        wanted = frozenset(self.channels)
        return lambda f: f.order.channel_id in wanted

    def figures(self, facts: OrderFacts) -> tuple[dict[str, str], str]:
        channel = str(facts.order.channel_id)
        return {"channel": channel}, f"channel {channel} is one of {len(self.channels)} chosen"

    @classmethod
    def read(cls, r: Reader) -> ChannelIn:
        return cls(channels=r.uuids("channels"))


@dataclass(frozen=True, kw_only=True)
class AmountBetween(Condition):
    kind = "amount_between"
    min: Decimal | None = None
    max: Decimal | None = None

    def fields(self) -> dict[str, Any]:
        return drop_none(
            min=None if self.min is None else str(self.min),
            max=None if self.max is None else str(self.max),
        )

    def test(self) -> Test:
        low, high = self.min, self.max
        return lambda f: within(f.total, low, high)

    def figures(self, facts: OrderFacts) -> tuple[dict[str, str], str]:
        span = range_text(self.min, self.max)
        return {"total": str(facts.total), "range": span}, f"order total {facts.total} is in {span}"

    @classmethod
    def read(cls, r: Reader) -> AmountBetween:
        low, high = read_bounds(r, "min", "max", amounts=True)
        return cls(min=low, max=high)


@dataclass(frozen=True, kw_only=True)
class WeightBetween(Condition):
    kind = "weight_between"
    min_grams: int | None = None
    max_grams: int | None = None

    def fields(self) -> dict[str, Any]:
        return drop_none(min_grams=self.min_grams, max_grams=self.max_grams)

    def test(self) -> Test:
        low, high = self.min_grams, self.max_grams
        return lambda f: within(f.weight_grams, low, high)

    def figures(self, facts: OrderFacts) -> tuple[dict[str, str], str]:
        span = range_text(self.min_grams, self.max_grams)
        return {"grams": str(facts.weight_grams), "range": span}, (
            f"weight {facts.weight_grams} g is in {span} g"
        )

    @classmethod
    def read(cls, r: Reader) -> WeightBetween:
        low, high = read_bounds(r, "min_grams", "max_grams", amounts=False)
        return cls(min_grams=low, max_grams=high)


@dataclass(frozen=True, kw_only=True)
class QuantityBetween(Condition):
    kind = "quantity_between"
    min: int | None = None
    max: int | None = None

    def fields(self) -> dict[str, Any]:
        return drop_none(min=self.min, max=self.max)

    def test(self) -> Test:
        low, high = self.min, self.max
        return lambda f: within(f.quantity, low, high)

    def figures(self, facts: OrderFacts) -> tuple[dict[str, str], str]:
        span = range_text(self.min, self.max)
        return {"quantity": str(facts.quantity), "range": span}, (
            f"{facts.quantity} units is in {span}"
        )

    @classmethod
    def read(cls, r: Reader) -> QuantityBetween:
        low, high = read_bounds(r, "min", "max", amounts=False)
        return cls(min=low, max=high)


@dataclass(frozen=True, kw_only=True)
class HasSkus(Condition):
    kind = "has_skus"
    skus: tuple[UUID, ...]
    match: str = "any"  # any | all
    min_quantity: int = 1

    def fields(self) -> dict[str, Any]:
        return {
            "skus": [str(s) for s in self.skus],
            "match": self.match,
            "min_quantity": self.min_quantity,
        }

    def test(self) -> Test:
        skus, least = tuple(self.skus), self.min_quantity
        if self.match == "any" and least == 1:
            wanted = frozenset(skus)
            return lambda f: not wanted.isdisjoint(f.sku_quantities)
        if self.match == "all":
            return lambda f: all(f.sku_quantities.get(s, 0) >= least for s in skus)
        return lambda f: any(f.sku_quantities.get(s, 0) >= least for s in skus)

    def figures(self, facts: OrderFacts) -> tuple[dict[str, str], str]:
        found = [s for s in self.skus if facts.sku_quantities.get(s, 0) >= self.min_quantity]
        names = ",".join(str(s) for s in found)
        return {"skus": names, "min_quantity": str(self.min_quantity)}, (
            f"has {self.match} of the SKUs ({names}) at ≥ {self.min_quantity} units"
        )

    @classmethod
    def read(cls, r: Reader) -> HasSkus:
        return cls(
            skus=r.uuids("skus"),
            match=r.choice("match", ("any", "all"), default="any") or "any",
            min_quantity=r.integer("min_quantity", low=1, high=100_000, default=1) or 1,
        )


@dataclass(frozen=True, kw_only=True)
class CashOnDelivery(Condition):
    kind = "cash_on_delivery"

    def fields(self) -> dict[str, Any]:
        return {}

    def test(self) -> Test:
        return lambda f: f.order.cash_on_delivery

    def figures(self, facts: OrderFacts) -> tuple[dict[str, str], str]:
        return {}, "cash on delivery"

    @classmethod
    def read(cls, r: Reader) -> CashOnDelivery:
        return cls()


@dataclass(frozen=True, kw_only=True)
class BuyerMessagePresent(Condition):
    kind = "buyer_message_present"

    def fields(self) -> dict[str, Any]:
        return {}

    def test(self) -> Test:
        return lambda f: bool(f.order.buyer_message)

    def figures(self, facts: OrderFacts) -> tuple[dict[str, str], str]:
        return {}, "the buyer left a message"

    @classmethod
    def read(cls, r: Reader) -> BuyerMessagePresent:
        return cls()


@dataclass(frozen=True, kw_only=True)
class SellerMemoPresent(Condition):
    kind = "seller_memo_present"
    flags: tuple[FlagColour, ...] = ()  # given: the memo's flag is one of these

    def fields(self) -> dict[str, Any]:
        return {"flags": [f.value for f in self.flags]} if self.flags else {}

    def test(self) -> Test:
        flags = frozenset(self.flags)
        if flags:
            return lambda f: f.order.seller_memo.flag in flags
        return lambda f: bool(f.order.seller_memo.text)

    def figures(self, facts: OrderFacts) -> tuple[dict[str, str], str]:
        flag = facts.order.seller_memo.flag.value
        return {"flag": flag}, f"the seller memo is there (flag {flag})"

    @classmethod
    def read(cls, r: Reader) -> SellerMemoPresent:
        flags: list[FlagColour] = []
        if "flags" in r.data:
            for value in r.texts("flags"):
                if value in FlagColour.__members__.values():
                    flags.append(FlagColour(value))
                else:
                    r.fail("flags", "unknown_choice", allowed=[c.value for c in FlagColour])
        r.seen.add("flags")
        return cls(flags=tuple(flags))
