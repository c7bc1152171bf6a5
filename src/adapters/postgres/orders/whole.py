"""A page of orders read whole — each order's row with its lines, discounts, payments,
refunds and timeline — in ONE statement on the driver (decision 82's path), for the review
of the orders awaiting it (``lock_awaiting_review``: 200 a page, locked, the newest
first, each next page before the last one's ``(placed_at, id)``).

Each child table comes back as an array of anonymous records in its order's row
(``ARRAY(SELECT ROW(…) … ORDER BY …)``), which asyncpg decodes natively (UUIDs,
``Decimal``s, times) — no round trip per table, no SQLAlchemy ``Row`` per child row, no
expanding ``IN`` of the page's ids rendered again on every page. JSON columns travel as
text (asyncpg cannot decode ``jsonb`` inside a record) and are read here; the rows are
named tuples with the columns' names, so the repository builds an order from them as it
does from SQLAlchemy's rows.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Sequence
from typing import Any

import asyncpg
import msgspec
from sqlalchemy import Table, text
from sqlalchemy.dialects.postgresql import JSONB

from adapters.postgres.orders.tables import (
    order_discounts,
    order_lines,
    order_payments,
    order_refunds,
    order_timeline,
    orders,
)
from adapters.postgres.shared.driver import DriverStatement

# The child tables in the order ``Whole`` names them, each with the order of its rows.
CHILDREN: tuple[tuple[Table, str], ...] = (
    (order_lines, "position"),
    (order_discounts, "line_id, position"),
    (order_payments, "paid_at"),
    (order_refunds, "refunded_at"),
    (order_timeline, "seq"),
)


def _columns(table: Table) -> list[Any]:
    return [c for c in table.c if c.name != "tenant_id"]


def _selected(column: Any, prefix: str) -> str:
    """A column as selected: JSON as text (read back by ``_Shape``)."""
    return (
        f"{prefix}{column.name}::text" if isinstance(column.type, JSONB) else prefix + column.name
    )


class _Shape:
    """A table's rows as named tuples of its columns (tenant aside), JSON columns parsed."""

    def __init__(self, table: Table) -> None:
        columns = _columns(table)
        self.row: Any = namedtuple(table.name, [c.name for c in columns])  # type: ignore[misc]
        self._json = tuple(i for i, c in enumerate(columns) if isinstance(c.type, JSONB))

    def of(self, values: Sequence[Any]) -> Any:
        if not self._json:
            return self.row._make(values)
        found = list(values)
        for i in self._json:
            if found[i] is not None:
                found[i] = msgspec.json.decode(found[i])
        return self.row._make(found)


_ORDER = _Shape(orders)
_CHILD_SHAPES = tuple(_Shape(table) for table, _ in CHILDREN)


def _children(table: Table, order_by: str) -> str:
    fields = ", ".join(_selected(c, "c.") for c in _columns(table))
    return (
        f"ARRAY(SELECT ROW({fields}) FROM {table.name} c"
        " WHERE c.tenant_id = o.tenant_id AND c.order_id = o.id"
        f" ORDER BY {', '.join(f'c.{name.strip()}' for name in order_by.split(','))})"
    )


def _awaiting_review(after: bool, down_to: bool) -> DriverStatement:
    """The tenant's orders awaiting review, newest first (before the cursor's order when
    ``after``; down to the range's last order, included, when ``down_to``), ``:limit`` of
    them, locked (one another transaction holds is skipped)."""
    columns = ", ".join(_selected(c, "o.") for c in _columns(orders))
    children = ", ".join(_children(table, order_by) for table, order_by in CHILDREN)
    before = " AND (o.placed_at, o.id) < (:placed_at, :order_id)" if after else ""
    until = " AND (o.placed_at, o.id) >= (:low_placed_at, :low_order_id)" if down_to else ""
    return DriverStatement(
        text(
            f"SELECT {columns}, {children} FROM orders o"
            " WHERE o.tenant_id = CAST(:tenant_id AS uuid) AND o.status = 'awaiting_review'"
            f"{before}{until} ORDER BY o.placed_at DESC, o.id DESC LIMIT :limit"
            " FOR UPDATE OF o SKIP LOCKED"
        )
    )


# By (after, down_to): whether the page starts after a cursor and stops at a range's end.
AWAITING_REVIEW = {
    (after, down_to): _awaiting_review(after, down_to)
    for after in (False, True)
    for down_to in (False, True)
}
# Where each run of ``:size`` orders awaiting review ends, newest first (its last order),
# and how many there are: the key columns only, through the index on status.
WAITING_RANGES = DriverStatement(
    text(
        "SELECT placed_at, id, total FROM (SELECT placed_at, id, count(*) OVER () AS total,"
        " row_number() OVER (ORDER BY placed_at DESC, id DESC) AS n FROM orders"
        " WHERE tenant_id = CAST(:tenant_id AS uuid) AND status = 'awaiting_review') AS w"
        " WHERE n % :size = 0 OR n = total ORDER BY n"
    )
)


class Whole:
    """One order as read: its row and its children's rows (each a list of named tuples)."""

    __slots__ = ("discounts", "lines", "payments", "refunds", "row", "timeline")

    def __init__(self, record: asyncpg.Record) -> None:
        width = len(_ORDER.row._fields)
        self.row = _ORDER.of(record[:width])
        self.lines, self.discounts, self.payments, self.refunds, self.timeline = (
            [shape.of(values) for values in record[width + i]]
            for i, shape in enumerate(_CHILD_SHAPES)
        )
