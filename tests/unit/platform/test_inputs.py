"""The edge's body checks on their own (``entrypoints/http/inputs.py``, #9 item 6)."""

from __future__ import annotations

from datetime import datetime

import msgspec
import pytest

from domain.shared.errors import ValidationFailed
from entrypoints.http.inputs import MAX_DEPTH, MalformedRequest, decode_body, too_deeply_nested
from tests.support.built_app import routes_app


def _nested(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


def test_depth_is_counted_outside_strings_and_a_long_flat_body_is_fine() -> None:
    assert not too_deeply_nested(_nested(MAX_DEPTH))
    assert too_deeply_nested(_nested(MAX_DEPTH + 1))
    assert too_deeply_nested(b"[" * 10_000 + b"]" * 10_000)
    assert not too_deeply_nested(b"[" + b"[1],{}," * 100_000 + b"[]]")
    assert not too_deeply_nested(b'["' + b"[[[[{{{{" * 100 + b'"]')
    assert not too_deeply_nested(b'["\\"' + b"[" * 100 + b'"]')  # an escaped quote


class Window(msgspec.Struct, rename="camel"):
    starts_at: datetime
    labels: dict[str, str] = {}


def test_every_string_and_date_of_the_decoded_body_is_walked() -> None:
    with pytest.raises(ValidationFailed) as refused:
        decode_body(b'{"startsAt": "9999-01-01T00:00:00", "labels": {"k": "v\\u0000"}}', Window)
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("labels[k]", "invalid_characters"),
        ("startsAt", "date_out_of_range"),
    ]
    assert not isinstance(refused.value, MalformedRequest)  # well-formed: 422
    window = decode_body(
        b'{"startsAt": "2026-01-01T00:00:00", "labels": {"k": "\\\\u0000"}}', Window
    )
    assert window.labels == {"k": "\\u0000"}  # a backslash and "u0000", not a NUL


def test_shape_errors_are_malformed_and_name_the_field() -> None:
    with pytest.raises(MalformedRequest) as missing:
        decode_body(b"{}", Window)
    assert [(e.field, e.code) for e in missing.value.errors] == [("startsAt", "required")]
    with pytest.raises(MalformedRequest) as typed:
        decode_body(b'{"startsAt": 1790000000}', Window)
    assert [(e.field, e.code) for e in typed.value.errors] == [("startsAt", "invalid_value")]


def test_parameters_are_known_by_the_names_they_have_on_the_wire() -> None:
    from decimal import Decimal

    from litestar.handlers import HTTPRouteHandler

    from entrypoints.http.inputs import _query_names

    app = routes_app()
    search = next(
        h
        for r in app.routes
        if r.path == "/api/v1/catalog/products/search"
        for h in r.route_handlers
        if isinstance(h, HTTPRouteHandler) and "GET" in h.http_methods
    )
    names = _query_names(search, set())
    assert names["minPrice"] is Decimal and names["limit"] is int
    assert "min_price" not in names and "use_cases" not in names and "ctx" not in names
