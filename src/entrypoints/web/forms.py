"""Reading a console form into the values a use case takes: its text fields and ticked
boxes, the version the page showed, ids, numbers and amounts — a field left empty is None,
a malformed one the API's own validation problem (422 with the field's message)."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from datetime import datetime, tzinfo
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar
from uuid import UUID

import msgspec
from litestar import Request
from litestar.datastructures import FormMultiDict
from litestar.enums import RequestEncodingType
from litestar.params import Body

from domain.shared.errors import FieldError, ValidationFailed

Form = Body(media_type=RequestEncodingType.URL_ENCODED)  # a console form's body
E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


def an_id(field: str, text: str) -> UUID | None:
    if not text.strip():
        return None
    try:
        return UUID(text.strip())
    except ValueError:
        raise ValidationFailed.single(field, "invalid_id") from None


def a_number(field: str, text: str) -> int:
    """A whole number; empty is 0."""
    try:
        return int(text.strip() or "0")
    except ValueError:
        raise ValidationFailed.single(field, "invalid_value") from None


def a_required_number(field: str, text: str) -> int:
    """A whole number that must be given (a weight, a limit): empty is refused."""
    if not text.strip():
        raise ValidationFailed.single(field, "required")
    return a_number(field, text)


def an_amount(field: str, text: str) -> Decimal | None:
    if not text.strip():
        return None
    try:
        return Decimal(text.strip())
    except InvalidOperation:
        raise ValidationFailed.single(field, "invalid_amount") from None


async def form_of(request: Request[Any, Any, Any]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(first value of each field, every value of each field)."""
    form = await request.form()
    texts = {key: str(value) for key, value in form.items() if isinstance(value, str)}
    lists = {key: [str(v) for v in form.getall(key)] for key in form}
    return texts, lists


def version_of(text: str) -> int | None:
    """The version a page showed (the API's If-Match): None when none was sent (the use
    case then asks for one), 422 ``invalid_value`` for anything but a whole number."""
    return a_number("version", text) if text.strip() else None


def version_in(texts: dict[str, str]) -> int | None:
    """The version field of a form read with ``form_of``."""
    return version_of(texts.get("version", ""))


def rows(form: FormMultiDict, *names: str) -> list[tuple[str, ...]]:
    """The rows of a table of fields (each name repeated once per row): a form whose
    columns do not line up (a tampered or partial one) is refused, naming the first."""
    columns = [[str(value) for value in form.getall(name, [])] for name in names]
    if len({len(column) for column in columns}) > 1:
        raise ValidationFailed.single(names[0], "invalid_value")
    return list(zip(*columns, strict=True))


def by_id(form: FormMultiDict, prefix: str) -> dict[UUID, str]:
    """The filled fields of a table keyed by id, each named ``<prefix><id>`` (a count's
    ``counted.<SKU id>``), by id; a name whose id is malformed is refused, naming it."""
    found: dict[UUID, str] = {}
    for name, value in form.items():
        if name.startswith(prefix) and str(value).strip():
            try:
                found[UUID(name.removeprefix(prefix))] = str(value)
            except ValueError:
                raise ValidationFailed.single(name, "invalid_id") from None
    return found


class VersionForm(msgspec.Struct):
    """A form that posts only the version its page showed (a step: ship, start, cancel)."""

    version: str = ""


def a_text(text: str | None) -> str | None:
    """A text field, stripped; None when left empty."""
    found = (text or "").strip()
    return found or None


def required(field: str, value: T | None) -> T:
    """A value that must be given (read with one of these helpers): None is 422
    ``required`` on ``field``."""
    if value is None:
        raise ValidationFailed.single(field, "required")
    return value


def a_whole(field: str, text: str | None) -> int | None:
    """A whole number; None when left empty (where ``a_number`` makes it 0)."""
    return a_number(field, text) if text and text.strip() else None


def ids_in(field: str, texts: Iterable[str]) -> tuple[UUID, ...]:
    """The ids of a repeated field (ticked boxes), the empty ones left out."""
    return tuple(found for text in texts if (found := an_id(field, text)) is not None)


def a_choice(kind: type[E], field: str, text: str | None) -> E | None:
    """One of an enumeration's values; None when left empty, 422 ``invalid_choice``
    naming the allowed values otherwise."""
    if not text or not text.strip():
        return None
    try:
        return kind(text.strip())
    except ValueError:
        allowed = [member.value for member in kind]
        raise ValidationFailed.single(field, "invalid_choice", allowed=allowed) from None


def a_moment(field: str, text: str | None, zone: tzinfo) -> datetime | None:
    """A ``datetime-local`` field, in ``zone`` (the company's); None when left empty."""
    if not text or not text.strip():
        return None
    try:
        return datetime.fromisoformat(text.strip()).replace(tzinfo=zone)
    except ValueError:
        raise ValidationFailed.single(field, "invalid_value") from None


def collected(
    errors: list[FieldError], read: Callable[[str, str], T | None], field: str, text: str
) -> T | None:
    """``read(field, text)`` (``an_id``, ``an_amount``, …) with its refusal added to
    ``errors`` instead of raised (None): a form then reports every bad field at once."""
    try:
        return read(field, text)
    except ValidationFailed as error:
        errors.extend(error.errors)
        return None


def replay_key(prefix: str) -> str:
    """A key a form carries (a payment's reference, a refund's key): posted twice — a double
    click, a reload — it names the same change, which the use case then makes once."""
    return f"{prefix}-{secrets.token_hex(4).upper()}"


def form_key() -> str:
    """The key of a form that creates something (a new order): sent again — a double click,
    a reload, the form posted once more after the browser's Back — it names the first
    creation, which is then shown instead of made again (``web/once.py``)."""
    return secrets.token_urlsafe(24)
