"""The calendar of the stock value closings (INV-7): a day closes at the tenant's
midnight, and the retention keeps every recent closing, each week's first for a while and
each month's first for ever."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.inventory.closings import Retention, midnight_after

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")


def test_inv7_a_day_closes_at_the_tenants_midnight() -> None:
    # 2026-11-30 20:00 UTC is 2026-12-01 04:00 in Shanghai: its day closes at 12-02 00:00
    # there (12-01 16:00 UTC); in UTC the day closes at 12-01 00:00.
    moment = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)
    assert midnight_after(moment, SHANGHAI) == datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
    assert midnight_after(moment, UTC) == datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    # a midnight itself closes the next day
    first = midnight_after(moment, SHANGHAI)
    assert midnight_after(first, SHANGHAI) == first + timedelta(days=1)


def test_inv7_days_around_a_clock_change_are_23_and_25_hours() -> None:
    spring = midnight_after(datetime(2026, 3, 7, 12, tzinfo=NEW_YORK), NEW_YORK)
    assert midnight_after(spring, NEW_YORK) - spring == timedelta(hours=23)  # 03-08
    autumn = midnight_after(datetime(2026, 10, 31, 12, tzinfo=NEW_YORK), NEW_YORK)
    assert midnight_after(autumn, NEW_YORK) - autumn == timedelta(hours=25)  # 11-01


def test_inv7_retention_on_a_worked_calendar() -> None:
    """Daily closings (UTC midnights) from 2026-01-01 to 2026-06-30, now 2026-06-30 12:00;
    kept: every one of the last 10 days, each ISO week's first of the last 40, each
    month's first, and the latest."""
    retention = Retention(daily=timedelta(days=10), weekly=timedelta(days=40))
    start = datetime(2026, 1, 1, tzinfo=UTC)
    closings = [start + timedelta(days=n) for n in range(181)]  # to 06-30 00:00
    now = datetime(2026, 6, 30, 12, tzinfo=UTC)
    gone = retention.pruned(closings, now, UTC)
    kept = sorted(set(closings) - set(gone))
    assert gone == sorted(gone) and set(gone) <= set(closings)
    months = [c for c in kept if c.day == 1]
    assert [c.month for c in months] == [1, 2, 3, 4, 5, 6]
    recent = [c for c in kept if c >= now - timedelta(days=10)]
    assert recent == [datetime(2026, 6, d, tzinfo=UTC) for d in range(21, 31)]
    weekly = [c for c in kept if c not in months and c not in recent]
    # Mondays of 05-21 .. 06-20 (within 40 days), the first closing of their week
    assert weekly == [
        datetime(2026, 5, 25, tzinfo=UTC),
        datetime(2026, 6, 8, tzinfo=UTC),
        datetime(2026, 6, 15, tzinfo=UTC),
    ]
    # 06-01 (a Monday) is its week's first and its month's: counted once above
    assert datetime(2026, 6, 1, tzinfo=UTC) in months
    # pruning again prunes nothing: what is kept stays the first of its week and month
    assert retention.pruned(kept, now, UTC) == []


def test_inv7_the_latest_closing_is_always_kept() -> None:
    old = [datetime(2020, 1, d, tzinfo=UTC) for d in range(2, 10)]
    gone = Retention(daily=timedelta(days=1), weekly=timedelta(days=1)).pruned(
        old, datetime(2026, 1, 1, tzinfo=UTC), SHANGHAI
    )
    assert old[-1] not in gone and old[0] not in gone  # the latest; the month's first
    assert gone == old[1:-1]
