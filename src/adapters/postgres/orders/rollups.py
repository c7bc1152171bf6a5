"""Order analytics rollups (ORD-10), kept by the transaction that writes the order.

An order **counts** while it is neither cancelled nor retired (merged into another, split
into parts): one order of its total; once paid (``paid_at``), also one paid order of what
it holds paid (payments less refunds). What it counts goes to three cells of
``order_rollups``, all on the local day of its placement in the tenant's time zone: its
channel (the id, "" for an own order), its local hour ("00".."23") and its receiver's
province. Every write of an order adds the difference between what it counts now and
what it counted when read (``Contribution``), so placing, paying, refunding, editing,
cancelling, merging and splitting keep the cells right with no scan;
``adapters/postgres/order_queue/analytics.py`` computes the same cells from the orders
table (a backfill, or after the tenant's time zone changed — the cells keep the zone they
were written in).

A cell's concurrent writers are spread over ``SLOTS`` rows by the backend's pid (summed
when read), and one statement writes its rows in key order, so two transactions never
wait on each other in opposite orders.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from application.orders.queue.ports import CHANNEL, HOUR, PROVINCE
from domain.orders.order import Order
from domain.orders.status import OrderStatus

SLOTS = 4
_ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Contribution:
    """What one order counts in the rollups."""

    channel: str
    province: str
    amount: Decimal
    paid: bool
    paid_amount: Decimal


def contribution(order: Order) -> Contribution | None:
    if order.status is OrderStatus.CANCELLED or order.retired:
        return None
    paid = order.paid_at is not None
    return Contribution(
        str(order.channel_id or ""),
        order.receiver.address.province,
        order.total,
        paid,
        order.paid_amount if paid else _ZERO,
    )


_COUNTS = ("orders", "amount", "paid_orders", "paid_amount")
_ADD = ", ".join(f"{c} = order_rollups.{c} + EXCLUDED.{c}" for c in _COUNTS)


def deltas(before: Contribution | None, after: Contribution | None) -> dict[str, list[Any]]:
    """One order's ``r_*`` arrays (see ``many_deltas``): ``after`` less ``before``, cell by
    cell (a cell that does not change is left out; the hour cell's value is filled in by
    SQL)."""
    cells: dict[tuple[str, str], list[Any]] = {}
    for sign, found in ((-1, before), (1, after)):
        if found is None:
            continue
        figures = (sign, sign * found.amount, sign * int(found.paid), sign * found.paid_amount)
        for key in ((CHANNEL, found.channel), (HOUR, ""), (PROVINCE, found.province)):
            cell = cells.setdefault(key, [0, _ZERO, 0, _ZERO])
            for i, figure in enumerate(figures):
                cell[i] += figure
    changed = [(key, cell) for key, cell in sorted(cells.items()) if any(cell)]
    return {
        "r_dimension": [key[0] for key, _ in changed],
        "r_value": [key[1] for key, _ in changed],
        "r_orders": [cell[0] for _, cell in changed],
        "r_amount": [cell[1] for _, cell in changed],
        "r_paid_orders": [cell[2] for _, cell in changed],
        "r_paid_amount": [cell[3] for _, cell in changed],
    }


def upsert_many_sql() -> str:
    """The deltas of many orders at once (``many_deltas``: the ``r_*`` arrays with
    ``r_placed_at`` beside them) summed per cell and written in key order by one
    statement, so a page of orders takes its cells' locks in one order too."""
    counts = ", ".join(f"sum(v.{c})" for c in _COUNTS)
    return (
        "INSERT INTO order_rollups (tenant_id, day, dimension, value, slot,"
        " orders, amount, paid_orders, paid_amount)"
        " SELECT CAST(:tenant_id AS uuid), CAST(l.local AS date), v.dimension,"
        " CASE WHEN v.dimension = 'hour' THEN to_char(l.local, 'HH24') ELSE v.value END,"
        f" pg_backend_pid() % {SLOTS}, {counts}"
        " FROM unnest(CAST(:r_placed_at AS timestamptz[]), CAST(:r_dimension AS text[]),"
        " CAST(:r_value AS text[]), CAST(:r_orders AS bigint[]), CAST(:r_amount AS numeric[]),"
        " CAST(:r_paid_orders AS bigint[]), CAST(:r_paid_amount AS numeric[]))"
        " AS v(placed_at, dimension, value, orders, amount, paid_orders, paid_amount)"
        " CROSS JOIN LATERAL (SELECT v.placed_at AT TIME ZONE t.time_zone AS local"
        " FROM tenants t WHERE t.id = CAST(:tenant_id AS uuid)) AS l"
        " GROUP BY 2, 3, 4 ORDER BY 2, 3, 4"
        " ON CONFLICT (tenant_id, day, dimension, value, slot) DO UPDATE SET " + _ADD
    )


def many_deltas(
    changes: list[tuple[Any, Contribution | None, Contribution | None]],
) -> dict[str, list[Any]]:
    """``upsert_many_sql``'s arrays: per (placed_at, before, after), the cells of
    ``deltas`` with their order's ``placed_at``."""
    merged: dict[str, list[Any]] = {"r_placed_at": [], **deltas(None, None)}
    for placed_at, before, after in changes:
        one = deltas(before, after)
        merged["r_placed_at"].extend([placed_at] * len(one["r_dimension"]))
        for name, values in one.items():
            merged.setdefault(name, []).extend(values)
    return merged
