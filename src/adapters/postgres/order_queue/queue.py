"""The work queue's pages and the abnormal queue's counts, read from the orders table
(ORD-8, ORD-5). A page is the ids in the queue's order; the orders module reads them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from uuid import UUID

from sqlalchemy import ColumnElement, and_, any_, func, literal, or_, text, true, tuple_

from adapters.postgres.order_queue.tables import ORDERS
from adapters.postgres.shared.rows import TenantRepository
from application.orders.queue.ports import AbnormalCount, QueueFilter, QueueOrdering
from domain.orders.abnormal import POLICIES, AbnormalType
from domain.shared.errors import ValidationFailed

c = ORDERS.c
_LIVE = and_(c.merged_into.is_(None), func.cardinality(c.split_into) == 0)

_ABNORMAL = text("""
    SELECT a.type, count(*) AS orders,
           count(*) FILTER (WHERE CAST(a.since AS timestamptz)
                            + make_interval(secs => CAST(CAST(:targets AS jsonb)
                                                         ->> a.type AS float))
                            < :now) AS overdue,
           min(CAST(a.since AS timestamptz)) AS oldest
    FROM orders o
    CROSS JOIN LATERAL jsonb_to_recordset(o.abnormalities) AS a(type text, since text)
    WHERE o.tenant_id = CAST(:tenant_id AS uuid) AND o.due_at IS NOT NULL
      AND o.merged_into IS NULL AND cardinality(o.split_into) = 0
    GROUP BY a.type
""")
_TARGETS = json.dumps({t.value: p.target.total_seconds() for t, p in POLICIES.items()})


def _conditions(where: QueueFilter) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if where.statuses:
        found.append(c.status.in_([s.value for s in where.statuses]))
    if where.abnormal_type is not None:
        found.append(c.abnormalities.contains([{"type": where.abnormal_type.value}]))
    if where.channel_id is not None:
        found.append(c.channel_id == where.channel_id)
    if where.warehouse_id is not None:
        found.append(c.warehouse_id == where.warehouse_id)
    if where.flag is not None:
        found.append(c.memo_flag == where.flag.value)
    if where.paid_from is not None:
        found.append(c.paid_at >= where.paid_from)
    if where.paid_to is not None:
        found.append(c.paid_at < where.paid_to)
    if where.amount_min is not None:
        found.append(c.total >= where.amount_min)
    if where.amount_max is not None:
        found.append(c.total <= where.amount_max)
    if where.text:
        words = where.text.strip()
        found.append(
            or_(
                c.number.startswith(words, autoescape=True),
                literal(words) == any_(c.platform_order_ids),
            )
        )
    return found


def _after(ordering: QueueOrdering, key: Sequence[str]) -> ColumnElement[bool]:
    """The rows after the cursor key ``key`` (``queue_key`` in application/orders/queue)."""
    try:
        row_id = UUID(key[-1])
        match ordering:
            case QueueOrdering.PRIORITY:
                priority, at = int(key[0]), datetime.fromisoformat(key[1])
                return or_(
                    c.priority < priority,
                    and_(c.priority == priority, tuple_(c.placed_at, c.id) > tuple_(at, row_id)),
                )
            case QueueOrdering.AMOUNT:
                return tuple_(c.total, c.id) < tuple_(Decimal(key[0]), row_id)
            case QueueOrdering.AGE:
                return tuple_(c.placed_at, c.id) > tuple_(datetime.fromisoformat(key[0]), row_id)
            case QueueOrdering.TIME_LEFT:
                if not key[0]:
                    return and_(c.due_at.is_(None), c.id > row_id)
                due = datetime.fromisoformat(key[0])
                return or_(c.due_at.is_(None), tuple_(c.due_at, c.id) > tuple_(due, row_id))
    except (ValueError, IndexError, InvalidOperation):
        pass
    raise ValidationFailed.single("cursor", "invalid_cursor")


_ORDER_BY = {
    QueueOrdering.PRIORITY: (c.priority.desc(), c.placed_at, c.id),
    QueueOrdering.AMOUNT: (c.total.desc(), c.id.desc()),
    QueueOrdering.AGE: (c.placed_at, c.id),
    QueueOrdering.TIME_LEFT: (c.due_at.asc().nulls_last(), c.id),
}


class PostgresOrderQueue(TenantRepository):
    async def page(
        self,
        where: QueueFilter,
        ordering: QueueOrdering,
        after: Sequence[str] | None,
        limit: int,
    ) -> list[UUID]:
        conditions = [c.tenant_id == self._tenant_id, _LIVE, *_conditions(where)]
        if after is not None:
            conditions.append(_after(ordering, after))
        rows = await self._conn.execute(
            ORDERS.select()
            .with_only_columns(c.id)
            .where(and_(true(), *conditions))
            .order_by(*_ORDER_BY[ordering])
            .limit(limit)
        )
        return [row.id for row in rows]

    async def abnormal_counts(self, now: datetime) -> list[AbnormalCount]:
        rows = await self._conn.execute(
            _ABNORMAL, {"tenant_id": self._tenant_id, "targets": _TARGETS, "now": now}
        )
        found = [
            AbnormalCount(AbnormalType(r.type), int(r.orders), int(r.overdue), r.oldest)
            for r in rows
        ]
        return sorted(found, key=lambda a: list(AbnormalType).index(a.type))
