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
    null,
    or_,
    select,
    text,
    true,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError

from adapters.postgres.inventory.tables import stock_ledger, stock_levels
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


def _entry(row: AnyRow) -> LedgerEntry:
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
        statement = _movement_statement(
            adds, changes, lowered, needed > 0, movement.batch_id is None
        )
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
            row = await self._first(statement, parameters)
        except IntegrityError as error:
            raise_for_constraint(error, _NO_SKU)
        return Logged(_figures(row), row.seq, row.effective_at) if row else None

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
        rows = await self._conn.execute(query.order_by(stock_ledger.c.seq).limit(limit))
        return [_entry(row) for row in rows]

    async def differences(self) -> list[LedgerDifference]:
        sums = (
            select(
                stock_ledger.c.sku_id,
                stock_ledger.c.warehouse_id,
                stock_ledger.c.batch_id,
                *(func.sum(stock_ledger.c[f"d_{f}"]).label(f"d_{f}") for f in FIGURES),
            )
            .where(stock_ledger.c.tenant_id == self._tenant_id)
            .group_by(stock_ledger.c.sku_id, stock_ledger.c.warehouse_id, stock_ledger.c.batch_id)
            .subquery("sums")
        )
        levels = (
            select(stock_levels).where(stock_levels.c.tenant_id == self._tenant_id).subquery("lv")
        )
        joined = levels.join(
            sums,
            and_(
                levels.c.sku_id == sums.c.sku_id,
                levels.c.warehouse_id == sums.c.warehouse_id,
                levels.c.batch_id.is_not_distinct_from(sums.c.batch_id),
            ),
            full=True,
        )
        differs = or_(
            *(func.coalesce(levels.c[f], 0) != func.coalesce(sums.c[f"d_{f}"], 0) for f in FIGURES)
        )
        query = (
            select(
                func.coalesce(levels.c.sku_id, sums.c.sku_id).label("sku_id"),
                func.coalesce(levels.c.warehouse_id, sums.c.warehouse_id).label("warehouse_id"),
                func.coalesce(levels.c.batch_id, sums.c.batch_id, null()).label("batch_id"),
                *(levels.c[f] for f in FIGURES),
                *(sums.c[f"d_{f}"] for f in FIGURES),
            )
            .select_from(joined)
            .where(differs)
        )
        return [
            LedgerDifference(
                row.sku_id, row.warehouse_id, row.batch_id, _figures(row), _figures(row, "d_")
            )
            for row in await self._conn.execute(query)
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


def _delta(figure: str) -> BindParameter[int]:
    return bindparam(f"d_{figure}", type_=BigInteger)


@cache
def _movement_statement(
    adds: bool,
    changes: tuple[str, ...],
    lowered: tuple[str, ...],
    takes_available: bool,
    no_batch: bool,
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
        batch = (
            stock_levels.c.batch_id.is_(None)
            if no_batch
            else stock_levels.c.batch_id == bindparam("batch", type_=Uuid)
        )
        conditions = [
            stock_levels.c.tenant_id == bindparam("tenant", type_=Uuid),
            stock_levels.c.sku_id == bindparam("sku", type_=Uuid),
            stock_levels.c.warehouse_id == bindparam("warehouse", type_=Uuid),
            batch,
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
