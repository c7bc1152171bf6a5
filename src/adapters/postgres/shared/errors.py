"""Constraint violations, mapped by the violated constraint's NAME (never by parsing the
message text, which the server's ``lc_messages`` may translate).

asyncpg reports the name as ``constraint_name`` on its error, which SQLAlchemy wraps in an
``IntegrityError``. Repositories name the constraints they expect and what each means:

    except IntegrityError as error:
        raise_for_constraint(error, {"brands_name_key": lambda: Conflict("brand_name_taken")})

The names are the ones the tables' metadata gives (each module's ``tables.py``), which
tests/integration/platform/test_schema_metadata.py holds to the migrated database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NoReturn

from sqlalchemy.exc import IntegrityError

from domain.shared.errors import DomainError


def violated_constraint(error: IntegrityError) -> str | None:
    """The constraint a violation names (asyncpg's error, under SQLAlchemy's adaption)."""
    for candidate in (error.orig, getattr(error.orig, "__cause__", None)):
        name = getattr(candidate, "constraint_name", None)
        if isinstance(name, str):
            return name
    return None


def raise_for_constraint(
    error: IntegrityError, meanings: Mapping[str, Callable[[], DomainError]]
) -> NoReturn:
    """Raise what the violated constraint means, or ``error`` itself if it is not named."""
    meaning = meanings.get(violated_constraint(error) or "")
    if meaning is None:
        raise error
    raise meaning() from None
