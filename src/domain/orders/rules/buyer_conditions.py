"""Conditions on where the order goes and who placed it: region, address words, customer
tags, the blacklist, the risk score, an earlier order it likely duplicates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from domain.orders.rules.condition_base import (
    Condition,
    Test,
    drop_none,
)
from domain.orders.rules.facts import OrderFacts, fold
from domain.orders.rules.reader import Reader


@dataclass(frozen=True, kw_only=True)
class RegionIn(Condition):
    kind = "region_in"
    provinces: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()

    def fields(self) -> dict[str, Any]:
        return drop_none(provinces=list(self.provinces) or None, cities=list(self.cities) or None)

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


@dataclass(frozen=True, kw_only=True)
class LikelyDuplicate(Condition):
    """An earlier order to the same receiver (name, phone and address, by blind index)
    with the same SKUs, placed within ``hours`` before this one and not cancelled."""

    kind = "likely_duplicate"
    hours: int = 24

    def fields(self) -> dict[str, Any]:
        return {"hours": self.hours}

    def test(self) -> Test:
        return lambda f: f.context.duplicate_of is not None

    def figures(self, facts: OrderFacts) -> tuple[dict[str, str], str]:
        earlier = facts.context.duplicate_of or ""
        return {"order": earlier, "hours": str(self.hours)}, (
            f"order {earlier} went to the same receiver with the same SKUs"
            f" within {self.hours} h before"
        )

    @classmethod
    def read(cls, r: Reader) -> LikelyDuplicate:
        return cls(hours=r.integer("hours", low=1, high=720, required=False, default=24) or 24)
