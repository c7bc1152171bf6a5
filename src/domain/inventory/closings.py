"""The calendar of the stock value closings (INV-7; docs/inventory.md, "Value at a date"):
when a day closes — at midnight in the tenant's time zone — and which closings are kept.

A valuation reads the last closing at or before its instant plus the movements since, so
any closing may go without changing an answer, only how much it reads. Kept:

- every closing of the last ``daily`` days (a recent date reads at most a day);
- the first closing of each local week (Monday) of the last ``weekly`` days (a date of
  the last year reads at most a week);
- the first closing of each local month, for ever (the month-end closing: any older date
  reads at most a month);
- the latest closing, always (the next one is written from it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo


def midnight_after(moment: datetime, zone: tzinfo) -> datetime:
    """The first midnight in ``zone`` strictly after ``moment`` (in UTC): where the local
    day holding ``moment`` closes. Where a clock change skips midnight, the day starts
    at the first instant after the gap."""
    day = moment.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(day, time(), zone).astimezone(UTC)


@dataclass(frozen=True)
class Retention:
    daily: timedelta = timedelta(days=92)
    weekly: timedelta = timedelta(days=400)

    def pruned(self, closings: Iterable[datetime], now: datetime, zone: tzinfo) -> list[datetime]:
        """The closings to delete, oldest first."""
        ordered = sorted(closings)
        months: set[tuple[int, int]] = set()
        weeks: set[tuple[int, int]] = set()
        gone = []
        for closes_at in ordered[:-1]:
            local = closes_at.astimezone(zone)
            month = (local.year, local.month)
            iso = local.isocalendar()
            week = (iso.year, iso.week)
            first_of_month, first_of_week = month not in months, week not in weeks
            months.add(month)
            weeks.add(week)
            if first_of_month or closes_at >= now - self.daily:
                continue
            if first_of_week and closes_at >= now - self.weekly:
                continue
            gone.append(closes_at)
        return gone
