"""Conditions on what the order's lines are sold for, beside what the SKUs cost and list at
(ORD-5: price below cost, price far below list). A line's price here is its unit price
after its discounts, before tax; gift lines are free by design and never count. A SKU
whose cost or list price is unknown (never received, no list price) never matches."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.orders.lines import OrderLine
from domain.orders.rules.condition_base import Condition, Test
from domain.orders.rules.facts import OrderFacts
from domain.orders.rules.reader import Reader

CENT = Decimal("0.01")


def unit_net(line: OrderLine) -> Decimal:
    """The line's unit price after its discounts, before tax, to the fen."""
    return ((line.gross - line.discount_total) / line.quantity).quantize(CENT)


def _below(
    facts: OrderFacts, references: Mapping[UUID, Decimal], share: Decimal
) -> Iterator[tuple[OrderLine, Decimal, Decimal]]:
    """Each paid line sold under ``share`` of its SKU's reference: the line, its unit
    price and the reference."""
    for line in facts.order.lines:
        reference = references.get(line.sku_id)
        if line.gift or reference is None:
            continue
        price = unit_net(line)
        if price < reference * share:
            yield line, price, reference


@dataclass(frozen=True, kw_only=True)
class PriceBelowCost(Condition):
    kind = "price_below_cost"

    def fields(self) -> dict[str, Any]:
        return {}

    def test(self) -> Test:
        return lambda f: any(_below(f, f.context.unit_costs, Decimal(1)))

    def figures(self, facts: OrderFacts) -> tuple[dict[str, str], str]:
        found = next(_below(facts, facts.context.unit_costs, Decimal(1)), None)
        if found is None:
            return {}, "no line is sold below its cost"
        line, price, cost = found
        return {"sku": str(line.sku_id), "price": str(price), "cost": str(cost.quantize(CENT))}, (
            f"SKU {line.sku_id} sold at {price}, below its cost {cost.quantize(CENT)}"
        )

    @classmethod
    def read(cls, r: Reader) -> PriceBelowCost:
        return cls()


@dataclass(frozen=True, kw_only=True)
class PriceBelowList(Condition):
    """A line sold under ``percent`` % of its SKU's list price (far below list)."""

    kind = "price_below_list"
    percent: int

    def fields(self) -> dict[str, Any]:
        return {"percent": self.percent}

    def _share(self) -> Decimal:
        return Decimal(self.percent) / 100

    def test(self) -> Test:
        share = self._share()
        return lambda f: any(_below(f, f.context.list_prices, share))

    def figures(self, facts: OrderFacts) -> tuple[dict[str, str], str]:
        found = next(_below(facts, facts.context.list_prices, self._share()), None)
        if found is None:
            return {"percent": str(self.percent)}, (
                f"no line is sold under {self.percent}% of its list price"
            )
        line, price, listed = found
        return {
            "sku": str(line.sku_id),
            "price": str(price),
            "list_price": str(listed),
            "percent": str(self.percent),
        }, f"SKU {line.sku_id} sold at {price}, under {self.percent}% of its list price {listed}"

    @classmethod
    def read(cls, r: Reader) -> PriceBelowList:
        return cls(percent=r.integer("percent", low=1, high=100) or 1)
