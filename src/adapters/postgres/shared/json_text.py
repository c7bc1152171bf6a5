"""JSON text of a value for a ``json``/``jsonb`` parameter (audit records, events, an order
page's rows and columns): msgspec, several times faster than the standard library's for a
page of 200 orders; non-ASCII kept, no spaces (what ``jsonb`` keeps is the same as
``json.dumps`` gave). UUIDs, times and decimals are JSON strings that the columns read back
exactly; a value of any other type JSON does not know is its text."""

from __future__ import annotations

from typing import Any

import msgspec

_ENCODER = msgspec.json.Encoder(enc_hook=str, decimal_format="string")


def json_text(value: Any) -> str:
    return _ENCODER.encode(value).decode()
