"""The dates the service accepts: years 1900 to 2999 (#9, item 6).

A date outside them is a typing mistake or a probe, never business: year 9999 sits at the
edge of what Python's ``datetime`` holds, so a promotion starting then was stored and then
broke every read that moved it to another time zone, and year 1 is outside what PostgreSQL
converts. Refusing them on the way in (HTTP: ``entrypoints/http/inputs.py``, for every body
field and query parameter) keeps every stored moment readable in every zone.
"""

from __future__ import annotations

from datetime import date

from domain.shared.errors import FieldError

EARLIEST_YEAR = 1900
LATEST_YEAR = 2999


def within_range(value: date) -> bool:
    """Whether a date or date-time (naive or not) falls within the accepted years. The
    margin of a day on either side of the bounds is kept by the years themselves: any
    offset moves a moment by less than a day, and the bounds are far from datetime's."""
    return EARLIEST_YEAR <= value.year <= LATEST_YEAR


def range_error(field: str) -> FieldError:
    """The error of a field holding a date outside the accepted years."""
    return FieldError(field, "date_out_of_range", {"min": EARLIEST_YEAR, "max": LATEST_YEAR})
