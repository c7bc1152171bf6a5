"""Reading a console form's text into the values a use case takes: a field left empty is
None, a malformed one the API's own validation problem (422 with the field's message)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from uuid import UUID

from litestar.enums import RequestEncodingType
from litestar.params import Body

from domain.shared.errors import ValidationFailed

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


def an_amount(field: str, text: str) -> Decimal | None:
    if not text.strip():
        return None
    try:
        return Decimal(text.strip())
    except InvalidOperation:
        raise ValidationFailed.single(field, "invalid_amount") from None
