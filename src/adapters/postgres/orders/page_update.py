"""A page of orders written by one ``UPDATE`` (``save_many``: the review of the waiting
orders, 200 a page), of only the columns some order of the page changed.

A review changes about ten of an order's 35 columns (status, hold, abnormalities, carrier,
warehouse, version …); sending all 35 for 200 orders cost this process the JSON of a dozen
columns an order and the driver's encoding of ~7,000 array elements a page, and the server
the parsing of them (bench/README.md, the review). Each order is compared with the row this
unit of work read (or last wrote) under its lock: an order's columns are written in full
when there is no such row. A column no order of the page changed is left out of the
statement; one that some order changed is written for every order of the page (the others
with the value they have). The row is still found at its expected version, so nothing read
is overwritten unseen.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from adapters.postgres.orders.tables import orders
from adapters.postgres.shared.driver import DriverStatement
from adapters.postgres.shared.json_text import json_text

_PG = postgresql.dialect()  # type: ignore[no-untyped-call]
# Every write moves these; the rest only when their value differs from the one read.
ALWAYS = frozenset({"version", "updated_at"})
_MISSING = object()


def as_json(value: Any) -> str | None:
    """JSON text of a row's value; NULL stays NULL."""
    return None if value is None else json_text(value)


def _is_text_bound(column: Any) -> bool:
    """JSON and array columns travel as JSON text (unnest would flatten an array of
    arrays)."""
    return isinstance(column.type, (JSONB, ARRAY))


# Per column of ``orders``: whether its values travel as JSON text.
_AS_JSON = {c.name: _is_text_bound(c) for c in orders.c}


def changed_columns(
    rows: Sequence[Mapping[str, Any]], kept: Sequence[Mapping[str, Any] | None]
) -> tuple[str, ...]:
    """The names of ``rows``' columns to write, in the rows' order: those of ``ALWAYS``
    and every column whose value differs, for some row, from the row ``kept`` for it
    (read or last written; None: every column)."""
    names = tuple(rows[0])
    changed = set(ALWAYS)
    for row, was in zip(rows, kept, strict=True):
        if was is None:
            return names
        for name, value in row.items():
            if name not in changed and was.get(name, _MISSING) != value:
                changed.add(name)
    return tuple(name for name in names if name in changed)


def parameters(names: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """One array per column of ``names`` (JSON and array values as JSON text)."""
    found: dict[str, list[Any]] = {}
    for name in names:
        if _AS_JSON[name]:
            found[name] = [as_json(row[name]) for row in rows]
        else:
            found[name] = [row[name] for row in rows]
    return found


def _type(column: Any) -> str:
    return str(column.type.compile(dialect=_PG))


@functools.lru_cache(maxsize=256)
def update_many(names: tuple[str, ...]) -> DriverStatement:
    """``UPDATE orders … FROM unnest(<one array per column of names>)``, each row found at
    its own expected version, answering the ids it updated. The rows are also named by
    ``id = ANY(ids)``, so the planner reads them by the primary key rather than joining the
    unnest with every order of the tenant."""
    columns = [orders.c[name] for name in names]

    def value(c: Any) -> str:
        if isinstance(c.type, JSONB):
            return f"CAST(v.{c.name} AS jsonb)"
        if isinstance(c.type, ARRAY):
            elements = f"SELECT jsonb_array_elements_text(CAST(v.{c.name} AS jsonb))"
            return f"CAST(ARRAY({elements}) AS {_type(c)})"
        return f"v.{c.name}"

    def array(c: Any) -> str:
        return "text[]" if _is_text_bound(c) else f"{_type(c)}[]"

    sets = ", ".join(f"{c.name} = {value(c)}" for c in columns)
    arrays = ", ".join(f"CAST(:{c.name} AS {array(c)})" for c in columns)
    return DriverStatement(
        text(
            f"UPDATE orders AS o SET {sets}"
            f" FROM unnest(CAST(:ids AS uuid[]), CAST(:expected AS integer[]), {arrays})"
            f" AS v(id, expected, {', '.join(names)})"
            " WHERE o.tenant_id = CAST(:tenant_id AS uuid) AND o.id = ANY(CAST(:ids AS uuid[]))"
            " AND o.id = v.id AND o.version = v.expected RETURNING o.id"
        )
    )
