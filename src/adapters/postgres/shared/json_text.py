"""JSON text of values bound for ``jsonb`` and JSON-text parameters, by encoders made once.

``json.dumps`` with any option but the defaults builds a new ``JSONEncoder`` on every call;
a page of a marketplace burst encodes some thirty values an order (the order rows' JSON
and array columns, the audit records' changes and detail), and building the encoder was
about half of each call's time (bench/README.md, ``orders_intake.py``). The same options,
the same text.
"""

from __future__ import annotations

import json
from typing import Any

_UNICODE = json.JSONEncoder(ensure_ascii=False)
_UNICODE_OR_STR = json.JSONEncoder(ensure_ascii=False, default=str)


def unicode_json(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False)``."""
    return _UNICODE.encode(value)


def unicode_json_or_str(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, default=str)``: what JSON has no type for
    (a UUID, a Decimal, a datetime) as its ``str``."""
    return _UNICODE_OR_STR.encode(value)
