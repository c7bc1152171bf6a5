"""Orders in Postgres (ORD-1..ORD-3, ORD-5; PLT-4 for the receiver).

One order is an ``orders`` row and its children. Writing keeps the statements few (a
placement is measured: tests/integration/orders/test_statement_count.py): the children of
one kind go in one multi-row INSERT, the timeline, payments and refunds are appended (only
the entries the order gained since it was read), and the lines with their discounts are
rewritten only when they changed.

The receiver is one sealed JSON value (``order.receiver``, bound to tenant, field and
row) with two blind indexes: name + phone + address normalised as merging compares them
(``order.receiver_match``) and the phone alone (``order.phone``).
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any, NamedTuple, cast
from uuid import UUID

import msgspec
from sqlalchemy import (
    ColumnElement,
    Text,
    Uuid,
    and_,
    bindparam,
    case,
    func,
    literal,
    select,
    text,
    true,
    tuple_,
    update,
)
from sqlalchemy import (
    Sequence as DbSequence,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.postgres.orders import json_rows, page_update, rollups, whole
from adapters.postgres.orders.rollups import Contribution, contribution
from adapters.postgres.orders.tables import (
    order_discounts,
    order_lines,
    order_payments,
    order_platform_ids,
    order_refunds,
    order_rule_sets,
    order_settings,
    order_timeline,
    orders,
)
from adapters.postgres.shared.driver import DriverStatement
from adapters.postgres.shared.errors import raise_for_constraint
from adapters.postgres.shared.json_text import json_text
from adapters.postgres.shared.rows import AnyRow, one_updated
from adapters.postgres.shared.unreadable import EncryptedTenantRepository
from application.orders.ports import CustomerTotals, OrderFilter, OrderPosition, StoredOrder
from domain.orders.abnormal import Abnormality, AbnormalType
from domain.orders.lines import Discount, OrderLine
from domain.orders.merge import MERGEABLE as MERGEABLE_STATUSES
from domain.orders.merge import ShopGroupOf, in_shop_groups, same_shop
from domain.orders.order import Order
from domain.orders.payment_records import Payment, PaymentMethod, Refund
from domain.orders.risk import CustomerHistory, RiskPolicy
from domain.orders.rules.ruleset import RuleSet
from domain.orders.state import ENTITY, Hold
from domain.orders.status import OrderStatus
from domain.orders.timeline import RuleRef, TimelineEntry
from domain.orders.values import (
    MAX_PARTS,
    FlagColour,
    InvoiceKind,
    InvoiceRequest,
    OrderNumber,
    Receiver,
    SellerMemo,
    ShippingAddress,
)
from domain.shared.errors import Conflict, StaleVersion

RECEIVER = "order.receiver"
RECEIVER_MATCH = "order.receiver_match"
PHONE = "order.phone"
DEFAULT_UNPAID_MINUTES = 30

NUMBERS = DbSequence("order_number_seq")
NUMBER_BLOCK = 50  # the sequence's increment (migration 0015): each nextval is 50 numbers


class _NumberBlock:
    """Numbers are taken from the sequence 50 at a time and handed out in this process
    (hi/lo): a placement reads the sequence once in 50. Unique (blocks never overlap),
    increasing within a process, with gaps — as a sequence has anyway after a rollback."""

    def __init__(self) -> None:
        self.next = 0
        self.end = 0

    async def take(self, conn: AsyncConnection) -> int:
        if self.next >= self.end:
            start = int(await conn.scalar(select(NUMBERS.next_value())) or 0)
            if self.next >= self.end:  # no other task refilled it meanwhile
                self.next, self.end = start, start + NUMBER_BLOCK
        value = self.next
        self.next += 1
        return value


# --- what each sweep takes: here once, for the tenant's sweep and the cross-tenant look-up --


def unpaid() -> ColumnElement[bool]:
    """Orders the unpaid timeout may cancel: of the own API or staff entry (a marketplace
    settles its own), still pending payment, not cash on delivery."""
    c = orders.c
    return and_(
        c.status == OrderStatus.PENDING_PAYMENT.value,
        c.source.in_(("staff", "api")),
        c.cash_on_delivery.is_(False),
    )


def awaiting_stock() -> ColumnElement[bool]:
    """Orders with an open out_of_stock abnormality (the restock sweep's)."""
    return orders.c.awaiting_stock.is_(True)


def delivered_before(cutoff: datetime) -> ColumnElement[bool]:
    """Orders still ``delivered`` whose delivery (the timeline's entry into it) was at or
    before ``cutoff``."""
    t = order_timeline.c
    signed = (
        select(t.order_id)
        .where(
            t.tenant_id == orders.c.tenant_id,
            t.order_id == orders.c.id,
            t.to_status == OrderStatus.DELIVERED.value,
            t.at <= cutoff,
        )
        .exists()
    )
    return and_(orders.c.status == OrderStatus.DELIVERED.value, signed)


def hold_due(now: datetime) -> ColumnElement[bool]:
    """Orders whose hold has an end at or before ``now``."""
    return orders.c.hold_until <= now


MERGEABLE = tuple(s.value for s in MERGEABLE_STATUSES)
# The automatic merge's advisory lock class (first key): "ORD4" as a 32-bit integer.
MERGE_LOCK_CLASS = 0x4F524434

_NO_MONEY = literal(Decimal("0.00"))
# an order that stands: not merged or split away (``Order.retired``)
_standing = and_(orders.c.merged_into.is_(None), orders.c.split_into == literal([], ARRAY(Uuid)))


def _shop_group(group_of: ShopGroupOf, grouped: Mapping[UUID, str]) -> ColumnElement[str]:
    """An order's shop group in SQL, as ``group_of`` names it in Python: the group's code
    for a channel in ``grouped`` (the catalog's, read in this transaction), else the
    channel's id — the coalesce of the two (an order of no channel: ``same_shop(None)``)."""
    channel = orders.c.channel_id
    own: ColumnElement[str] = sql_cast(channel, Text)
    if grouped:
        own = case({cid: group_of(cid) for cid in grouped}, value=channel, else_=own)
    return func.coalesce(own, literal(same_shop(None)))


def merge_due(now: datetime, wait_minutes: Any) -> ColumnElement[bool]:
    """Orders the automatic merge may take at ``now``: still mergeable (paid, awaiting
    review or approved, neither merged nor split, no refund requested, of a customer), and
    past their wait — a rule's (``merge_after``) or else ``wait_minutes`` from payment
    (the tenant's setting: a number, a column, or None for none)."""
    c = orders.c
    due_at: Any = c.merge_after
    if wait_minutes is not None:
        wait = c.paid_at + func.make_interval(0, 0, 0, 0, 0, wait_minutes)
        due_at = func.coalesce(c.merge_after, wait)
    return and_(
        _standing,
        c.status.in_(MERGEABLE),
        c.refund_requested.is_(False),
        c.customer_id.is_not(None),
        due_at <= now,
    )


# A tenant's rule set by version, as parsed (a version never changes once stored): every
# payment, release and page of a review reads the current one, and parsing and checking
# 50 rules again each time cost ~3 ms. Emptied when it holds as many as this.
_PARSED_RULE_SETS: dict[tuple[UUID, int], RuleSet] = {}
_MAX_PARSED_RULE_SETS = 1000

# One block per database this process writes to (tests use several).
_NUMBERS: dict[str, _NumberBlock] = {}
_ORDER_COLUMNS = [c for c in orders.c if c.name != "tenant_id"]


# --- values to and from JSON -----------------------------------------------------------


def _rule(ref: RuleRef | None) -> dict[str, Any] | None:
    return {"id": ref.rule_id, "version": ref.version} if ref else None


def _rule_of(value: Mapping[str, Any] | None) -> RuleRef | None:
    return RuleRef(value["id"], value["version"]) if value else None


def _hold(hold: Hold | None) -> dict[str, Any] | None:
    if hold is None:
        return None
    return {
        "reason": hold.reason,
        "since": hold.since.isoformat(),
        "until": hold.until.isoformat() if hold.until else None,
        "rule": _rule(hold.rule),
    }


def _hold_of(value: Mapping[str, Any] | None) -> Hold | None:
    if value is None:
        return None
    until = value.get("until")
    return Hold(
        value["reason"],
        datetime.fromisoformat(value["since"]),
        datetime.fromisoformat(until) if until else None,
        _rule_of(value.get("rule")),
    )


def _abnormality(a: Abnormality) -> dict[str, Any]:
    return {
        "type": a.type.value,
        "since": a.since.isoformat(),
        "note": a.note,
        "detail": dict(a.detail),
        "riskScore": a.risk_score,
        "riskReasons": list(a.risk_reasons),
        "rule": _rule(a.rule),
    }


def _abnormality_of(value: Mapping[str, Any]) -> Abnormality:
    return Abnormality(
        AbnormalType(value["type"]),
        datetime.fromisoformat(value["since"]),
        value.get("note"),
        dict(value.get("detail") or {}),
        value.get("riskScore"),
        tuple(value.get("riskReasons") or ()),
        _rule_of(value.get("rule")),
    )


def _invoice(invoice: InvoiceRequest | None) -> dict[str, Any] | None:
    if invoice is None:
        return None
    return {"kind": invoice.kind.value, "title": invoice.title, "taxNumber": invoice.tax_number}


def _invoice_of(value: Mapping[str, Any] | None) -> InvoiceRequest | None:
    if value is None:
        return None
    return InvoiceRequest(InvoiceKind(value["kind"]), value["title"], value.get("taxNumber"))


def _receiver_json(receiver: Receiver) -> str:
    a = receiver.address
    return json_text(
        {
            "name": receiver.name,
            "phone": receiver.phone,
            "province": a.province,
            "city": a.city,
            "district": a.district,
            "line": a.line,
            "postalCode": a.postal_code,
        }
    )


def _receiver_of(text: str | None) -> Receiver:
    if text is None:  # did not decrypt: shown empty, named in the unreadable values
        return Receiver("", "", ShippingAddress("", "", "", ""))
    value = msgspec.json.decode(text)
    address = ShippingAddress(
        value["province"], value["city"], value["district"], value["line"], value.get("postalCode")
    )
    return Receiver(value["name"], value["phone"], address)


def _units(value: Mapping[UUID, int]) -> dict[str, int]:
    return {str(k): v for k, v in value.items()}


def _units_of(value: Mapping[str, int]) -> dict[UUID, int]:
    return {UUID(k): int(v) for k, v in value.items()}


# --- the one INSERT of a new order, built once from the tables' metadata ------------------
# Hand-written (text) rather than Core's multi-row VALUES: Core compiles a new statement for
# each row count, a tenth of a placement's time (measured: bench/orders_place.py); this one
# is the same text every time, so asyncpg prepares it once per connection. Each child table
# is one unnest over column arrays (zero rows when the arrays are empty).

_PG = postgresql.dialect()  # type: ignore[no-untyped-call]
_CHILDREN = (order_lines, order_discounts, order_payments, order_refunds)


def _type(column: Any) -> str:
    return str(column.type.compile(dialect=_PG))


def _is_json(column: Any) -> bool:
    return isinstance(column.type, JSONB)


def _is_array(column: Any) -> bool:
    return isinstance(column.type, ARRAY)


def _columns(table: Any) -> list[Any]:
    return [c for c in table.c if c.name != "tenant_id"]


def _unnest_insert(table: Any, one: bool = False) -> str:
    """``INSERT INTO table`` of rows bound as one array per column (``:<table>_<column>``;
    JSON and array values as JSON text, one element a row), the tenant's; with ``one``, of
    one row bound as one value per column (the driver encodes an array parameter at several
    times a plain value's cost: bench/README.md, P1)."""
    columns = _columns(table)
    names = ", ".join(c.name for c in columns)

    def bound(c: Any) -> str:
        kind = "text" if _is_json(c) or _is_array(c) else _type(c)
        return f"CAST(:{table.name}_{c.name} AS {kind}{'' if one else '[]'})"

    def picked(c: Any) -> str:
        if _is_json(c):
            return f"CAST(v.{c.name} AS jsonb)"
        if _is_array(c):
            elements = f"jsonb_array_elements_text(CAST(v.{c.name} AS jsonb))"
            return f"CAST(ARRAY(SELECT {elements}) AS {_type(c)})"
        return f"v.{c.name}"

    values = ", ".join(bound(c) for c in columns)
    rows = f"(SELECT {values})" if one else f"unnest({values})"
    return (
        f"INSERT INTO {table.name} (tenant_id, {names})"
        f" SELECT CAST(:tenant_id AS uuid), {', '.join(picked(c) for c in columns)}"
        f" FROM {rows} AS v({names})"
    )


@functools.cache
def _insert_orders(one: bool, children: tuple[str, ...]) -> DriverStatement:
    """Orders with their lines, discounts, payments, refunds, platform ids, timelines and
    analytics rollups, as many as given, in one statement: data-modifying CTEs of the
    timeline's INSERT (foreign keys are checked at the statement's end, when every row is
    there) — the order's row as plain values when there is ``one``, and only the child
    tables named in ``children`` (those with rows): a placement of a one-line order binds
    76 parameters, 33 of them arrays, not 98 arrays. At most 64 texts, each prepared once
    a connection (decisions 82 and 99)."""
    tables = [_BY_NAME[name] for name in children]
    parts = [f"new_orders AS ({_unnest_insert(orders, one)})"]
    parts += [f"new_{t.name} AS ({_unnest_insert(t)})" for t in tables]
    parts.append(f"new_rollups AS ({rollups.upsert_many_sql()})")  # analytics (ORD-10)
    return DriverStatement(text(f"WITH {', '.join(parts)} {_unnest_insert(order_timeline)}"))


_BY_NAME = {t.name: t for t in (orders, *_CHILDREN, order_platform_ids, order_timeline)}
# Per table, each column's array parameter, name and whether it travels as JSON text.
_ARRAYS = {
    name: [(f"{name}_{c.name}", c.name, _is_json(c) or _is_array(c)) for c in _columns(table)]
    for name, table in _BY_NAME.items()
}

_UPSERT_ROLLUPS = DriverStatement(text(rollups.upsert_many_sql()))


# What the risk score counts (risk.py) for many orders at once: per order, the customer's
# earlier orders (not merged away) and their average, and the orders to the same receiver
# or phone within the window before it; cancelled orders and the order itself not counted.
_HISTORIES = text(
    "SELECT v.n,"
    " count(c.id) FILTER (WHERE c.customer_id = v.customer_id AND c.merged_into IS NULL)"
    " AS mine,"
    " avg(c.total) FILTER (WHERE c.customer_id = v.customer_id AND c.merged_into IS NULL)"
    " AS average,"
    " count(c.id) FILTER (WHERE c.receiver_bidx = v.match AND c.placed_at"
    " BETWEEN v.placed_at - CAST(:window AS interval) AND v.placed_at) AS address,"
    " count(c.id) FILTER (WHERE c.phone_bidx = v.phone AND c.placed_at"
    " BETWEEN v.placed_at - CAST(:window AS interval) AND v.placed_at) AS phone"
    " FROM unnest(CAST(:ids AS uuid[]), CAST(:customers AS uuid[]), CAST(:matches AS bytea[]),"
    " CAST(:phones AS bytea[]), CAST(:placed AS timestamptz[]))"
    " WITH ORDINALITY AS v(id, customer_id, match, phone, placed_at, n)"
    " LEFT JOIN orders c ON c.tenant_id = CAST(:tenant_id AS uuid) AND c.id <> v.id"
    " AND c.status <> 'cancelled'"
    " AND (c.customer_id = v.customer_id OR c.receiver_bidx = v.match OR c.phone_bidx = v.phone)"
    " GROUP BY v.n ORDER BY v.n"
)


# An earlier order to the same receiver with the same SKUs (gifts aside), per order of a
# page: each a row of the unnest'ed arrays (its SKUs as their sorted ids, joined by ",").
_LIKELY_DUPLICATES = text(
    "SELECT v.n, (SELECT c.number FROM orders c"
    " WHERE c.tenant_id = CAST(:tenant_id AS uuid) AND c.id <> v.id"
    " AND c.status <> 'cancelled' AND c.merged_into IS NULL AND c.receiver_bidx = v.match"
    " AND c.placed_at BETWEEN v.placed_at - CAST(:window AS interval) AND v.placed_at"
    " AND (SELECT string_agg(DISTINCT CAST(l.sku_id AS text), ',' ORDER BY CAST(l.sku_id AS text))"
    " FROM order_lines l WHERE l.tenant_id = c.tenant_id AND l.order_id = c.id AND NOT l.gift)"
    " = v.skus ORDER BY c.placed_at DESC, c.id DESC LIMIT 1) AS duplicate"
    " FROM unnest(CAST(:ids AS uuid[]), CAST(:matches AS bytea[]),"
    " CAST(:placed AS timestamptz[]), CAST(:skus AS text[]))"
    " WITH ORDINALITY AS v(id, match, placed_at, skus, n)"
    " ORDER BY v.n"
)


def _values(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """One row of a table as ``_arrays`` names its columns, one value each."""
    return {
        key: page_update.as_json(row[name]) if as_json else row[name]
        for key, name, as_json in _ARRAYS[table]
    }


def _arrays(table: str, rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Rows of a table as one array per column, named ``<table>_<column>`` (JSON and array
    values as JSON text; each column's parameter name and kind worked out once for the
    process, ``_ARRAYS``)."""
    arrays = {}
    for key, name, as_json in _ARRAYS[table]:
        if as_json:
            arrays[key] = [page_update.as_json(r[name]) for r in rows]
        else:
            arrays[key] = [r[name] for r in rows]
    return arrays


# A child table's rows of many orders (a page saved at once) in one statement.
_INSERT_CHILDREN = {t.name: json_rows.ChildRows(t) for t in (*_CHILDREN, order_timeline)}
# The lines of orders whose lines changed, rewritten (their discounts go with them).
_DELETE_LINES = DriverStatement(
    text(
        "DELETE FROM order_lines WHERE tenant_id = CAST(:tenant_id AS uuid)"
        " AND order_id = ANY(CAST(:ids AS uuid[]))"
    )
)


class _Stored(NamedTuple):
    """What this unit of work read or wrote of an order."""

    timeline: int  # entries stored
    payments: frozenset[UUID]
    refunds: frozenset[UUID]
    lines: tuple[OrderLine, ...]  # rewritten only when changed
    counts: Contribution | None  # what it counts in the analytics rollups
    row: Mapping[str, Any] | None  # its ``orders`` columns (None: not known)


class PostgresOrderRepository(EncryptedTenantRepository):
    @cached_property
    def _stored(
        self,
    ) -> dict[UUID, _Stored]:
        """What this unit of work read or wrote of each order: how many timeline entries,
        payments and refunds are stored, its lines (rewritten only when changed) and what
        it counts in the analytics rollups."""
        return {}

    @cached_property
    def _sealed(self) -> dict[UUID, tuple[Receiver, bytes, bytes, bytes]]:
        """The receiver of each order this unit of work read, with its stored ciphertext and
        blind indexes: written back as they are unless the receiver changed (no sealing
        again on every save — and a receiver that did not decrypt is never overwritten)."""
        return {}

    # ---- writes ----------------------------------------------------------------------

    @cached_property
    def _numbers(self) -> _NumberBlock:
        """The process's block of numbers for this database (rendering the engine's URL
        cost more than the rest of taking a number: once a unit of work, not once an
        order)."""
        return _NUMBERS.setdefault(str(self._conn.engine.url), _NumberBlock())

    async def next_number(self, at: datetime) -> str:
        return f"SO{at:%y%m%d}{await self._numbers.take(self._conn):08d}"

    async def last_part(self, number: OrderNumber) -> int:
        candidates = [number.part(i).value for i in range(1, MAX_PARTS + 1)]
        c = orders.c
        taken = await self._conn.scalars(select(c.number).where(c.number.in_(candidates)))
        return max((int(found.rsplit("-", 1)[1]) for found in taken), default=0)

    async def add(self, order: Order, source: str) -> None:
        await self.add_many([order], source)

    async def add_many(self, added: Sequence[Order], source: str) -> None:
        """One statement, prepared once, for every order given: the order rows, their
        lines, discounts, platform ids, payments, refunds and timelines (``_insert_orders``)."""
        if not added:
            return
        rows = [await self._order_row(order, source) for order in added]
        counts = [contribution(order) for order in added]
        platform = [
            {"order_id": o.id, "channel_id": o.channel_id, "platform_order_id": platform_id}
            for o in added
            if o.split_from is None and not o.merged_from and o.channel_id  # came in
            for platform_id in o.platform_order_ids
        ]
        children = {
            "order_lines": [r for o in added for r in self._line_rows(o)],
            "order_discounts": [r for o in added for r in self._discount_rows(o)],
            "order_payments": [r for o in added for r in self._payment_rows(o, frozenset())],
            "order_refunds": [r for o in added for r in self._refund_rows(o, frozenset())],
            "order_platform_ids": platform,
        }
        present = tuple(name for name, child_rows in children.items() if child_rows)
        one = len(rows) == 1
        parameters = {
            "tenant_id": self._tenant_id,
            **(_values("orders", rows[0]) if one else _arrays("orders", rows)),
            **{
                key: value
                for name in present
                for key, value in _arrays(name, children[name]).items()
            },
            **_arrays("order_timeline", [r for o in added for r in self._timeline_rows(o, 0)]),
            **rollups.many_deltas(
                [(o.placed_at, None, now) for o, now in zip(added, counts, strict=True)]
            ),
        }
        try:
            await _insert_orders(one, present).fetch(self._conn, parameters)
        except IntegrityError as error:
            raise_for_constraint(
                error,
                {
                    "order_platform_ids_pkey": lambda: Conflict("order_already_imported"),
                    "orders_tenant_id_channel_id_fkey": lambda: Conflict("order_channel_unknown"),
                    # the same unknown channel, when the platform ids' check fires first
                    "order_platform_ids_tenant_id_channel_id_fkey": lambda: Conflict(
                        "order_channel_unknown"
                    ),
                },
            )
        for order, row, now in zip(added, rows, counts, strict=True):
            self._remember(order, row, now)

    async def _order_row(self, order: Order, source: str) -> dict[str, Any]:
        return {
            **await self._row(order),
            "id": order.id,
            "number": order.number.value,
            "source": source,
            "merged_from": [original.id for original in order.merged_from],
            "currency": order.currency,
            "placed_at": order.placed_at,
            "created_at": order.placed_at,
        }

    async def save(self, order: Order, expected_version: int) -> None:
        row = await self._row(order)
        result = await self._conn.execute(
            self._at_version(orders, order.id, expected_version).values(row)
        )
        one_updated(result.rowcount, expected_version)
        await self._write_children([order], [row])

    async def save_many(self, changes: Sequence[tuple[Order, int]]) -> None:
        """Every order in one UPDATE (one unnest of column arrays, each row at its own
        expected version) of the columns some order changed (``page_update``), and their
        children in one statement per table: a page of orders reviewed at once writes a
        handful of statements, not a few per order."""
        if not changes:
            return
        rows = [await self._row(order) for order, _ in changes]
        kept = [self._stored.get(order.id) for order, _ in changes]
        names = page_update.changed_columns(rows, [k.row if k else None for k in kept])
        parameters: dict[str, Any] = {
            "tenant_id": self._tenant_id,
            "ids": [order.id for order, _ in changes],
            "expected": [version for _, version in changes],
            **page_update.parameters(names, rows),
        }
        updated = await page_update.update_many(names).fetch(self._conn, parameters)
        found = {row["id"] for row in updated}
        for order, version in changes:
            if order.id not in found:
                raise StaleVersion(expected=version)
        await self._write_children([order for order, _ in changes], rows)

    async def _receiver_columns(self, order: Order) -> tuple[bytes, bytes, bytes]:
        """The receiver sealed, and its blind indexes (as read, when it is unchanged)."""
        receiver = order.receiver
        sealed = self._sealed.get(order.id)
        if sealed is not None and sealed[0] == receiver:
            return sealed[1], sealed[2], sealed[3]
        text = _receiver_json(receiver)
        return (
            await self._cipher.encrypt(self._tenant_id, RECEIVER, order.id, text),
            *await self._blind(order),
        )

    async def _blind(self, order: Order) -> tuple[bytes, bytes]:
        """The blind indexes of the receiver (name + phone + address, and the phone), as
        read when it is unchanged."""
        tenant, receiver = self._tenant_id, order.receiver
        sealed = self._sealed.get(order.id)
        if sealed is not None and sealed[0] == receiver:
            return sealed[2], sealed[3]
        match = "|".join(receiver.match_key())
        phone = "".join(receiver.phone.split())
        return (
            await self._cipher.blind_index(tenant, RECEIVER_MATCH, match),
            await self._cipher.blind_index(tenant, PHONE, phone),
        )

    async def _row(self, order: Order) -> dict[str, Any]:
        """The ``orders`` columns an update writes (all but the ones fixed at creation)."""
        sealed, match, phone = await self._receiver_columns(order)
        return {
            "status": order.status.value,
            "resume_status": order.resume_status.value if order.resume_status else None,
            "channel_id": order.channel_id,
            "platform_order_ids": list(order.platform_order_ids),
            "customer_id": order.customer_id,
            "receiver_enc": sealed,
            "receiver_bidx": match,
            "phone_bidx": phone,
            "shipping_fee": order.shipping_fee,
            "total": order.total,
            "buyer_message": order.buyer_message,
            "seller_memo": order.seller_memo.text,
            "memo_flag": order.seller_memo.flag.value,
            "invoice": _invoice(order.invoice),
            "cash_on_delivery": order.cash_on_delivery,
            "paid_at": order.paid_at,
            "refund_requested": order.refund_requested,
            "hold": _hold(order.hold),
            "hold_until": order.hold.until if order.hold else None,
            "abnormalities": [_abnormality(a) for a in order.abnormalities],
            "awaiting_stock": any(a.type is AbnormalType.OUT_OF_STOCK for a in order.abnormalities),
            "warehouse_id": order.warehouse_id,
            "carrier": order.carrier,
            "merge_after": order.merge_after,
            "shipped": _units(order.shipped_quantities),
            "reserved": _units(order.reserved),
            "reservation_ids": list(order.reservation_ids),
            "merged_into": order.merged_into,
            "split_from": order.split_from,
            "split_into": list(order.split_into),
            "priority": order.priority,
            "due_at": order.due_at,
            "province": order.receiver.address.province,
            "version": order.version,
            "updated_at": order.timeline[-1].at if order.timeline else order.placed_at,
        }

    def _line_rows(self, order: Order) -> list[dict[str, Any]]:
        return [
            {
                "order_id": order.id,
                "id": line.id,
                "position": position,
                "sku_id": line.sku_id,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "tax": line.tax,
                "title": line.title,
                "platform_order_id": line.platform_order_id,
                "platform_sub_order_id": line.platform_sub_order_id,
                "unit_weight_grams": line.unit_weight_grams,
                "presale": line.presale,
                "gift": line.gift,
                "warehouse_id": line.warehouse_id,
                "gift_rule": line.gift_rule,
            }
            for position, line in enumerate(order.lines)
        ]

    def _discount_rows(self, order: Order) -> list[dict[str, Any]]:
        return [
            {
                "order_id": order.id,
                "line_id": line.id,
                "position": position,
                "amount": discount.amount,
                "source": discount.source,
                "reason": discount.reason,
            }
            for line in order.lines
            for position, discount in enumerate(line.discounts)
        ]

    def _payment_rows(self, order: Order, stored: frozenset[UUID]) -> list[dict[str, Any]]:
        return [
            {
                "order_id": order.id,
                "id": p.id,
                "method": p.method.value,
                "amount": p.amount,
                "paid_at": p.paid_at,
                "transaction_id": p.transaction_id,
            }
            for p in order.payments
            if p.id not in stored
        ]

    def _refund_rows(self, order: Order, stored: frozenset[UUID]) -> list[dict[str, Any]]:
        return [
            {
                "order_id": order.id,
                "id": r.id,
                "payment_id": r.payment_id,
                "amount": r.amount,
                "reason": r.reason,
                "refunded_at": r.refunded_at,
                "transaction_id": r.transaction_id,
            }
            for r in order.refunds
            if r.id not in stored
        ]

    def _timeline_rows(self, order: Order, stored: int) -> list[dict[str, Any]]:
        return [
            {
                "order_id": order.id,
                "seq": seq,
                "at": e.at,
                "actor": e.actor,
                "kind": e.kind,
                "reason": e.reason,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "rule_id": e.rule.rule_id if e.rule else None,
                "rule_version": e.rule.version if e.rule else None,
                "detail": dict(e.detail),
            }
            for seq, e in enumerate(order.timeline[stored:], start=stored + 1)
        ]

    async def _write_children(
        self, saved: Sequence[Order], rows: Sequence[Mapping[str, Any]]
    ) -> None:
        """What the orders gained since they were read — timeline entries, payments,
        refunds — and their lines and discounts rewritten where the lines changed: one
        statement per table for all of them. ``rows``: the orders' columns as written."""
        empty = _Stored(0, frozenset(), frozenset(), (), None, None)
        stored = {order.id: self._stored.get(order.id, empty) for order in saved}
        counts = [contribution(order) for order in saved]
        moved = [
            (order.placed_at, stored[order.id].counts, now)
            for order, now in zip(saved, counts, strict=True)
            if now != stored[order.id].counts
        ]
        if moved:  # the analytics rollups follow what the orders now count (ORD-10)
            parameters = {"tenant_id": self._tenant_id, **rollups.many_deltas(moved)}
            await _UPSERT_ROLLUPS.fetch(self._conn, parameters)
        relined = [order for order in saved if order.lines != stored[order.id].lines]
        if relined:
            ids = [order.id for order in relined]
            await _DELETE_LINES.fetch(self._conn, {"tenant_id": self._tenant_id, "ids": ids})
        written = (
            (order_lines, [r for order in relined for r in self._line_rows(order)]),
            (order_discounts, [r for order in relined for r in self._discount_rows(order)]),
            (
                order_payments,
                [r for o in saved for r in self._payment_rows(o, stored[o.id].payments)],
            ),
            (order_refunds, [r for o in saved for r in self._refund_rows(o, stored[o.id].refunds)]),
            (
                order_timeline,
                [r for o in saved for r in self._timeline_rows(o, stored[o.id].timeline)],
            ),
        )
        for table, table_rows in written:
            if table_rows:
                await _INSERT_CHILDREN[table.name].insert(self._conn, self._tenant_id, table_rows)
        for order, row, now in zip(saved, rows, counts, strict=True):
            self._remember(order, row, now)

    def _remember(
        self, order: Order, row: Mapping[str, Any] | None, counts: Contribution | None
    ) -> None:
        """``row``: its ``orders`` columns as read or written; ``counts``: its
        ``contribution``."""
        self._stored[order.id] = _Stored(
            len(order.timeline),
            frozenset(p.id for p in order.payments),
            frozenset(r.id for r in order.refunds),
            order.lines,
            counts,
            row,
        )

    # The rule set read once a transaction (a page of a channel's orders reviews them all
    # with it); saving a new version in the transaction replaces it.
    _rules: RuleSet | None = None

    async def rule_set(self) -> RuleSet:
        if self._rules is None:
            self._rules = await self._current_rule_set()
        return self._rules

    async def _current_rule_set(self) -> RuleSet:
        """The current version, parsed once per process (``_PARSED_RULE_SETS``)."""
        r = order_rule_sets.c
        row = await self._first(
            select(r.version, r.rules)
            .where(r.tenant_id == self._tenant_id)
            .order_by(r.version.desc())
            .limit(1)
        )
        if row is None:
            return RuleSet.empty()
        key = (self._tenant_id, row.version)
        parsed = _PARSED_RULE_SETS.get(key)
        if parsed is None:
            if len(_PARSED_RULE_SETS) >= _MAX_PARSED_RULE_SETS:
                _PARSED_RULE_SETS.clear()
            parsed = RuleSet.from_dict({"version": row.version, "rules": row.rules})
            _PARSED_RULE_SETS[key] = parsed
        return parsed

    async def add_rule_set(self, rule_set: RuleSet, actor: str, at: datetime) -> None:
        try:
            await self._insert(
                order_rule_sets,
                {
                    "version": rule_set.version,
                    "rules": rule_set.to_dict()["rules"],
                    "created_by": actor,
                    "created_at": at,
                },
            )
        except IntegrityError as error:
            raise_for_constraint(
                error,
                {"order_rule_sets_pkey": lambda: StaleVersion(expected=rule_set.version - 1)},
            )
        self._rules = rule_set

    @asynccontextmanager
    async def attempt(self) -> AsyncIterator[None]:
        async with self._conn.begin_nested():
            yield

    async def unpaid_minutes(self) -> int:
        value = await self._conn.scalar(
            select(order_settings.c.unpaid_minutes).where(
                order_settings.c.tenant_id == self._tenant_id
            )
        )
        return int(value) if value is not None else DEFAULT_UNPAID_MINUTES

    async def set_unpaid_minutes(self, minutes: int, at: datetime) -> None:
        await self._put_setting("unpaid_minutes", minutes, at)

    async def merge_wait_minutes(self) -> int | None:
        return await self._conn.scalar(
            select(order_settings.c.merge_wait_minutes).where(
                order_settings.c.tenant_id == self._tenant_id
            )
        )

    async def set_merge_wait_minutes(self, minutes: int | None, at: datetime) -> None:
        await self._put_setting("merge_wait_minutes", minutes, at)

    async def risk_policy(self) -> RiskPolicy:
        stored = await self._conn.scalar(
            select(order_settings.c.risk_policy).where(
                order_settings.c.tenant_id == self._tenant_id
            )
        )
        return RiskPolicy() if stored is None else RiskPolicy.of_figures(stored)

    async def set_risk_policy(self, policy: RiskPolicy, at: datetime) -> None:
        await self._put_setting("risk_policy", policy.figures(), at)

    async def _put_setting(self, column: str, value: object, at: datetime) -> None:
        """One of the tenant's order settings (its row made on the first)."""
        statement = pg_insert(order_settings).values(
            {"tenant_id": self._tenant_id, column: value, "updated_at": at}
        )
        await self._conn.execute(
            statement.on_conflict_do_update(
                index_elements=[order_settings.c.tenant_id],
                set_={column: value, "updated_at": at, "version": order_settings.c.version + 1},
            )
        )

    # ---- reads -----------------------------------------------------------------------

    async def get(self, order_id: UUID, *, for_update: bool = False) -> StoredOrder | None:
        query = select(*_ORDER_COLUMNS).where(self._row_of(orders, order_id))
        row = await self._first(query.with_for_update() if for_update else query)
        if row is None:
            return None
        return (await self._orders([row]))[0]

    async def many(self, order_ids: Sequence[UUID]) -> list[StoredOrder]:
        if not order_ids:
            return []
        rows = await self._conn.execute(
            select(*_ORDER_COLUMNS).where(
                orders.c.tenant_id == self._tenant_id, orders.c.id.in_(list(order_ids))
            )
        )
        found = {stored.order.id: stored for stored in await self._orders(rows.all())}
        return [found[i] for i in order_ids if i in found]

    async def by_platform_id(self, channel_id: UUID, platform_order_id: str) -> UUID | None:
        p = order_platform_ids.c
        found = await self._conn.scalar(
            select(p.order_id).where(
                p.tenant_id == self._tenant_id,
                p.channel_id == channel_id,
                p.platform_order_id == platform_order_id,
            )
        )
        return found if isinstance(found, UUID) else None

    async def by_platform_ids(
        self, channel_id: UUID, platform_order_ids: Sequence[str]
    ) -> dict[str, UUID]:
        if not platform_order_ids:
            return {}
        p = order_platform_ids.c
        rows = await self._conn.execute(
            select(p.platform_order_id, p.order_id).where(
                p.tenant_id == self._tenant_id,
                p.channel_id == channel_id,
                p.platform_order_id.in_(list(platform_order_ids)),
            )
        )
        return {r.platform_order_id: r.order_id for r in rows}

    async def page(
        self, where: OrderFilter, after: OrderPosition | None, limit: int
    ) -> list[StoredOrder]:
        c = orders.c
        conditions: list[ColumnElement[bool]] = [c.tenant_id == self._tenant_id]
        if where.status is not None:
            conditions.append(c.status == where.status.value)
        if where.channel_id is not None:
            conditions.append(c.channel_id == where.channel_id)
        if where.customer_id is not None:
            conditions.append(c.customer_id == where.customer_id)
        if where.source is not None:
            conditions.append(c.source == where.source)
        if where.placed_from is not None:
            conditions.append(c.placed_at >= where.placed_from)
        if where.placed_to is not None:
            conditions.append(c.placed_at < where.placed_to)
        if where.live:
            conditions.append(_standing)
        if after is not None:
            conditions.append(tuple_(c.placed_at, c.id) < tuple_(after.placed_at, after.order_id))
        rows = await self._conn.execute(
            select(*_ORDER_COLUMNS)
            .where(and_(true(), *conditions))
            .order_by(c.placed_at.desc(), c.id.desc())
            .limit(limit)
        )
        return await self._orders(rows.all())

    async def customer_totals(self, customer_id: UUID) -> CustomerTotals:
        c, p, r = orders.c, order_payments.c, order_refunds.c
        counted = and_(
            c.tenant_id == self._tenant_id,
            c.customer_id == customer_id,
            c.status != OrderStatus.CANCELLED.value,
            _standing,
        )
        received = (
            select(func.coalesce(func.sum(p.amount), 0))
            .where(p.tenant_id == c.tenant_id, p.order_id == c.id)
            .scalar_subquery()
        )
        refunded = (
            select(func.coalesce(func.sum(r.amount), 0))
            .where(r.tenant_id == c.tenant_id, r.order_id == c.id)
            .scalar_subquery()
        )
        row = (
            await self._conn.execute(
                select(
                    func.count(),
                    func.coalesce(func.sum(c.total), _NO_MONEY),
                    func.coalesce(func.sum(received - refunded), _NO_MONEY),
                    func.min(c.placed_at),
                    func.max(c.placed_at),
                ).where(counted)
            )
        ).one()
        return CustomerTotals(int(row[0]), Decimal(row[1]), Decimal(row[2]), row[3], row[4])

    async def histories(self, found: Sequence[Order], window: timedelta) -> list[CustomerHistory]:
        """One statement for all the orders: each order a row of the unnest'ed arrays,
        joined to the orders of its customer, receiver or phone (by blind index)."""
        if not found:
            return []
        keys = [await self._blind(order) for order in found]
        rows = await self._conn.execute(
            _HISTORIES,
            {
                "tenant_id": self._tenant_id,
                "window": window,
                "ids": [order.id for order in found],
                "customers": [order.customer_id for order in found],
                "matches": [match for match, _ in keys],
                "phones": [phone for _, phone in keys],
                "placed": [order.placed_at for order in found],
            },
        )
        histories = []
        for row in rows:
            average = (
                Decimal(row.average).quantize(Decimal("0.01")) if row.average is not None else None
            )
            histories.append(
                CustomerHistory(int(row.mine), average, int(row.address), int(row.phone), window)
            )
        return histories

    async def likely_duplicates(
        self, found: Sequence[Order], window: timedelta
    ) -> list[str | None]:
        if not found:
            return []
        rows = await self._conn.execute(
            _LIKELY_DUPLICATES,
            {
                "tenant_id": self._tenant_id,
                "window": window,
                "ids": [order.id for order in found],
                "matches": [(await self._blind(order))[0] for order in found],
                "placed": [order.placed_at for order in found],
                "skus": [
                    ",".join(sorted({str(line.sku_id) for line in order.lines if not line.gift}))
                    for order in found
                ],
            },
        )
        return [row.duplicate for row in rows]

    async def lock_unpaid_due(self, placed_before: datetime, limit: int) -> list[Order]:
        return await self._lock(and_(unpaid(), orders.c.placed_at < placed_before), limit)

    async def lock_holds_due(self, now: datetime, limit: int) -> list[Order]:
        return await self._lock(hold_due(now), limit, orders.c.hold_until)

    async def lock_delivered_before(self, cutoff: datetime, limit: int) -> list[Order]:
        return await self._lock(delivered_before(cutoff), limit)

    async def lock_awaiting_stock(self, limit: int) -> list[Order]:
        return await self._lock(awaiting_stock(), limit)

    async def count(self) -> int:
        counted = select(func.count()).where(orders.c.tenant_id == self._tenant_id)
        return int(await self._conn.scalar(counted) or 0)

    async def refresh_report_fields(
        self, after: UUID | None, limit: int
    ) -> tuple[int, UUID | None]:
        """Rows read in id order, their receivers decrypted (SQL cannot read a province
        out of a sealed receiver); only the rows whose fields differ are written."""
        c = orders.c
        where = [c.tenant_id == self._tenant_id, *([c.id > after] if after else [])]
        rows = (
            await self._conn.execute(
                select(*_ORDER_COLUMNS).where(*where).order_by(c.id).limit(limit)
            )
        ).all()
        stale = [
            {"b_id": s.order.id, "b_province": province, "b_due": s.order.due_at}
            for row, s in zip(rows, await self._orders(rows), strict=True)
            if (province := s.order.receiver.address.province) != row.province
            or s.order.due_at != row.due_at
        ]
        if stale:
            await self._conn.execute(
                update(orders)
                .where(c.tenant_id == self._tenant_id, c.id == bindparam("b_id"))
                .values(province=bindparam("b_province"), due_at=bindparam("b_due")),
                stale,
            )
        return len(rows), rows[-1].id if rows else None

    async def lock_merge_groups(
        self, now: datetime, limit: int, shop_groups: Mapping[UUID, str]
    ) -> list[list[StoredOrder]]:
        """Up to ``limit`` groups of two or more orders due to merge automatically, of one
        customer, shop group and receiver (blind index), locked. One run at a time per
        tenant (a transaction advisory lock, tried: a second run finds nothing to do), so a
        group is never cut between two runs; an order a person's merge holds is skipped."""
        taken = await self._conn.scalar(
            select(
                func.pg_try_advisory_xact_lock(
                    MERGE_LOCK_CLASS, func.hashtext(str(self._tenant_id))
                )
            )
        )
        if not taken:
            return []
        c = orders.c
        due = and_(c.tenant_id == self._tenant_id, merge_due(now, await self.merge_wait_minutes()))
        group_of = in_shop_groups(shop_groups)
        key = (c.customer_id, _shop_group(group_of, shop_groups), c.receiver_bidx)
        groups = select(*key).where(due).group_by(*key).having(func.count() >= 2).limit(limit)
        rows = await self._conn.execute(
            select(*_ORDER_COLUMNS)
            .where(due, tuple_(*key).in_(groups))
            .order_by(*key, c.paid_at, c.id)
            .with_for_update(skip_locked=True)
        )
        found: dict[tuple[Any, ...], list[StoredOrder]] = {}
        listed = rows.all()
        for row, stored in zip(listed, await self._orders(listed), strict=True):
            group = (row.customer_id, group_of(row.channel_id), bytes(row.receiver_bidx))
            found.setdefault(group, []).append(stored)
        return [group for group in found.values() if len(group) >= 2]

    async def lock_awaiting_review(
        self, after: OrderPosition | None, limit: int, down_to: OrderPosition | None = None
    ) -> list[Order]:
        """A review's page, newest first, read whole in one statement (``whole``)."""
        values: dict[str, Any] = {"tenant_id": self._tenant_id, "limit": limit}
        if after is not None:
            values.update(placed_at=after.placed_at, order_id=after.order_id)
        if down_to is not None:
            values.update(low_placed_at=down_to.placed_at, low_order_id=down_to.order_id)
        statement = whole.AWAITING_REVIEW[after is not None, down_to is not None]
        found = []
        for record in await statement.fetch(self._conn, values):
            read = whole.Whole(record)
            order = await self._order(
                read.row, read.lines, read.discounts, read.payments, read.refunds, read.timeline
            )
            self._remember(order, read.row._asdict(), contribution(order))
            found.append(order)
        return found

    async def waiting_ranges(self, size: int) -> tuple[int, list[OrderPosition]]:
        values = {"tenant_id": self._tenant_id, "size": size}
        rows = await whole.WAITING_RANGES.fetch(self._conn, values)
        ends = [OrderPosition(r["placed_at"], r["id"]) for r in rows]
        return (int(rows[0]["total"]) if rows else 0), ends

    async def _lock(self, condition: ColumnElement[bool], limit: int, *first: Any) -> list[Order]:
        """A sweep's batch: the tenant's orders meeting ``condition``, ``first`` first (by
        default the oldest placed), locked for this transaction; one another transaction
        holds is skipped (two schedulers never take the same one)."""
        rows = await self._conn.execute(
            select(*_ORDER_COLUMNS)
            .where(orders.c.tenant_id == self._tenant_id, condition)
            .order_by(*(first or (orders.c.placed_at,)))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [stored.order for stored in await self._orders(rows.all())]

    async def _orders(self, rows: Sequence[AnyRow]) -> list[StoredOrder]:
        """The orders of ``rows`` with their children: one query per child table (5)."""
        if not rows:
            return []
        ids = [row.id for row in rows]
        lines = await self._children(order_lines, ids, (order_lines.c.position,))
        discounts = await self._children(
            order_discounts, ids, (order_discounts.c.line_id, order_discounts.c.position)
        )
        payments = await self._children(order_payments, ids, (order_payments.c.paid_at,))
        refunds = await self._children(order_refunds, ids, (order_refunds.c.refunded_at,))
        timeline = await self._children(order_timeline, ids, (order_timeline.c.seq,))
        found = []
        for row in rows:
            order = await self._order(
                row,
                lines.get(row.id, []),
                discounts.get(row.id, []),
                payments.get(row.id, []),
                refunds.get(row.id, []),
                timeline.get(row.id, []),
            )
            self._remember(order, cast(Mapping[str, Any], row._mapping), contribution(order))
            found.append(StoredOrder(order, row.source, tuple(row.merged_from)))
        return found

    async def _children(
        self, table: Any, ids: list[UUID], order_by: tuple[Any, ...]
    ) -> dict[UUID, list[AnyRow]]:
        rows = await self._conn.execute(
            select(table)
            .where(table.c.tenant_id == self._tenant_id, table.c.order_id.in_(ids))
            .order_by(*order_by)
        )
        grouped: dict[UUID, list[AnyRow]] = {}
        for row in rows:
            grouped.setdefault(row.order_id, []).append(row)
        return grouped

    async def _order(
        self,
        row: Any,
        line_rows: Sequence[Any],
        discount_rows: Sequence[Any],
        payment_rows: Sequence[Any],
        refund_rows: Sequence[Any],
        timeline_rows: Sequence[Any],
    ) -> Order:
        """An order from its row and its children's (SQLAlchemy's rows, or ``whole``'s
        named tuples: read by attribute either way)."""
        sealed = bytes(row.receiver_enc)
        plain = await self._unreadable.open(
            self._cipher, self._tenant_id, ENTITY, RECEIVER, row.id, sealed
        )
        receiver = _receiver_of(plain)
        self._sealed[row.id] = (receiver, sealed, bytes(row.receiver_bidx), bytes(row.phone_bidx))
        by_line: dict[UUID, list[Discount]] = {}
        for d in discount_rows:
            by_line.setdefault(d.line_id, []).append(
                Discount(Decimal(d.amount), d.source, d.reason)
            )
        lines = tuple(
            OrderLine(
                id=li.id,
                sku_id=li.sku_id,
                quantity=int(li.quantity),
                unit_price=Decimal(li.unit_price),
                discounts=tuple(by_line.get(li.id, ())),
                tax=Decimal(li.tax),
                title=li.title,
                platform_order_id=li.platform_order_id,
                platform_sub_order_id=li.platform_sub_order_id,
                unit_weight_grams=li.unit_weight_grams,
                presale=li.presale,
                gift=li.gift,
                warehouse_id=li.warehouse_id,
                gift_rule=li.gift_rule,
            )
            for li in line_rows
        )
        # Stored values were validated on the way in: rebuilt as they are.
        return Order(
            id=row.id,
            number=OrderNumber(row.number),
            currency=row.currency,
            lines=lines,
            receiver=receiver,
            placed_at=row.placed_at,
            status=OrderStatus(row.status),
            channel_id=row.channel_id,
            platform_order_ids=tuple(row.platform_order_ids),
            customer_id=row.customer_id,
            shipping_fee=Decimal(row.shipping_fee),
            buyer_message=row.buyer_message,
            seller_memo=SellerMemo(row.seller_memo, FlagColour(row.memo_flag)),
            invoice=_invoice_of(row.invoice),
            cash_on_delivery=row.cash_on_delivery,
            payments=tuple(
                Payment(
                    p.id, PaymentMethod(p.method), Decimal(p.amount), p.paid_at, p.transaction_id
                )
                for p in payment_rows
            ),
            refunds=tuple(
                Refund(
                    r.id,
                    r.payment_id,
                    Decimal(r.amount),
                    r.reason,
                    r.refunded_at,
                    r.transaction_id,
                )
                for r in refund_rows
            ),
            paid_at=row.paid_at,
            refund_requested=row.refund_requested,
            resume_status=OrderStatus(row.resume_status) if row.resume_status else None,
            hold=_hold_of(row.hold),
            abnormalities=tuple(_abnormality_of(a) for a in row.abnormalities),
            warehouse_id=row.warehouse_id,
            carrier=row.carrier,
            merge_after=row.merge_after,
            priority=row.priority,
            shipped_quantities=_units_of(row.shipped),
            reserved=_units_of(row.reserved),
            reservation_ids=tuple(row.reservation_ids),
            merged_into=row.merged_into,
            split_from=row.split_from,
            split_into=tuple(row.split_into),
            timeline=tuple(
                TimelineEntry(
                    e.at,
                    e.actor,
                    e.kind,
                    e.reason,
                    e.from_status,
                    e.to_status,
                    RuleRef(e.rule_id, e.rule_version) if e.rule_id else None,
                    dict(e.detail),
                )
                for e in timeline_rows
            ),
            version=row.version,
        )
