"""Reading a console form into the values a use case takes: its text fields and ticked
boxes, the version the page showed, ids, numbers and amounts — a field left empty is None,
a malformed one the API's own validation problem (422 with the field's message)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar
from uuid import UUID

from litestar import Request
from litestar.datastructures import FormMultiDict
from litestar.enums import RequestEncodingType
from litestar.params import Body

from domain.shared.errors import FieldError, ValidationFailed

T = TypeVar("T")

Form = Body(media_type=RequestEncodingType.URL_ENCODED)  # a console form's body


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
