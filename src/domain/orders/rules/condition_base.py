"""What every rule condition is: data with a ``kind``, a compiled test over ``OrderFacts``
and an explanation with the figures that matched (the kinds: order_conditions.py,
buyer_conditions.py, time_conditions.py; the registry: conditions.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from domain.orders.rules.facts import OrderFacts
from domain.orders.rules.reader import Reader

Test = Callable[[OrderFacts], bool]


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


def read_bounds(r: Reader, low_key: str, high_key: str, *, amounts: bool) -> tuple[Any, Any]:
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


def within(value: Any, low: Any, high: Any) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def range_text(low: Any, high: Any) -> str:
    return f"{'' if low is None else low}–{'' if high is None else high}"


def drop_none(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}
