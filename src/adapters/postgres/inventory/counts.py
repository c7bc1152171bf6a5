"""Count sessions and their lines in Postgres (INV-4).

Entering a count snapshots the book quantity in the same statement that writes the count
(``book`` = the level's on hand at that moment, a subquery of the insert or update), so a
line's count and its book quantity are always of the same instant. A scan adds to the
count in that statement (``counted = counted + n``), never from a figure read before.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    Uuid,
    and_,
    column,
    func,
    literal,
    select,
    table,
    text,
    union,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError

from adapters.postgres.inventory.tables import (
    count_batch_lines,
    count_lines,
    count_serials,
    count_sessions,
    stock_ledger,
    stock_levels,
)
from adapters.postgres.shared.errors import raise_for_constraint
from adapters.postgres.shared.rows import AnyRow, TenantRepository, from_row, one_updated, values_of
from application.inventory.ports import CountedBatch, CountedLine, SerialDifference
from domain.inventory.count import (
    BatchCountLine,
    CountKind,
    CountLine,
    CountSession,
    CountStatus,
)
from domain.shared.errors import NotFound

_COLUMNS = [c for c in count_sessions.c if c.name != "tenant_id"]
# The catalog's SKU codes, for the sheets and reports: read by table name (decisions.md,
# section 29: inventory references the catalog's tables, never its code).
_skus = table("skus", column("tenant_id", Uuid), column("id", Uuid), column("code"))
_NO_SKU = {"count_lines_tenant_id_sku_id_fkey": lambda: NotFound(entity="sku")}


# A batch-managed SKU's count per batch (INV-8): the batches named with their counts and
# the batches on the books there (on hand > 0) not named, counted 0, each with its on hand
# of this statement's instant as its book; the line's book their sum, in the same
# statement. (The line's earlier batch counts are deleted first, by their own statement.)
_RECORD_BATCHES = text("""
    WITH given AS (
        SELECT * FROM unnest(CAST(:batches AS uuid[]), CAST(:counts AS bigint[]))
            AS g(batch_id, counted)
    ),
    books AS (
        SELECT b.batch_id, b.on_hand FROM stock_batch_levels b
        JOIN count_sessions s ON s.tenant_id = b.tenant_id AND s.warehouse_id = b.warehouse_id
        WHERE b.tenant_id = :tenant AND s.id = :count AND b.sku_id = :sku AND b.on_hand > 0
    ),
    written AS (
        INSERT INTO count_batch_lines (tenant_id, count_id, sku_id, batch_id, counted, book)
        SELECT :tenant, :count, :sku, coalesce(g.batch_id, books.batch_id),
            coalesce(g.counted, 0), coalesce(books.on_hand, 0)
        FROM given g FULL JOIN books ON books.batch_id = g.batch_id
        RETURNING book
    )
    UPDATE count_lines SET book = (SELECT coalesce(sum(book), 0) FROM written)
    WHERE tenant_id = :tenant AND count_id = :count AND sku_id = :sku
""")


# A serial-managed SKU's count (INV-4 × INV-8): the serials counted against those in stock
# there at this statement's instant; only where they differ is kept (found: counted, not
# on the books; else on the books, not counted), and the line's book becomes how many
# the books had. (The line's earlier serials are deleted first, by their own statement.)
_RECORD_SERIALS = text("""
    WITH found AS (SELECT DISTINCT unnest(CAST(:serials AS text[])) AS serial),
    books AS (
        SELECT s.serial FROM stock_serials s
        JOIN count_sessions c ON c.tenant_id = s.tenant_id AND c.warehouse_id = s.warehouse_id
        WHERE s.tenant_id = :tenant AND c.id = :count AND s.sku_id = :sku
          AND s.status = 'in_stock'
    ),
    written AS (
        INSERT INTO count_serials (tenant_id, count_id, sku_id, serial, found)
        SELECT :tenant, :count, :sku, coalesce(f.serial, b.serial), f.serial IS NOT NULL
        FROM found f FULL JOIN books b ON b.serial = f.serial
        WHERE f.serial IS NULL OR b.serial IS NULL
    )
    UPDATE count_lines SET book = (SELECT count(*) FROM books)
    WHERE tenant_id = :tenant AND count_id = :count AND sku_id = :sku
""")


# The variance report per batch (INV-4 × INV-8): each batch line with its number and
# expiry, the SKU's code and the batch's on hand there now.
_BATCH_REPORT = text("""
    SELECT bl.sku_id, bl.batch_id, bl.counted, bl.book, bl.posted, k.code AS sku_code,
           b.batch_no, b.expiry_date, coalesce(lv.on_hand, 0) AS on_hand_now
    FROM count_batch_lines bl
    JOIN count_sessions c ON c.tenant_id = bl.tenant_id AND c.id = bl.count_id
    JOIN stock_batches b ON b.tenant_id = bl.tenant_id AND b.id = bl.batch_id
    LEFT JOIN skus k ON k.tenant_id = bl.tenant_id AND k.id = bl.sku_id
    LEFT JOIN stock_batch_levels lv ON lv.tenant_id = bl.tenant_id AND lv.sku_id = bl.sku_id
        AND lv.warehouse_id = c.warehouse_id AND lv.batch_id = bl.batch_id
    WHERE bl.tenant_id = :tenant AND bl.count_id = :count
    ORDER BY bl.sku_id, b.batch_no
""")


def _session(row: AnyRow) -> CountSession:
    return from_row(
        CountSession,
        row,
        kind=CountKind(row.kind),
        status=CountStatus(row.status),
        sku_ids=tuple(row.sku_ids or ()),
        bin_ids=tuple(row.bin_ids or ()),
    )


class PostgresCountRepository(TenantRepository):
    async def add(self, session: CountSession) -> None:
        await self._insert(
            count_sessions,
            values_of(
                session,
                _COLUMNS,
                kind=session.kind.value,
                status=session.status.value,
                sku_ids=list(session.sku_ids),
                bin_ids=list(session.bin_ids),
            ),
        )

    async def get(self, session_id: UUID, *, for_update: bool = False) -> CountSession | None:
        query = select(*_COLUMNS).where(self._row_of(count_sessions, session_id))
        row = await self._first(query.with_for_update() if for_update else query)
        return _session(row) if row else None

    async def save(self, session: CountSession, expected_version: int) -> None:
        changed = (
            "status",
            "version",
            "updated_at",
            "started_at",
            "submitted_by",
            "submitted_at",
            "posted_by",
            "posted_at",
        )
        result = await self._conn.execute(
            self._at_version(count_sessions, session.id, expected_version).values(
                status=session.status.value,
                **{name: getattr(session, name) for name in changed if name != "status"},
            )
        )
        one_updated(result.rowcount, expected_version)

    def _on_hand(self, warehouse: Any, sku: Any) -> Select[Any]:
        """The level's on hand (every batch) of the SKU in the warehouse, 0 without one."""
        return select(func.coalesce(func.sum(stock_levels.c.on_hand), 0).cast(BigInteger)).where(
            stock_levels.c.tenant_id == self._tenant_id,
            stock_levels.c.warehouse_id == warehouse,
            stock_levels.c.sku_id == sku,
        )

    async def fix_lines(self, session: CountSession) -> int:
        if session.kind is CountKind.FULL:
            skus: Any = (
                select(stock_levels.c.sku_id)
                .where(
                    stock_levels.c.tenant_id == self._tenant_id,
                    stock_levels.c.warehouse_id == session.warehouse_id,
                )
                .distinct()
            )
        else:
            parts: list[Select[Any]] = []
            if session.sku_ids:
                parts.append(
                    select(
                        func.unnest(
                            literal(list(session.sku_ids), type_=count_sessions.c.sku_ids.type)
                        ).label("sku_id")
                    )
                )
            if session.bin_ids:
                parts.append(
                    select(stock_ledger.c.sku_id)
                    .where(
                        stock_ledger.c.tenant_id == self._tenant_id,
                        stock_ledger.c.warehouse_id == session.warehouse_id,
                        stock_ledger.c.bin_id.in_(session.bin_ids),
                    )
                    .distinct()
                )
            skus = union(*parts) if len(parts) > 1 else parts[0]
        found = skus.subquery("found")
        statement = (
            pg_insert(count_lines)
            .from_select(
                ["tenant_id", "count_id", "sku_id"],
                select(literal(self._tenant_id, Uuid), literal(session.id, Uuid), found.c.sku_id),
            )
            .on_conflict_do_nothing()
        )
        try:
            result = await self._conn.execute(statement)
        except IntegrityError as error:
            raise_for_constraint(error, _NO_SKU)
        return int(result.rowcount or 0)

    def _line(self, session_id: UUID, sku_id: UUID) -> ColumnElement[bool]:
        return and_(
            count_lines.c.tenant_id == self._tenant_id,
            count_lines.c.count_id == session_id,
            count_lines.c.sku_id == sku_id,
        )

    async def record(
        self, session_id: UUID, sku_id: UUID, counted: int, by: str, at: datetime, *, add: bool
    ) -> bool:
        warehouse = (
            select(count_sessions.c.warehouse_id)
            .where(self._row_of(count_sessions, session_id))
            .scalar_subquery()
        )
        book = self._on_hand(warehouse, sku_id).scalar_subquery()
        values = {"counted": counted, "book": book, "counted_by": by, "counted_at": at}
        statement: Any
        if add:
            upsert = pg_insert(count_lines).values(
                tenant_id=self._tenant_id, count_id=session_id, sku_id=sku_id, **values
            )
            statement = upsert.on_conflict_do_update(
                index_elements=["tenant_id", "count_id", "sku_id"],
                set_={k: upsert.excluded[k] for k in values},
            )
        else:
            statement = update(count_lines).where(self._line(session_id, sku_id)).values(**values)
        try:
            result = await self._conn.execute(statement.returning(count_lines.c.sku_id))
        except IntegrityError as error:
            raise_for_constraint(error, _NO_SKU)
        return result.first() is not None

    async def add_counted(
        self, session_id: UUID, sku_id: UUID, units: int, by: str, at: datetime, *, add: bool
    ) -> int | None:
        warehouse = (
            select(count_sessions.c.warehouse_id)
            .where(self._row_of(count_sessions, session_id))
            .scalar_subquery()
        )
        book = self._on_hand(warehouse, sku_id).scalar_subquery()
        values = {"book": book, "counted_by": by, "counted_at": at}
        # what the row holds as the statement writes it (it waits for another's lock)
        more = func.coalesce(count_lines.c.counted, 0) + units
        statement: Any
        if add:
            upsert = pg_insert(count_lines).values(
                tenant_id=self._tenant_id,
                count_id=session_id,
                sku_id=sku_id,
                counted=units,
                **values,
            )
            statement = upsert.on_conflict_do_update(
                index_elements=["tenant_id", "count_id", "sku_id"],
                set_={"counted": more, **{k: upsert.excluded[k] for k in values}},
            )
        else:
            statement = (
                update(count_lines)
                .where(self._line(session_id, sku_id))
                .values(counted=more, **values)
            )
        try:
            result = await self._conn.execute(statement.returning(count_lines.c.counted))
        except IntegrityError as error:
            raise_for_constraint(error, _NO_SKU)
        row = result.first()
        return int(row[0]) if row else None

    async def uncounted(self, session_id: UUID) -> int:
        row = await self._first(
            select(func.count()).where(
                count_lines.c.tenant_id == self._tenant_id,
                count_lines.c.count_id == session_id,
                count_lines.c.counted.is_(None),
            )
        )
        return int(row[0]) if row else 0

    async def lines(
        self, session_id: UUID, after: UUID | None = None, limit: int | None = None
    ) -> list[CountedLine]:
        warehouse = (
            select(count_sessions.c.warehouse_id)
            .where(self._row_of(count_sessions, session_id))
            .scalar_subquery()
        )
        now = self._on_hand(warehouse, count_lines.c.sku_id).scalar_subquery()
        query = (
            select(count_lines, _skus.c.code.label("sku_code"), now.label("on_hand_now"))
            .select_from(
                count_lines.outerjoin(
                    _skus,
                    and_(
                        _skus.c.tenant_id == count_lines.c.tenant_id,
                        _skus.c.id == count_lines.c.sku_id,
                    ),
                )
            )
            .where(count_lines.c.tenant_id == self._tenant_id, count_lines.c.count_id == session_id)
            .order_by(count_lines.c.sku_id)
        )
        if after is not None:
            query = query.where(count_lines.c.sku_id > after)
        if limit is not None:
            query = query.limit(limit)
        return [
            CountedLine(from_row(CountLine, row), row.sku_code, int(row.on_hand_now or 0))
            for row in await self._conn.execute(query)
        ]

    async def page(self, after: UUID | None, limit: int) -> list[CountSession]:
        query = select(*_COLUMNS).where(count_sessions.c.tenant_id == self._tenant_id)
        if after is not None:
            query = query.where(count_sessions.c.id > after)
        rows = await self._conn.execute(query.order_by(count_sessions.c.id).limit(limit))
        return [_session(row) for row in rows]

    async def mark_posted(self, session_id: UUID, sku_id: UUID, change: int) -> None:
        await self._conn.execute(
            update(count_lines).where(self._line(session_id, sku_id)).values(posted=change)
        )

    def _batch_lines_of(self, session_id: UUID) -> ColumnElement[bool]:
        return and_(
            count_batch_lines.c.tenant_id == self._tenant_id,
            count_batch_lines.c.count_id == session_id,
        )

    async def record_batches(
        self, session_id: UUID, sku_id: UUID, counted: dict[UUID, int]
    ) -> None:
        await self._conn.execute(
            count_batch_lines.delete().where(
                self._batch_lines_of(session_id), count_batch_lines.c.sku_id == sku_id
            )
        )
        await self._conn.execute(
            _RECORD_BATCHES,
            {
                "tenant": self._tenant_id,
                "count": session_id,
                "sku": sku_id,
                "batches": list(counted),
                "counts": list(counted.values()),
            },
        )

    async def record_serials(self, session_id: UUID, sku_id: UUID, serials: list[str]) -> None:
        await self._conn.execute(
            count_serials.delete().where(
                count_serials.c.tenant_id == self._tenant_id,
                count_serials.c.count_id == session_id,
                count_serials.c.sku_id == sku_id,
            )
        )
        await self._conn.execute(
            _RECORD_SERIALS,
            {"tenant": self._tenant_id, "count": session_id, "sku": sku_id, "serials": serials},
        )

    async def serial_lines(self, session_id: UUID) -> dict[UUID, SerialDifference]:
        rows = await self._conn.execute(
            select(count_serials.c.sku_id, count_serials.c.serial, count_serials.c.found)
            .where(
                count_serials.c.tenant_id == self._tenant_id,
                count_serials.c.count_id == session_id,
            )
            .order_by(count_serials.c.sku_id, count_serials.c.serial)
        )
        found: dict[UUID, SerialDifference] = {}
        for row in rows:
            differs = found.setdefault(row.sku_id, SerialDifference([], []))
            (differs.found if row.found else differs.missing).append(row.serial)
        return found

    async def batch_lines(self, session_id: UUID) -> dict[UUID, list[BatchCountLine]]:
        rows = await self._conn.execute(
            select(count_batch_lines)
            .where(self._batch_lines_of(session_id))
            .order_by(count_batch_lines.c.sku_id, count_batch_lines.c.batch_id)
        )
        found: dict[UUID, list[BatchCountLine]] = {}
        for row in rows:
            found.setdefault(row.sku_id, []).append(from_row(BatchCountLine, row))
        return found

    async def batch_report(self, session_id: UUID) -> dict[UUID, list[CountedBatch]]:
        rows = await self._conn.execute(
            _BATCH_REPORT, {"tenant": self._tenant_id, "count": session_id}
        )
        found: dict[UUID, list[CountedBatch]] = {}
        for row in rows:
            found.setdefault(row.sku_id, []).append(
                CountedBatch(
                    from_row(BatchCountLine, row),
                    row.batch_no,
                    row.expiry_date,
                    int(row.on_hand_now),
                )
            )
        return found

    async def mark_batch_posted(self, session_id: UUID, line: BatchCountLine, change: int) -> None:
        await self._conn.execute(
            update(count_batch_lines)
            .where(
                self._batch_lines_of(session_id),
                count_batch_lines.c.sku_id == line.sku_id,
                count_batch_lines.c.batch_id == line.batch_id,
            )
            .values(posted=change)
        )
