"""Reading the orders pages' query strings and forms: a value left empty is no value, and
a value that is not one of the kind asked for is the platform's own validation problem
(``invalid_choice``, ``invalid_id``, ``invalid_amount``, ``invalid_value``, ``required``)
naming the field, so the page says what was wrong and nothing runs."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeVar
from uuid import UUID

from domain.shared.errors import ValidationFailed

E = TypeVar("E", bound=StrEnum)
Values = Mapping[str, str]


def text(values: Values, name: str) -> str | None:
    found = (values.get(name) or "").strip()
    return found or None


def needed(values: Values, name: str) -> str:
    found = text(values, name)
    if found is None:
        raise ValidationFailed.single(name, "required")
    return found


def choice(kind: type[E], raw: str | None, name: str) -> E | None:
    if raw is None or not raw.strip():
        return None
    try:
        return kind(raw.strip())
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise ValidationFailed.single(name, "invalid_choice", allowed=allowed) from None


def an_id(raw: str | None, name: str) -> UUID | None:
    if raw is None or not raw.strip():
        return None
    try:
        return UUID(raw.strip())
    except ValueError:
        raise ValidationFailed.single(name, "invalid_id") from None


def ids(raws: list[str], name: str) -> tuple[UUID, ...]:
    return tuple(found for raw in raws if (found := an_id(raw, name)) is not None)


def amount(values: Values, name: str) -> Decimal:
    try:
        return Decimal(needed(values, name))
    except InvalidOperation:
        raise ValidationFailed.single(name, "invalid_amount") from None


def whole(values: Values, name: str) -> int | None:
    raw = text(values, name)
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationFailed.single(name, "invalid_value") from None


def moment(values: Values, name: str, zone: object) -> datetime | None:
    """A ``datetime-local`` field, in the company's zone."""
    raw = text(values, name)
    if raw is None:
        return None
    try:
        return datetime.fromisoformat(raw).replace(tzinfo=zone)  # type: ignore[arg-type]
    except ValueError:
        raise ValidationFailed.single(name, "invalid_value") from None


def version(values: Values) -> int:
    """The version the page showed (the API's If-Match): a change made since is refused."""
    found = whole(values, "version")
    if found is None:
        raise ValidationFailed.single("version", "required")
    return found
