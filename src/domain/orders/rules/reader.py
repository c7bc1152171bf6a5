"""Reading rules from plain dicts (storage, the API) with every error collected at its path.

A rule set arrives as JSON; each field is checked for its type and bounds, unknown fields
are refused (a typo must not silently disable a condition), and all mistakes are reported
at once as ``ValidationFailed`` with paths like ``rules[2].conditions[0].min``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from domain.shared.errors import FieldError

MAX_LIST = 500
_CODE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


class Reader:
    """Reads one dict; errors go to the shared ``errors`` list."""

    def __init__(self, data: object, path: str, errors: list[FieldError]) -> None:
        self.path, self.errors = path, errors
        self.data: Mapping[str, Any] = data if isinstance(data, Mapping) else {}
        self.seen: set[str] = {"kind"}
        if not isinstance(data, Mapping):
            self.fail("", "must_be_an_object")

    def at(self, key: str) -> str:
        if not self.path:  # a top-level object (a policy): its fields by their names
            return key
        return f"{self.path}.{key}" if key else self.path

    def fail(self, key: str, code: str, **params: Any) -> None:
        self.errors.append(FieldError(self.at(key), code, params))

    def _get(self, key: str, required: bool) -> Any:
        self.seen.add(key)
        if key not in self.data or self.data[key] is None:
            if required:
                self.fail(key, "required")
            return None
        return self.data[key]

    def text(self, key: str, *, required: bool = True, max_length: int = 200) -> str | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(key, "must_be_text")
            return None
        if len(value) > max_length:
            self.fail(key, "too_long", max=max_length)
            return None
        return value.strip()

    def code(self, key: str, *, required: bool = True) -> str | None:
        value = self.text(key, required=required, max_length=64)
        if value is not None and not _CODE.match(value):
            self.fail(key, "invalid_rule_code")
            return None
        return value

    def choice(self, key: str, allowed: Sequence[str], *, default: str | None = None) -> str | None:
        value = self._get(key, default is None)
        if value is None:
            return default
        if value not in allowed:
            self.fail(key, "unknown_choice", allowed=list(allowed))
            return None
        return str(value)

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(key, "must_be_boolean")
            return default
        return value

    def integer(
        self, key: str, *, low: int, high: int, required: bool = True, default: int | None = None
    ) -> int | None:
        value = self._get(key, required and default is None)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(key, "integer_out_of_range", low=low, high=high)
            return None
        return value

    def amount(self, key: str, *, required: bool = False) -> Decimal | None:
        value = self._get(key, required)
        if value is None:
            return None
        try:
            amount = Decimal(str(value)) if isinstance(value, str | int) else None
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or amount < 0:
            self.fail(key, "invalid_amount")
            return None
        return amount

    def texts(self, key: str, *, max_length: int = 100) -> tuple[str, ...]:
        value = self._get(key, True)
        if value is None:
            return ()
        if not isinstance(value, list) or not value or len(value) > MAX_LIST:
            self.fail(key, "must_be_a_non_empty_list", max=MAX_LIST)
            return ()
        if not all(isinstance(v, str) and v.strip() and len(v) <= max_length for v in value):
            self.fail(key, "must_be_texts", max=max_length)
            return ()
        return tuple(dict.fromkeys(v.strip() for v in value))

    def uuid(self, key: str) -> UUID | None:
        value = self._get(key, True)
        if value is None:
            return None
        try:
            return UUID(str(value))
        except ValueError:
            self.fail(key, "invalid_id")
            return None

    def uuids(self, key: str) -> tuple[UUID, ...]:
        found: list[UUID] = []
        for i, value in enumerate(self.texts(key)):
            try:
                found.append(UUID(value))
            except ValueError:
                self.fail(f"{key}[{i}]", "invalid_id")
        return tuple(found)

    def done(self) -> None:
        for key in sorted(set(self.data) - self.seen):
            self.fail(key, "unknown_field")
