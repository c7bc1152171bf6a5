"""Conditions on time: the clock time of payment in the tenant's zone, how long unpaid."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any

from domain.orders.rules.condition_base import (
    Condition,
    Test,
)
from domain.orders.rules.facts import OrderFacts
from domain.orders.rules.reader import Reader

CLOCK_TIME = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")


def _read_clock(r: Reader, key: str) -> time | None:
    text = r.text(key, max_length=5)
    found = CLOCK_TIME.match(text) if text else None
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
        return cls(start=_read_clock(r, "from") or time(0), end=_read_clock(r, "to") or time(0))


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
