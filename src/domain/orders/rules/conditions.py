"""Rule conditions: data (a ``kind`` and its fields, to and from plain dicts), compiled once
per rule set into tests over ``OrderFacts``, and explained with the figures that matched.

Every condition may be negated (``"negate": true``). A rule matches when all its conditions
do; within one condition a list means "any of" (``has_skus`` may ask for all).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import time, timedelta
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID

from domain.orders.rules.facts import OrderFacts, fold
from domain.orders.rules.reader import Reader
from domain.orders.values import FlagColour

Test = Callable[[OrderFacts], bool]
_HHMM = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")


@dataclass(frozen=True)
class Explanation:
    """Why a condition matched: a code and figures for a translated message, and English."""

    condition: str
    params: Mapping[str, str]
    text: str
    negated: bool = False


@dataclass(frozen=True, kw_only=True)
class Condition:
    kind: ClassVar[str]
    negate: bool = False

    def fields(self) -> dict[str, Any]:  # the dict form, without kind and negate
        raise NotImplementedError  # guard: every condition overrides it

    def test(self) -> Test:
        raise NotImplementedError  # guard: every condition overrides it

    def figures(self, facts: OrderFacts) -> tuple[dict[str, str], str]:
        raise NotImplementedError  # guard: every condition overrides it

    def compiled(self) -> Test:
        test = self.test()
        return (lambda facts: not test(facts)) if self.negate else test

    def explain(self, facts: OrderFacts) -> Explanation:
        params, text = self.figures(facts)
        if self.negate:
            text = f"not ({text})"
        return Explanation(self.kind, params, text, self.negate)

    def to_dict(self) -> dict[str, Any]:
        data = {"kind": self.kind, **self.fields()}
        if self.negate:
            data["negate"] = True
        return data


def _bounds(r: Reader, low_key: str, high_key: str, *, amounts: bool) -> tuple[Any, Any]:
    if amounts:
        low: Any = r.amount(low_key)
        high: Any = r.amount(high_key)
    else:
        low = r.integer(low_key, low=0, high=10**9, required=False)
        high = r.integer(high_key, low=0, high=10**9, required=False)
    if low is None and high is None and not any(k in r.data for k in (low_key, high_key)):
        r.fail("", "needs_a_bound", fields=[low_key, high_key])
    if low is not None and high is not None and low > high:
        r.fail(high_key, "below_minimum")
    return low, high


def _within(value: Any, low: Any, high: Any) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _range_text(low: Any, high: Any) -> str:
    return f"{'' if low is None else low}–{'' if high is None else high}"


def _drop_none(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


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
        return _drop_none(
            min=None if self.min is None else str(self.min),
            max=None if self.max is None else str(self.max),
        )

    def test(self) -> Test:
        low, high = self.min, self.max
        return lambda f: _within(f.total, low, high)

    def figures(self, facts: OrderFacts) -> tuple[dict[str, str], str]:
        span = _range_text(self.min, self.max)
        return {"total": str(facts.total), "range": span}, f"order total {facts.total} is in {span}"

    @classmethod
    def read(cls, r: Reader) -> AmountBetween:
        low, high = _bounds(r, "min", "max", amounts=True)
        return cls(min=low, max=high)


@dataclass(frozen=True, kw_only=True)
class WeightBetween(Condition):
    kind = "weight_between"
    min_grams: int | None = None
    max_grams: int | None = None

    def fields(self) -> dict[str, Any]:
        return _drop_none(min_grams=self.min_grams, max_grams=self.max_grams)

    def test(self) -> Test:
        low, high = self.min_grams, self.max_grams
        return lambda f: _within(f.weight_grams, low, high)

    def figures(self, facts: OrderFacts) -> tuple[dict[str, str], str]:
        span = _range_text(self.min_grams, self.max_grams)
        return {"grams": str(facts.weight_grams), "range": span}, (
            f"weight {facts.weight_grams} g is in {span} g"
        )

    @classmethod
    def read(cls, r: Reader) -> WeightBetween:
        low, high = _bounds(r, "min_grams", "max_grams", amounts=False)
        return cls(min_grams=low, max_grams=high)


@dataclass(frozen=True, kw_only=True)
class QuantityBetween(Condition):
    kind = "quantity_between"
    min: int | None = None
    max: int | None = None

    def fields(self) -> dict[str, Any]:
        return _drop_none(min=self.min, max=self.max)

    def test(self) -> Test:
        low, high = self.min, self.max
        return lambda f: _within(f.quantity, low, high)

    def figures(self, facts: OrderFacts) -> tuple[dict[str, str], str]:
        span = _range_text(self.min, self.max)
        return {"quantity": str(facts.quantity), "range": span}, (
            f"{facts.quantity} units is in {span}"
        )

    @classmethod
    def read(cls, r: Reader) -> QuantityBetween:
        low, high = _bounds(r, "min", "max", amounts=False)
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
class RegionIn(Condition):
    kind = "region_in"
    provinces: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()

    def fields(self) -> dict[str, Any]:
        return _drop_none(provinces=list(self.provinces) or None, cities=list(self.cities) or None)

    def test(self) -> Test:
        provinces = frozenset(map(fold, self.provinces))
        cities = frozenset(map(fold, self.cities))
        return lambda f: f.province in provinces or f.city in cities

    def figures(self, facts: OrderFacts) -> tuple[dict[str, str], str]:
        address = facts.order.receiver.address
        return {"province": address.province, "city": address.city}, (
            f"ships to {address.province} {address.city}"
        )

    @classmethod
    def read(cls, r: Reader) -> RegionIn:
        provinces = r.texts("provinces") if "provinces" in r.data else ()
        cities = r.texts("cities") if "cities" in r.data else ()
        r.seen.update({"provinces", "cities"})
        if not provinces and not cities:
            r.fail("", "needs_provinces_or_cities")
        return cls(provinces=provinces, cities=cities)


@dataclass(frozen=True, kw_only=True)
class AddressContains(Condition):
    kind = "address_contains"
    words: tuple[str, ...]

    def fields(self) -> dict[str, Any]:
        return {"words": list(self.words)}

    def test(self) -> Test:
        pattern = re.compile("|".join(re.escape(fold(w)) for w in self.words))
        return lambda f: pattern.search(f.address) is not None

    def figures(self, facts: OrderFacts) -> tuple[dict[str, str], str]:
        found = [w for w in self.words if fold(w) in facts.address]
        return {"words": ",".join(found)}, f"address contains {'/'.join(found)}"

    @classmethod
    def read(cls, r: Reader) -> AddressContains:
        return cls(words=r.texts("words", max_length=50))


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
class CustomerTagsAny(Condition):
    kind = "customer_tags_any"
    tags: tuple[str, ...]

    def fields(self) -> dict[str, Any]:
        return {"tags": list(self.tags)}

    def test(self) -> Test:
        tags = frozenset(self.tags)
        return lambda f: not tags.isdisjoint(f.context.customer.tags)

    def figures(self, facts: OrderFacts) -> tuple[dict[str, str], str]:
        found = sorted(set(self.tags) & facts.context.customer.tags)
        return {"tags": ",".join(found)}, f"the customer is tagged {', '.join(found)}"

    @classmethod
    def read(cls, r: Reader) -> CustomerTagsAny:
        return cls(tags=r.texts("tags", max_length=32))


@dataclass(frozen=True, kw_only=True)
class CustomerBlacklisted(Condition):
    kind = "customer_blacklisted"

    def fields(self) -> dict[str, Any]:
        return {}

    def test(self) -> Test:
        return lambda f: f.context.customer.blacklisted

    def figures(self, facts: OrderFacts) -> tuple[dict[str, str], str]:
        return {}, "the customer is on the blacklist"

    @classmethod
    def read(cls, r: Reader) -> CustomerBlacklisted:
        return cls()


def _clock(r: Reader, key: str) -> time | None:
    text = r.text(key, max_length=5)
    found = _HHMM.match(text) if text else None
    if text is not None and found is None:
        r.fail(key, "invalid_time_of_day")
    return time(int(found.group(1)), int(found.group(2))) if found else None


@dataclass(frozen=True, kw_only=True)
class PaidTimeOfDay(Condition):
    """Paid between two clock times in the tenant's time zone; ``from`` after ``to`` spans
    midnight (22:00–06:00). ``from`` is included, ``to`` is not."""

    kind = "paid_time_of_day"
    start: time
    end: time

    def fields(self) -> dict[str, Any]:
        return {"from": self.start.strftime("%H:%M"), "to": self.end.strftime("%H:%M")}

    def test(self) -> Test:
        start, end = self.start, self.end
        if start <= end:
            return lambda f: f.paid_local_time is not None and start <= f.paid_local_time < end
        return lambda f: (
            f.paid_local_time is not None
            and (f.paid_local_time >= start or f.paid_local_time < end)
        )

    def figures(self, facts: OrderFacts) -> tuple[dict[str, str], str]:
        paid = facts.paid_local_time.strftime("%H:%M") if facts.paid_local_time else "-"
        window = f"{self.start:%H:%M}–{self.end:%H:%M}"
        return {"paid": paid, "window": window}, f"paid at {paid}, within {window}"

    @classmethod
    def read(cls, r: Reader) -> PaidTimeOfDay:
        return cls(start=_clock(r, "from") or time(0), end=_clock(r, "to") or time(0))


@dataclass(frozen=True, kw_only=True)
class UnpaidForHours(Condition):
    kind = "unpaid_for_hours"
    hours: int

    def fields(self) -> dict[str, Any]:
        return {"hours": self.hours}

    def test(self) -> Test:
        limit = timedelta(hours=self.hours)
        return lambda f: f.unpaid and f.context.now - f.order.placed_at >= limit

    def figures(self, facts: OrderFacts) -> tuple[dict[str, str], str]:
        waited = facts.context.now - facts.order.placed_at
        hours = str(int(waited.total_seconds() // 3600))
        return {"hours": hours, "limit": str(self.hours)}, (
            f"unpaid for {hours} h (limit {self.hours} h)"
        )

    @classmethod
    def read(cls, r: Reader) -> UnpaidForHours:
        return cls(hours=r.integer("hours", low=1, high=24 * 90) or 1)


@dataclass(frozen=True, kw_only=True)
class RiskScoreAtLeast(Condition):
    kind = "risk_score_at_least"
    score: int

    def fields(self) -> dict[str, Any]:
        return {"score": self.score}

    def test(self) -> Test:
        least = self.score
        return lambda f: f.context.risk is not None and f.context.risk.score >= least

    def figures(self, facts: OrderFacts) -> tuple[dict[str, str], str]:
        risk = facts.context.risk
        reasons = ",".join(r.code for r in risk.reasons) if risk else ""
        score = str(risk.score) if risk else "-"
        return {"score": score, "reasons": reasons}, (
            f"risk score {score} ≥ {self.score} ({reasons})"
        )

    @classmethod
    def read(cls, r: Reader) -> RiskScoreAtLeast:
        return cls(score=r.integer("score", low=1, high=100) or 1)


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
