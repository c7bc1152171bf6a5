"""The rule conditions by kind, and reading one from its dict form.

Every condition may be negated (``"negate": true``). A rule matches when all its conditions
do; within one condition a list means "any of" (``has_skus`` may ask for all).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from domain.orders.rules.buyer_conditions import (
    AddressContains,
    CustomerBlacklisted,
    CustomerTagsAny,
    LikelyDuplicate,
    RegionIn,
    RiskScoreAtLeast,
)
from domain.orders.rules.condition_base import Condition, Explanation, Test
from domain.orders.rules.order_conditions import (
    AmountBetween,
    BuyerMessagePresent,
    CashOnDelivery,
    ChannelIn,
    HasSkus,
    QuantityBetween,
    SellerMemoPresent,
    WeightBetween,
)
from domain.orders.rules.price_conditions import PriceBelowCost, PriceBelowList
from domain.orders.rules.reader import Reader
from domain.orders.rules.time_conditions import PaidTimeOfDay, UnpaidForHours

__all__ = ["CONDITIONS", "Condition", "Explanation", "Test", "read_condition"]

CONDITIONS: Mapping[str, Any] = {
    c.kind: c
    for c in (
        ChannelIn,
        AmountBetween,
        WeightBetween,
        QuantityBetween,
        HasSkus,
        RegionIn,
        AddressContains,
        BuyerMessagePresent,
        SellerMemoPresent,
        CashOnDelivery,
        CustomerTagsAny,
        CustomerBlacklisted,
        PaidTimeOfDay,
        UnpaidForHours,
        RiskScoreAtLeast,
        PriceBelowCost,
        PriceBelowList,
        LikelyDuplicate,
    )
}


def read_condition(r: Reader) -> Condition | None:
    kind = r.data.get("kind")
    if not isinstance(kind, str) or kind not in CONDITIONS:
        r.fail("kind", "unknown_condition", allowed=sorted(CONDITIONS))
        return None
    condition: Condition = CONDITIONS[kind].read(r)
    negate = r.boolean("negate", False)
    r.done()
    return replace(condition, negate=True) if negate else condition
