"""Cursor pagination invariants."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from application.shared.pagination import MAX_LIMIT, clamp_limit, decode_cursor, encode_cursor
from domain.shared.errors import ValidationFailed


@given(st.lists(st.text(), max_size=5))
def test_cursor_round_trip(key: list[str]) -> None:
    """Invariant: decode(encode(key)) == key for any key, Chinese text included; the
    cursor is URL-safe."""
    cursor = encode_cursor(key)
    assert decode_cursor(cursor) == key
    assert all(c.isalnum() or c in "-_" for c in cursor)


@given(st.text())
def test_any_garbage_cursor_is_a_clear_error_not_a_crash(cursor: str) -> None:
    """Invariant: decoding never raises anything but ValidationFailed(invalid_cursor)."""
    try:
        decoded = decode_cursor(cursor)
    except ValidationFailed as error:
        assert error.errors[0].code == "invalid_cursor"
    else:
        assert isinstance(decoded, list)


def test_limits() -> None:
    assert clamp_limit(None) == 50
    assert clamp_limit(MAX_LIMIT) == MAX_LIMIT
    for bad in (0, MAX_LIMIT + 1, -1):
        with pytest.raises(ValidationFailed):
            clamp_limit(bad)
