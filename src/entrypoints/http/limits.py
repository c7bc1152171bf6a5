"""The limits the domain enforces, stated in the OpenAPI document (#9 item 18; decisions, 41).

``stated(...)`` is a ``msgspec.Meta`` that only documents: msgspec does not check it, so the
domain keeps refusing a value with its own coded, translated error (``too_long``,
``invalid_code``, …) rather than msgspec's generic one. Every number, pattern and choice is
passed in from the domain's constant, never written a second time here::

    ChannelCode = Annotated[str, stated(pattern=CHANNEL_CODE)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

import msgspec
from litestar.openapi.spec import OpenAPIFormat


def stated(
    *,
    min_length: int | None = None,
    max_length: int | None = None,
    pattern: re.Pattern[str] | None = None,
    choices: type[StrEnum] | Iterable[str] | None = None,
    email: bool = False,
    minimum: int | None = None,
    maximum: int | None = None,
    min_items: int | None = None,
    max_items: int | None = None,
    unique: bool = False,
    nonzero: bool = False,
    or_null: bool = False,
    description: str | None = None,
) -> msgspec.Meta:
    """The schema of a field, as the domain checks it (documented, not enforced).

    On an optional field (``Annotated[str, stated(...)] | None``) Litestar writes these
    beside the ``oneOf``, so an enum there must list null too: ``or_null=True``."""
    extra: dict[str, Any] = {}
    if min_length is not None:
        extra["min_length"] = min_length
    if max_length is not None:
        extra["max_length"] = max_length
    if pattern is not None:
        extra["pattern"] = pattern.pattern
    if choices is not None:
        extra["enum"] = [str(choice) for choice in choices] + ([None] if or_null else [])
    if minimum is not None:
        extra["minimum"] = minimum
    if maximum is not None:
        extra["maximum"] = maximum
    if min_items is not None:
        extra["min_items"] = min_items
    if max_items is not None:
        extra["max_items"] = max_items
    if unique:
        extra["unique_items"] = True
    if nonzero:
        extra["schema_not"] = {"const": 0}
    if email:
        extra["format"] = OpenAPIFormat.EMAIL
    schema: dict[str, Any] = {"extra": extra}
    if description is not None:
        schema["description"] = description
    return msgspec.Meta(extra_json_schema=schema)
