"""Stock levels and the stock ledger in Postgres (INV-1, INV-2, INV-6).

A movement is one statement: a data-modifying CTE changes the level — a conditional
``UPDATE … WHERE on_hand - reserved - pick_locked >= n`` for a movement that takes stock
(so two concurrent reservations can never both take the last unit: the second re-checks
the condition on the row the first committed, and finds nothing), an upsert for one that
only adds — and a second CTE appends the ledger row from the changed row. Either both
happen or neither; no figure is read into Python and written back.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import (
    CTE,
    BigInteger,
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    Text,
    Uuid,
    and_,
    bindparam,
    func,
    insert,
    literal,
    select,
    text,
    true,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError

from adapters.postgres.inventory.tables import stock_ledger, stock_levels
from adapters.postgres.shared.driver import DriverStatement
from adapters.postgres.shared.errors import raise_for_constraint
from adapters.postgres.shared.rows import AnyRow, TenantRepository
from application.inventory.ports import LedgerDifference, LevelPosition, Logged
from domain.inventory.stock import (
    FIGURES,
    Deltas,
    LedgerEntry,
    Movement,
    MovementKind,
    StockLevel,
    needs_available,
)
from domain.shared.errors import NotFound

_NO_SKU = {
    "stock_levels_tenant_id_sku_id_fkey": lambda: NotFound(entity="sku"),
    "stock_ledger_tenant_id_sku_id_fkey": lambda: NotFound(entity="sku"),
}
_AVAILABLE = stock_levels.c.on_hand - stock_levels.c.reserved - stock_levels.c.pick_locked


def _figures(row: AnyRow, prefix: str = "") -> Deltas:
    return Deltas(*(int(row._mapping[prefix + f] or 0) for f in FIGURES))


def _level(row: AnyRow) -> StockLevel:
    return StockLevel(row.sku_id, row.warehouse_id, row.batch_id, _figures(row), row.updated_at)


def entry_of(row: AnyRow, figures_after: Deltas | None = None) -> LedgerEntry:
    return LedgerEntry(
        row.seq,
        row.sku_id,
        row.warehouse_id,
        row.batch_id,
        row.bin_id,
        MovementKind(row.kind),
        _figures(row, "d_"),
        row.unit_cost,
        row.source_type,
        row.source_id,
        row.actor,
        row.reason,
        row.occurred_at,
        row.cost_amount,
        row.effective_at,
        figures_after,
    )


class PostgresStockRepository(TenantRepository):
    def _key(self, sku_id: UUID, warehouse_id: UUID, batch_id: UUID | None) -> ColumnElement[bool]:
        # ``batch_id IS NULL`` rather than IS NOT DISTINCT FROM: only the former can use
        # the unique index.
        batch = (
            stock_levels.c.batch_id.is_(None)
            if batch_id is None
            else stock_levels.c.batch_id == batch_id
        )
        return and_(
            stock_levels.c.tenant_id == self._tenant_id,
            stock_levels.c.sku_id == sku_id,
            stock_levels.c.warehouse_id == warehouse_id,
            batch,
        )

    async def move(self, movement: Movement, actor: str) -> Deltas | None:
        logged = await self.move_logged(movement, actor)
        return logged.figures if logged else None

    async def move_logged(self, movement: Movement, actor: str) -> Logged | None:
        deltas = movement.deltas
        needed = needs_available(deltas)
        changes = tuple(f for f in FIGURES if getattr(deltas, f))
        adds = needed == 0 and all(getattr(deltas, f) > 0 for f in changes)
        lowered = tuple(f for f in changes if getattr(deltas, f) < 0)
        if movement.batch_id is None:
            statement = _movement(adds, changes, lowered, needed > 0)
        else:
            statement = _BATCH_ADDS if adds else _BATCH_TAKES
        parameters: dict[str, Any] = {
            "tenant": self._tenant_id,
            "sku": movement.sku_id,
            "warehouse": movement.warehouse_id,
            "batch": movement.batch_id,
            "need": needed,
            "bin": movement.bin_id,
            "kind": movement.kind.value,
            "unit_cost": movement.unit_cost,
            "source_type": movement.source.type,
            "source_id": movement.source.id,
            "actor": actor,
            "reason": movement.reason,
            "cost_amount": movement.cost_amount,
            "effective_at": movement.effective_at,
            **{f"d_{f}": getattr(deltas, f) for f in FIGURES},
            **{f"min_{f}": -getattr(deltas, f) for f in lowered},
        }
        try:
            row = await statement.fetchrow(self._conn, parameters)
        except IntegrityError as error:
            raise_for_constraint(error, _NO_SKU)
        if row is None:
            return None
        return Logged(Deltas(*(int(row[f]) for f in FIGURES)), row["seq"], row["effective_at"])

    async def level(
        self, sku_id: UUID, warehouse_id: UUID, batch_id: UUID | None = None
    ) -> StockLevel | None:
        row = await self._first(
            select(stock_levels).where(self._key(sku_id, warehouse_id, batch_id))
        )
        return _level(row) if row else None

    async def levels(
        self,
        sku_id: UUID | None,
        warehouse_id: UUID | None,
        after: LevelPosition | None,
        limit: int,
    ) -> list[StockLevel]:
        query = select(stock_levels).where(stock_levels.c.tenant_id == self._tenant_id)
        if sku_id is not None:
            query = query.where(stock_levels.c.sku_id == sku_id)
        if warehouse_id is not None:
            query = query.where(stock_levels.c.warehouse_id == warehouse_id)
        if after is not None:
            query = query.where(
                tuple_(stock_levels.c.sku_id, stock_levels.c.warehouse_id)
                > tuple_(literal(after.sku_id), literal(after.warehouse_id))
            )
        query = query.order_by(
            stock_levels.c.sku_id, stock_levels.c.warehouse_id, stock_levels.c.batch_id
        ).limit(limit)
        return [_level(row) for row in await self._conn.execute(query)]

    async def stocked_skus(self) -> list[UUID]:
        rows = await self._conn.execute(
            select(stock_levels.c.sku_id)
            .where(stock_levels.c.tenant_id == self._tenant_id)
            .distinct()
        )
        return [row.sku_id for row in rows]

    async def available(self, sku_ids: list[UUID]) -> dict[UUID, dict[UUID, int]]:
        if not sku_ids:
            return {}
        rows = await self._conn.execute(
            select(
                stock_levels.c.sku_id,
                stock_levels.c.warehouse_id,
                func.sum(_AVAILABLE).cast(Integer).label("available"),
            )
            .where(stock_levels.c.tenant_id == self._tenant_id, stock_levels.c.sku_id.in_(sku_ids))
            .group_by(stock_levels.c.sku_id, stock_levels.c.warehouse_id)
        )
        found: dict[UUID, dict[UUID, int]] = {sku: {} for sku in sku_ids}
        for row in rows:
            found[row.sku_id][row.warehouse_id] = int(row.available)
        return found

    async def ledger(
        self, sku_id: UUID | None, warehouse_id: UUID | None, after: int | None, limit: int
    ) -> list[LedgerEntry]:
        query = select(stock_ledger).where(stock_ledger.c.tenant_id == self._tenant_id)
        if sku_id is not None:
            query = query.where(stock_ledger.c.sku_id == sku_id)
        if warehouse_id is not None:
            query = query.where(stock_ledger.c.warehouse_id == warehouse_id)
        if after is not None:
            query = query.where(stock_ledger.c.seq > after)
        page = query.order_by(stock_ledger.c.seq).limit(limit).cte("page")
        rows = await self._conn.execute(self._running(page))
        return [entry_of(row, _figures(row, "a_")) for row in rows]

    def _running(self, page: CTE) -> Select[Any]:
        """The page's rows with each one's SKU × warehouse figures after it, in one
        statement: what the level's rows before the page add up to (one sum per level on
        the page, along the index ``stock_ledger_sku``) plus a window sum of the page's
        own rows of that level up to the row."""
        level = (page.c.sku_id, page.c.warehouse_id)
        starts = select(*level, func.min(page.c.seq).label("first")).group_by(*level).cte("starts")
        earlier = stock_ledger.alias("earlier")
        before = (
            select(
                starts.c.sku_id,
                starts.c.warehouse_id,
                *(func.coalesce(func.sum(earlier.c[f"d_{f}"]), 0).label(f"b_{f}") for f in FIGURES),
            )
            .select_from(
                starts.outerjoin(
                    earlier,
                    and_(
                        earlier.c.tenant_id == self._tenant_id,
                        earlier.c.sku_id == starts.c.sku_id,
                        earlier.c.warehouse_id == starts.c.warehouse_id,
                        earlier.c.seq < starts.c.first,
                    ),
                )
            )
            .group_by(starts.c.sku_id, starts.c.warehouse_id)
            .cte("before")
        )
        running = (
            (
                before.c[f"b_{f}"]
                + func.sum(page.c[f"d_{f}"]).over(partition_by=level, order_by=page.c.seq)
            )
            .cast(BigInteger)
            .label(f"a_{f}")
            for f in FIGURES
        )
        joined = page.join(
            before,
            and_(before.c.sku_id == page.c.sku_id, before.c.warehouse_id == page.c.warehouse_id),
        )
        return select(page, *running).select_from(joined).order_by(page.c.seq)

    async def differences(self) -> list[LedgerDifference]:
        # Each SKU × warehouse's figures against all its ledger rows, each batch's
        # physical figures against the rows naming it, and a serial-managed SKU's figures
        # against its serials (INV-8): one statement.
        rows = await self._conn.execute(_DIFFERENCES, {"tenant": self._tenant_id})
        return [
            LedgerDifference(
                row.sku_id,
                row.warehouse_id,
                row.batch_id,
                _figures(row),
                _figures(row, "d_"),
                serials=row.serials,
            )
            for row in rows
        ]

    # ---- a page of reservations at once (the channel intake, PLT-9) --------------------

    async def lock_available(self, sku_ids: list[UUID]) -> dict[UUID, dict[UUID, int]]:
        """``available``, with the SKUs' unbatched levels locked for this transaction in
        one stable order (SKU id, then warehouse id — the order ``merged_lines`` takes
        them in), so the figures stay true until it commits and two batches never wait
        on each other in a cycle."""
        found: dict[UUID, dict[UUID, int]] = {sku: {} for sku in sku_ids}
        if sku_ids:
            rows = await self._conn.execute(
                _LOCK_AVAILABLE, {"tenant": self._tenant_id, "skus": sku_ids}
            )
            for row in rows:
                found[row.sku_id][row.warehouse_id] = int(row.available)
        return found

    async def reserve_many(self, movements: list[Movement], actor: str) -> bool:
        """Reservation movements (the reserved figure up by each, nothing else) applied in
        one statement: each level raised by its movements' sum with a conditional update
        (only where the available units cover it) and every movement's ledger row from the
        changed levels. False — never expected after ``lock_available`` — when a level
        could not take its sum: the caller must roll back (nothing is oversold)."""
        if not movements:
            return True
        sums: dict[tuple[UUID, UUID], int] = {}
        for m in movements:
            key = (m.sku_id, m.warehouse_id)
            sums[key] = sums.get(key, 0) + m.deltas.reserved
        levels = sorted(sums, key=lambda key: (str(key[0]), str(key[1])))
        moved = await self._conn.scalar(
            _RESERVE_MANY,
            {
                "tenant": self._tenant_id,
                "level_skus": [sku for sku, _ in levels],
                "level_warehouses": [warehouse for _, warehouse in levels],
                "level_units": [sums[key] for key in levels],
                "skus": [m.sku_id for m in movements],
                "warehouses": [m.warehouse_id for m in movements],
                "units": [m.deltas.reserved for m in movements],
                "kinds": [m.kind.value for m in movements],
                "source_types": [m.source.type for m in movements],
                "source_ids": [m.source.id for m in movements],
                "actor": actor,
            },
        )
        return bool(moved == len(levels))


@cache
def _movement(
    adds: bool, changes: tuple[str, ...], lowered: tuple[str, ...], takes_available: bool
) -> DriverStatement:
    """A movement's statement run on the driver: sent on every movement (decision 82)."""
    return DriverStatement(_movement_statement(adds, changes, lowered, takes_available))


def _delta(figure: str) -> BindParameter[int]:
    return bindparam(f"d_{figure}", type_=BigInteger)


@cache
def _movement_statement(
    adds: bool,
    changes: tuple[str, ...],
    lowered: tuple[str, ...],
    takes_available: bool,
) -> Select[Any]:
    """The one statement of a movement of this shape, built once (its values are bound
    parameters): the level's change in a CTE — an upsert for a movement that only adds, a
    conditional update for one that takes — and the ledger row appended from the changed
    row in a second CTE. Built once per shape: constructing a Core CTE cost more Python
    time than the database took to run it (bench/inventory_reserve.py)."""
    if adds:
        upsert = pg_insert(stock_levels).values(
            tenant_id=bindparam("tenant", type_=Uuid),
            sku_id=bindparam("sku", type_=Uuid),
            warehouse_id=bindparam("warehouse", type_=Uuid),
            batch_id=bindparam("batch", type_=Uuid),
            **{f: _delta(f) for f in changes},
        )
        changed: Any = upsert.on_conflict_do_update(
            constraint="stock_levels_key",
            set_={
                **{f: stock_levels.c[f] + upsert.excluded[f] for f in changes},
                "updated_at": func.now(),
            },
        )
    else:
        conditions = [
            stock_levels.c.tenant_id == bindparam("tenant", type_=Uuid),
            stock_levels.c.sku_id == bindparam("sku", type_=Uuid),
            stock_levels.c.warehouse_id == bindparam("warehouse", type_=Uuid),
            stock_levels.c.batch_id.is_(None),  # the SKU × warehouse's row (INV-8)
        ]
        if takes_available:
            conditions.append(bindparam("need", type_=BigInteger) <= _AVAILABLE)
        conditions.extend(
            stock_levels.c[f] >= bindparam(f"min_{f}", type_=BigInteger) for f in lowered
        )
        changed = (
            update(stock_levels)
            .where(*conditions)
            .values(**{f: stock_levels.c[f] + _delta(f) for f in changes}, updated_at=func.now())
        )
    moved = changed.returning(*stock_levels.c).cte("moved")
    ledger_values: dict[str, Any] = {
        "tenant_id": moved.c.tenant_id,
        "sku_id": moved.c.sku_id,
        "warehouse_id": moved.c.warehouse_id,
        "batch_id": moved.c.batch_id,
        "bin_id": bindparam("bin", type_=Uuid),
        "kind": bindparam("kind", type_=Text),
        **{f"d_{f}": _delta(f) for f in FIGURES},
        "unit_cost": bindparam("unit_cost", type_=stock_ledger.c.unit_cost.type),
        "source_type": bindparam("source_type", type_=Text),
        "source_id": bindparam("source_id", type_=Uuid),
        "actor": bindparam("actor", type_=Text),
        "reason": bindparam("reason", type_=Text),
        "cost_amount": bindparam("cost_amount", type_=stock_ledger.c.cost_amount.type),
        "effective_at": func.coalesce(
            bindparam("effective_at", type_=stock_ledger.c.effective_at.type),
            func.clock_timestamp(),
        ),
    }
    logged = (
        insert(stock_ledger)
        .from_select(list(ledger_values), select(*ledger_values.values()).select_from(moved))
        .returning(stock_ledger.c.seq, stock_ledger.c.effective_at)
        .cte("logged")
    )
    return select(*(moved.c[f] for f in FIGURES), logged.c.seq, logged.c.effective_at).select_from(
        moved.join(logged, true())
    )


_LEDGER_COLUMNS = (
    "tenant_id, sku_id, warehouse_id, batch_id, bin_id, kind, "
    + ", ".join(f"d_{f}" for f in FIGURES)
    + ", unit_cost, source_type, source_id, actor, reason, cost_amount, effective_at"
)
_LEDGER_VALUES = (
    "moved.tenant_id, moved.sku_id, moved.warehouse_id, CAST(:batch AS uuid),"
    " CAST(:bin AS uuid), CAST(:kind AS text), "
    + ", ".join(f"CAST(:d_{f} AS bigint)" for f in FIGURES)
    + ", CAST(:unit_cost AS numeric), CAST(:source_type AS text), CAST(:source_id AS uuid),"
    " CAST(:actor AS text), CAST(:reason AS text), CAST(:cost_amount AS numeric),"
    " coalesce(CAST(:effective_at AS timestamptz), clock_timestamp())"
)
_LOGGED = f"""
    logged AS (
        INSERT INTO stock_ledger ({_LEDGER_COLUMNS})
        SELECT {_LEDGER_VALUES} FROM moved JOIN batch ON true
        RETURNING seq, effective_at
    )
    SELECT {", ".join(f"moved.{f}" for f in FIGURES)}, logged.seq, logged.effective_at
    FROM moved JOIN logged ON true
"""

# A movement naming a batch (INV-8) moves two levels: the SKU × warehouse's (every
# figure, locks included; batch_id NULL) and the batch's physical figures (on hand,
# non-sellable), with one ledger row naming the batch. Hand-written, for the one guard
# both changes need: a taking movement locks and checks the level, then the batch
# (``level``, ``ok``), before either changes, so neither changes without the other and
# its ledger row; a receipt (only adding) upserts the level, then the batch. Level
# before batch is the order every movement locks in (the costing hook locks the level
# first too), so two movements never wait for each other in a cycle. Units leaving a batch
# never take those a pick lock holds there (``reservation_batches``, written under the
# level's lock too); a shipment drops its own holds before it takes them.
_BATCH_ADDS = DriverStatement(
    text(f"""
    WITH moved AS (
        INSERT INTO stock_levels (tenant_id, sku_id, warehouse_id, {", ".join(FIGURES)})
        VALUES (:tenant, :sku, :warehouse, {", ".join(f":d_{f}" for f in FIGURES)})
        ON CONFLICT ON CONSTRAINT stock_levels_key DO UPDATE SET
            {", ".join(f"{f} = stock_levels.{f} + EXCLUDED.{f}" for f in FIGURES)},
            updated_at = now()
        RETURNING *
    ),
    batch AS (
        INSERT INTO stock_batch_levels AS b
            (tenant_id, sku_id, warehouse_id, batch_id, on_hand, non_sellable)
        SELECT moved.tenant_id, moved.sku_id, moved.warehouse_id, CAST(:batch AS uuid),
            CAST(:d_on_hand AS bigint), CAST(:d_non_sellable AS bigint)
        FROM moved  -- after the level: every movement locks in that order
        ON CONFLICT (tenant_id, sku_id, warehouse_id, batch_id) DO UPDATE SET
            on_hand = b.on_hand + EXCLUDED.on_hand,
            non_sellable = b.non_sellable + EXCLUDED.non_sellable,
            updated_at = now()
        RETURNING 1
    ),
    {_LOGGED}
""")
)
_BATCH_TAKES = DriverStatement(
    text(f"""
    WITH level AS (
        SELECT l.id FROM stock_levels l
        WHERE l.tenant_id = :tenant AND l.sku_id = :sku AND l.warehouse_id = :warehouse
          AND l.batch_id IS NULL
          AND {" AND ".join(f"l.{f} + :d_{f} >= 0" for f in FIGURES)}
          AND (l.on_hand + :d_on_hand) - (l.reserved + :d_reserved)
              - (l.pick_locked + :d_pick_locked) >= 0
        FOR UPDATE
    ),
    ok AS (
        -- the batch is locked after the level (every movement locks in that order)
        SELECT level.id FROM level
        JOIN stock_batch_levels b ON b.tenant_id = :tenant AND b.sku_id = :sku
            AND b.warehouse_id = :warehouse AND b.batch_id = :batch
        WHERE b.on_hand + :d_on_hand >= 0 AND b.non_sellable + :d_non_sellable >= 0
          -- units leaving a batch never take those a pick lock holds there (INV-8)
          AND (CAST(:d_on_hand AS bigint) >= 0 OR b.on_hand + :d_on_hand >= (
              SELECT coalesce(sum(r.quantity), 0) FROM reservation_batches r
              WHERE r.tenant_id = :tenant AND r.sku_id = :sku
                AND r.warehouse_id = :warehouse AND r.batch_id = :batch))
        FOR UPDATE OF b
    ),
    moved AS (
        UPDATE stock_levels l SET
            {", ".join(f"{f} = l.{f} + :d_{f}" for f in FIGURES)}, updated_at = now()
        FROM ok WHERE l.tenant_id = :tenant AND l.id = ok.id
        RETURNING l.*
    ),
    batch AS (
        UPDATE stock_batch_levels b SET
            on_hand = b.on_hand + :d_on_hand, non_sellable = b.non_sellable + :d_non_sellable,
            updated_at = now()
        FROM ok WHERE b.tenant_id = :tenant AND b.sku_id = :sku
            AND b.warehouse_id = :warehouse AND b.batch_id = :batch
        RETURNING 1
    ),
    {_LOGGED}
""")
)

_FIGURE_SUMS = ", ".join(f"sum(d_{f}) AS d_{f}" for f in FIGURES)
_DIFFERS = " OR ".join(f"coalesce(lv.{f}, 0) <> coalesce(sums.d_{f}, 0)" for f in FIGURES)
_PHYSICAL = ("on_hand", "non_sellable")
_BATCH_DIFFERS = " OR ".join(f"coalesce(lv.{f}, 0) <> coalesce(sums.d_{f}, 0)" for f in _PHYSICAL)
# A serial-managed SKU's figures against its serial registry (INV-8): the serials in
# stock in a warehouse are its on hand + non-sellable (the registry does not tell them
# apart), those in transit to it its in transit.
_SERIAL_FIGURES = {
    "on_hand": "coalesce(lv.on_hand + lv.non_sellable, 0)",
    "in_transit": "coalesce(lv.in_transit, 0)",
}
_SERIAL_COUNTS = {"on_hand": "coalesce(reg.held, 0)", "in_transit": "coalesce(reg.moving, 0)"}
_DIFFERENCES = text(f"""
    WITH lv AS (SELECT * FROM stock_levels WHERE tenant_id = :tenant),
    sums AS (
        SELECT sku_id, warehouse_id, {_FIGURE_SUMS} FROM stock_ledger
        WHERE tenant_id = :tenant GROUP BY sku_id, warehouse_id
    ),
    blv AS (SELECT * FROM stock_batch_levels WHERE tenant_id = :tenant),
    bsums AS (
        SELECT sku_id, warehouse_id, batch_id,
            {", ".join(f"sum(d_{f}) AS d_{f}" for f in _PHYSICAL)}
        FROM stock_ledger WHERE tenant_id = :tenant AND batch_id IS NOT NULL
        GROUP BY sku_id, warehouse_id, batch_id
    )
    SELECT coalesce(lv.sku_id, sums.sku_id) AS sku_id,
        coalesce(lv.warehouse_id, sums.warehouse_id) AS warehouse_id,
        CAST(NULL AS uuid) AS batch_id,
        {", ".join(f"lv.{f}" for f in FIGURES)}, {", ".join(f"sums.d_{f}" for f in FIGURES)},
        false AS serials
    FROM lv FULL JOIN sums
        ON lv.sku_id = sums.sku_id AND lv.warehouse_id = sums.warehouse_id
    WHERE {_DIFFERS}
    UNION ALL
    SELECT coalesce(lv.sku_id, sums.sku_id), coalesce(lv.warehouse_id, sums.warehouse_id),
        coalesce(lv.batch_id, sums.batch_id),
        {", ".join(f"lv.{f}" if f in _PHYSICAL else "0" for f in FIGURES)},
        {", ".join(f"sums.d_{f}" if f in _PHYSICAL else "0" for f in FIGURES)}, false
    FROM blv AS lv FULL JOIN bsums AS sums
        ON lv.sku_id = sums.sku_id AND lv.warehouse_id = sums.warehouse_id
        AND lv.batch_id = sums.batch_id
    WHERE {_BATCH_DIFFERS}
    UNION ALL
    SELECT coalesce(lv.sku_id, reg.sku_id), coalesce(lv.warehouse_id, reg.warehouse_id), NULL,
        {", ".join(_SERIAL_FIGURES.get(f, "0") for f in FIGURES)},
        {", ".join(_SERIAL_COUNTS.get(f, "0") for f in FIGURES)}, true
    FROM (
        SELECT lv.* FROM lv JOIN sku_stock_settings k
            ON k.tenant_id = lv.tenant_id AND k.sku_id = lv.sku_id AND k.serial_managed
    ) AS lv
    FULL JOIN (
        SELECT sku_id, warehouse_id, count(*) FILTER (WHERE status = 'in_stock') AS held,
            count(*) FILTER (WHERE status = 'in_transit') AS moving
        FROM stock_serials WHERE tenant_id = :tenant GROUP BY sku_id, warehouse_id
    ) AS reg ON lv.sku_id = reg.sku_id AND lv.warehouse_id = reg.warehouse_id
    WHERE coalesce(lv.on_hand + lv.non_sellable, 0) <> coalesce(reg.held, 0)
        OR coalesce(lv.in_transit, 0) <> coalesce(reg.moving, 0)
""")

_LOCK_AVAILABLE = text(
    """
    SELECT sku_id, warehouse_id, on_hand - reserved - pick_locked AS available
    FROM stock_levels
    WHERE tenant_id = CAST(:tenant AS uuid) AND sku_id = ANY(CAST(:skus AS uuid[]))
      AND batch_id IS NULL
    ORDER BY sku_id, warehouse_id
    FOR UPDATE
    """
)
# The levels raised by their sums where available covers them, then one ledger row per
# movement of a level that moved; answers how many levels moved.
_RESERVE_MANY = text(
    """
    WITH wanted AS (
        SELECT * FROM unnest(CAST(:level_skus AS uuid[]), CAST(:level_warehouses AS uuid[]),
                             CAST(:level_units AS bigint[])) AS w (sku_id, warehouse_id, units)
    ), moved AS (
        UPDATE stock_levels AS s
        SET reserved = s.reserved + wanted.units, updated_at = now()
        FROM wanted
        WHERE s.tenant_id = CAST(:tenant AS uuid) AND s.sku_id = wanted.sku_id
          AND s.warehouse_id = wanted.warehouse_id AND s.batch_id IS NULL
          AND s.on_hand - s.reserved - s.pick_locked >= wanted.units
        RETURNING s.sku_id, s.warehouse_id
    ), logged AS (
        INSERT INTO stock_ledger (tenant_id, sku_id, warehouse_id, kind, d_reserved,
                                  source_type, source_id, actor)
        SELECT CAST(:tenant AS uuid), m.sku_id, m.warehouse_id, m.kind, m.units,
               m.source_type, m.source_id, CAST(:actor AS text)
        FROM unnest(CAST(:skus AS uuid[]), CAST(:warehouses AS uuid[]),
                    CAST(:units AS bigint[]), CAST(:kinds AS text[]),
                    CAST(:source_types AS text[]), CAST(:source_ids AS uuid[]))
               WITH ORDINALITY AS m (sku_id, warehouse_id, units, kind, source_type, source_id, n)
        JOIN moved USING (sku_id, warehouse_id)
        ORDER BY m.n
    )
    SELECT count(*) FROM moved
    """
)
