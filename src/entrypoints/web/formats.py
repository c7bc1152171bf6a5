"""Dates, numbers and money as the user reads them: in the company's time zone and the
user's language (Babel's CLDR data: 2026年12月7日 / 2026/12/7 / Dec 7, 2026; ¥1,234.50)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal

from entrypoints.messages import locale_of


@dataclass(frozen=True)
class Formats:
    language: str
    zone: ZoneInfo
    currency: str

    @property
    def _locale(self) -> str:
        return locale_of(self.language)

    def money(self, amount: Decimal | str | None, currency: str | None = None) -> str:
        if amount is None or amount == "":
            return ""
        return format_currency(Decimal(amount), currency or self.currency, locale=self._locale)

    def number(self, value: int | Decimal | str | None) -> str:
        if value is None or value == "":
            return ""
        return format_decimal(Decimal(value), locale=self._locale)

    def when(self, moment: datetime | None) -> str:
        """A moment in the company's zone (the zone's own clock, not the server's)."""
        if moment is None:
            return ""
        return format_datetime(moment, format="short", tzinfo=self.zone, locale=self._locale)

    def day(self, value: date | None) -> str:
        return "" if value is None else format_date(value, format="medium", locale=self._locale)

    def iso(self, moment: datetime | None) -> str:
        """For ``<time datetime=…>``: machines read the exact moment."""
        return "" if moment is None else moment.astimezone(self.zone).isoformat()
