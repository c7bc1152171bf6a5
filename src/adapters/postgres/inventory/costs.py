"""Costs and values in Postgres (INV-7; docs/inventory.md, "Costing (INV-7)").

A movement that moves value locks its SKU × warehouse first — the stock level row(s)
``FOR UPDATE``, then its ``cost_positions`` row through an upsert — so two movements of
one SKU × warehouse cost one after the other, never from the same read; the quantity
check stays the movement's own conditional update. The valuation at a date reads one
closing (``stock_value_closings``) and the valued movements since it through the partial
index ``stock_ledger_valued``: never all history.
"""

from __future__ import annotations

from collections import deque
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import ARRAY, BigInteger, DateTime, Numeric, Uuid, bindparam, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import TextClause

from adapters.postgres.shared.driver import uncollected
from adapters.postgres.shared.errors import raise_for_constraint
from adapters.postgres.shared.rows import TenantRepository
from application.inventory.ports import CostPosition, Valuation, ValuedLevel
from domain.inventory.costing import (
    ZERO,
    Correction,
    CostingMethod,
    CostPool,
    Layer,
    ValuedMovement,
    fifo_layers_after,
    unit,
)
from domain.shared.errors import NotFound, StaleVersion

_NO_SKU = {"cost_positions_tenant_id_sku_id_fkey": lambda: NotFound(entity="sku")}
_KEY = "tenant_id = :tenant AND sku_id = :sku AND warehouse_id = :warehouse"
# A valued ledger row's amount as it stands: as posted plus its corrections.
_AMOUNTS = f"""
    SELECT l.seq, l.effective_at, l.d_on_hand + l.d_non_sellable AS quantity,
           l.unit_cost IS NOT NULL AS fixed,
           l.cost_amount + coalesce(r.delta, 0) AS amount
      FROM stock_ledger l
      LEFT JOIN (SELECT seq, sum(delta) AS delta FROM cost_revaluations
                  WHERE {_KEY} GROUP BY seq) r ON r.seq = l.seq
     WHERE l.tenant_id = :tenant AND l.sku_id = :sku AND l.warehouse_id = :warehouse
       AND l.cost_amount IS NOT NULL"""
_METHOD_LOCK = "hashtextextended('inventory.costing:' || :lock_tenant, 0)"


def _typed(sql: str, **types: Any) -> TextClause:
    return text(sql).bindparams(*(bindparam(name, type_=kind) for name, kind in types.items()))


def value_sql(filters: str) -> str:
    """Quantity and value per SKU × warehouse at ``:at`` from the closing at ``:closing``
    (NULL: none) and what is effective in between; the closing job writes the same sum.
    The closing's rows are one per level already: only the movements since are grouped,
    then joined to them (grouping the closing's rows again cost most of the time)."""
    return f"""
        WITH moved AS (
            SELECT sku_id, warehouse_id, sum(q) AS q, sum(v) AS v FROM (
                SELECT sku_id, warehouse_id, d_on_hand + d_non_sellable AS q, cost_amount AS v
                  FROM stock_ledger
                 WHERE tenant_id = :tenant AND cost_amount IS NOT NULL
                   AND effective_at >= coalesce(:closing, '-infinity'::timestamptz)
                   AND effective_at < :at {filters}
                UNION ALL
                SELECT sku_id, warehouse_id, 0, delta
                  FROM cost_revaluations
                 WHERE tenant_id = :tenant
                   AND effective_at >= coalesce(:closing, '-infinity'::timestamptz)
                   AND effective_at < :at {filters}
            ) since
            GROUP BY sku_id, warehouse_id
        ), closed AS (
            SELECT sku_id, warehouse_id, quantity, value
              FROM stock_value_closings
             WHERE tenant_id = :tenant AND closes_at = :closing {filters}
        ), joined AS (
            SELECT coalesce(c.sku_id, m.sku_id) AS sku_id,
                   coalesce(c.warehouse_id, m.warehouse_id) AS warehouse_id,
                   (coalesce(c.quantity, 0) + coalesce(m.q, 0))::bigint AS quantity,
                   coalesce(c.value, 0) + coalesce(m.v, 0) AS value
              FROM closed c FULL JOIN moved m
                ON m.sku_id = c.sku_id AND m.warehouse_id = c.warehouse_id
        )
        SELECT sku_id, warehouse_id, quantity, value FROM joined
         WHERE quantity <> 0 OR value <> 0"""


_ORDER = " ORDER BY sku_id, warehouse_id"


def numbered(sql: str) -> str:
    """The named parameters of ``value_sql`` as the driver's numbered ones."""
    return (
        sql.replace(":tenant", "$1::uuid")
        .replace(":closing", "$2::timestamptz")
        .replace(":at", "$3::timestamptz")
    )


# A closing's rows: every level's quantity and value at ``:at`` (the closing job's statement).
CLOSING = (
    "INSERT INTO stock_value_closings (tenant_id, closes_at, sku_id, warehouse_id, quantity,"
    f" value) SELECT :tenant, :at, * FROM ({value_sql('')}) closing"
)

# A report over every level: room to group and sort in memory rather than on disk.
_REPORT_MEMORY = "SET LOCAL work_mem = '64MB'"
TIMES = {"closing": DateTime(timezone=True), "at": DateTime(timezone=True)}


async def closing_at(conn: AsyncConnection, tenant_id: UUID, at: datetime) -> datetime | None:
    """The last closing at or before ``at`` (None: none), where ``value_sql`` starts."""
    row = (
        await conn.execute(
            text(
                "SELECT max(closes_at) AS closes_at FROM stock_closings "
                "WHERE tenant_id = :tenant AND closes_at <= :at"
            ),
            {"tenant": tenant_id, "at": at},
        )
    ).one()
    return row.closes_at  # type: ignore[no-any-return]


class PostgresStockCosts(TenantRepository):
    def _key(self, sku_id: UUID, warehouse_id: UUID) -> dict[str, Any]:
        return {"tenant": self._tenant_id, "sku": sku_id, "warehouse": warehouse_id}

    async def position(self, sku_id: UUID, warehouse_id: UUID) -> CostPosition:
        row = (
            await self._conn.execute(
                text(f"SELECT quantity, value, last_unit_cost FROM cost_positions WHERE {_KEY}"),
                self._key(sku_id, warehouse_id),
            )
        ).first()
        if row is None:
            return CostPosition(sku_id, warehouse_id, 0, ZERO, unit(ZERO))
        quantity, value = int(row.quantity), row.value
        unit_cost = unit(value / quantity) if quantity else row.last_unit_cost
        return CostPosition(sku_id, warehouse_id, quantity, value, unit_cost)

    async def method(self) -> tuple[CostingMethod, int]:
        row = (
            await self._conn.execute(
                text("SELECT method, version FROM costing_settings WHERE tenant_id = :tenant"),
                {"tenant": self._tenant_id},
            )
        ).first()
        return (CostingMethod(row.method), row.version) if row else (CostingMethod.FIFO, 0)

    async def share_method(self) -> CostingMethod:
        await self._conn.execute(
            text(f"SELECT pg_advisory_xact_lock_shared({_METHOD_LOCK})"),
            {"lock_tenant": str(self._tenant_id)},
        )
        return (await self.method())[0]

    async def lock_method(self) -> tuple[CostingMethod, int]:
        await self._conn.execute(
            text(f"SELECT pg_advisory_xact_lock({_METHOD_LOCK})"),
            {"lock_tenant": str(self._tenant_id)},
        )
        return await self.method()

    async def set_method(self, method: CostingMethod, expected_version: int, at: datetime) -> int:
        values = {"tenant": self._tenant_id, "method": method.value, "at": at}
        if expected_version == 0:
            row = (
                await self._conn.execute(
                    text(
                        "INSERT INTO costing_settings (tenant_id, method, updated_at) "
                        "VALUES (:tenant, :method, :at) ON CONFLICT DO NOTHING RETURNING version"
                    ),
                    values,
                )
            ).first()
        else:
            row = (
                await self._conn.execute(
                    text(
                        "UPDATE costing_settings SET method = :method, updated_at = :at, "
                        "version = version + 1 WHERE tenant_id = :tenant AND version = :v "
                        "RETURNING version"
                    ),
                    {**values, "v": expected_version},
                )
            ).first()
        if row is None:
            raise StaleVersion()
        return int(row.version)

    async def has_history(self) -> bool:
        row = (
            await self._conn.execute(
                text(
                    "SELECT EXISTS (SELECT 1 FROM stock_ledger WHERE tenant_id = :tenant "
                    "AND cost_amount IS NOT NULL) AS found"
                ),
                {"tenant": self._tenant_id},
            )
        ).first()
        return bool(row and row.found)

    async def lock_pool(
        self, sku_id: UUID, warehouse_id: UUID, method: CostingMethod, need: int = 0
    ) -> CostPool:
        key = self._key(sku_id, warehouse_id)
        await self._conn.execute(text(f"SELECT 1 FROM stock_levels WHERE {_KEY} FOR UPDATE"), key)
        try:
            row = (
                await self._conn.execute(
                    text(
                        "INSERT INTO cost_positions (tenant_id, sku_id, warehouse_id) "
                        "VALUES (:tenant, :sku, :warehouse) "
                        "ON CONFLICT (tenant_id, sku_id, warehouse_id) "
                        "DO UPDATE SET quantity = cost_positions.quantity "
                        "RETURNING quantity, value, last_unit_cost"
                    ),
                    key,
                )
            ).one()
        except IntegrityError as error:
            raise_for_constraint(error, _NO_SKU)
        pool = CostPool(method, int(row.quantity), row.value, row.last_unit_cost)
        if method is CostingMethod.FIFO and need > 0:
            # the oldest layers, up to the one that completes ``need`` units
            rows = await self._conn.execute(
                text(
                    "SELECT seq, effective_at, quantity, taken, value FROM ("
                    " SELECT *, sum(quantity - taken) OVER (ORDER BY effective_at, seq)"
                    " - (quantity - taken) AS before"
                    f" FROM cost_layers WHERE {_KEY}) oldest"
                    " WHERE before < :need ORDER BY effective_at, seq"
                ),
                {**key, "need": need},
            )
            pool.layers = deque(
                Layer(r.seq, r.effective_at, int(r.quantity), r.value, int(r.taken)) for r in rows
            )
        return pool

    async def save_pool(
        self, sku_id: UUID, warehouse_id: UUID, pool: CostPool, *, rewrite: bool = False
    ) -> None:
        key = self._key(sku_id, warehouse_id)
        await self._conn.execute(
            text(
                "UPDATE cost_positions SET quantity = :quantity, value = :value, "
                f"last_unit_cost = :last, updated_at = now() WHERE {_KEY}"
            ),
            {**key, "quantity": pool.quantity, "value": pool.value, "last": pool.last_unit_cost},
        )
        if pool.method is not CostingMethod.FIFO:
            return
        if rewrite:
            await self._conn.execute(text(f"DELETE FROM cost_layers WHERE {_KEY}"), key)
            await self._insert_layers(key, list(pool.layers))
            return
        new = {id(layer) for layer in pool.added}
        gone = [layer.key for layer in pool.used_up if id(layer) not in new]
        if gone:
            await self._conn.execute(
                _typed(
                    f"DELETE FROM cost_layers WHERE {_KEY} AND seq = ANY(:seqs)",
                    seqs=ARRAY(BigInteger),
                ),
                {**key, "seqs": gone},
            )
        used = {id(layer) for layer in pool.used_up}
        partly = {
            layer.key: layer.taken
            for layer in pool.touched
            if id(layer) not in new and id(layer) not in used
        }
        if partly:
            await self._conn.execute(
                _typed(
                    "UPDATE cost_layers SET taken = u.t FROM unnest(:seqs, :takens) AS u(s, t) "
                    f"WHERE {_KEY.replace('tenant_id', 'cost_layers.tenant_id')} "
                    "AND cost_layers.seq = u.s",
                    seqs=ARRAY(BigInteger),
                    takens=ARRAY(BigInteger),
                ),
                {**key, "seqs": list(partly), "takens": list(partly.values())},
            )
        await self._insert_layers(key, [layer for layer in pool.added if layer.remaining > 0])

    async def _insert_layers(self, key: dict[str, Any], layers: list[Layer]) -> None:
        if not layers:
            return
        await self._conn.execute(
            _typed(
                "INSERT INTO cost_layers (tenant_id, sku_id, warehouse_id, seq, "
                "effective_at, quantity, taken, value) "
                "SELECT :tenant, :sku, :warehouse, s, e, q, t, v "
                "FROM unnest(:seqs, :times, :quantities, :takens, :values) AS u(s, e, q, t, v)",
                seqs=ARRAY(BigInteger),
                times=ARRAY(DateTime(timezone=True)),
                quantities=ARRAY(BigInteger),
                takens=ARRAY(BigInteger),
                values=ARRAY(Numeric(20, 2)),
            ),
            {
                **key,
                "seqs": [layer.key for layer in layers],
                "times": [layer.effective_at for layer in layers],
                "quantities": [layer.quantity for layer in layers],
                "takens": [layer.taken for layer in layers],
                "values": [layer.value for layer in layers],
            },
        )

    async def pool_before(
        self,
        sku_id: UUID,
        warehouse_id: UUID,
        method: CostingMethod,
        effective_at: datetime,
        seq: int,
    ) -> CostPool:
        key = {**self._key(sku_id, warehouse_id), "at": effective_at, "seq": seq}
        before = "(a.effective_at, a.seq) < (:at, :seq)"
        last = (
            await self._conn.execute(
                text(
                    f"SELECT a.quantity, a.amount FROM ({_AMOUNTS}) a WHERE {before} "
                    "AND a.quantity <> 0 ORDER BY a.effective_at DESC, a.seq DESC LIMIT 1"
                ),
                key,
            )
        ).first()
        last_unit = unit(abs(last.amount) / abs(last.quantity)) if last else unit(ZERO)
        if method is CostingMethod.FIFO:
            # The layers left: the inbound movements, oldest first, less the units taken.
            taken = (
                await self._conn.execute(
                    text(
                        f"SELECT coalesce(-sum(a.quantity), 0) AS taken FROM ({_AMOUNTS}) a "
                        f"WHERE {before} AND a.quantity < 0"
                    ),
                    key,
                )
            ).one()
            inbound = await self._conn.execute(
                text(
                    f"SELECT a.seq, a.effective_at, a.quantity, a.amount FROM ({_AMOUNTS}) a "
                    f"WHERE {before} AND a.quantity > 0 ORDER BY a.effective_at, a.seq"
                ),
                key,
            )
            layers = fifo_layers_after(
                ((r.seq, r.effective_at, int(r.quantity), r.amount) for r in inbound),
                int(taken.taken),
            )
            quantity = sum(layer.remaining for layer in layers)
            value = sum((layer.remaining_value for layer in layers), ZERO)
            return CostPool(method, quantity, value, last_unit, deque(layers))
        # Moving average: the level's last closing before the date, and the movements since.
        closing = (
            await self._conn.execute(
                text(
                    "SELECT c.closes_at, coalesce(v.quantity, 0) AS quantity, "
                    "coalesce(v.value, 0) AS value FROM stock_closings c "
                    "LEFT JOIN stock_value_closings v ON v.tenant_id = c.tenant_id "
                    "AND v.closes_at = c.closes_at AND v.sku_id = :sku "
                    "AND v.warehouse_id = :warehouse "
                    "WHERE c.tenant_id = :tenant AND c.closes_at <= :at "
                    "ORDER BY c.closes_at DESC LIMIT 1"
                ),
                key,
            )
        ).first()
        since = (
            await self._conn.execute(
                _typed(
                    "SELECT coalesce(sum(a.quantity), 0) AS quantity, "
                    f"coalesce(sum(a.amount), 0) AS value FROM ({_AMOUNTS}) a WHERE {before} "
                    "AND a.effective_at >= coalesce(:closing, '-infinity'::timestamptz)",
                    closing=DateTime(timezone=True),
                ),
                {**key, "closing": closing.closes_at if closing else None},
            )
        ).one()
        quantity = int(since.quantity) + (int(closing.quantity) if closing else 0)
        value = since.value + (closing.value if closing else ZERO)
        return CostPool(method, quantity, value, last_unit)

    async def valued_from(
        self, sku_id: UUID, warehouse_id: UUID, effective_at: datetime, seq: int
    ) -> list[ValuedMovement]:
        rows = await self._conn.execute(
            text(
                f"SELECT * FROM ({_AMOUNTS}) a WHERE (a.effective_at, a.seq) >= (:at, :seq) "
                "ORDER BY a.effective_at, a.seq"
            ),
            {**self._key(sku_id, warehouse_id), "at": effective_at, "seq": seq},
        )
        return [
            ValuedMovement(
                r.seq, r.effective_at, int(r.quantity), r.amount if r.fixed else None, r.amount
            )
            for r in rows
        ]

    async def closings_after(self, effective_at: datetime) -> list[datetime]:
        rows = await self._conn.execute(
            text(
                "SELECT closes_at FROM stock_closings WHERE tenant_id = :tenant "
                "AND closes_at > :at ORDER BY closes_at"
            ),
            {"tenant": self._tenant_id, "at": effective_at},
        )
        return [row.closes_at for row in rows]

    async def correct(
        self,
        sku_id: UUID,
        warehouse_id: UUID,
        corrections: list[Correction],
        job_id: UUID | None,
    ) -> None:
        if not corrections:
            return
        await self._conn.execute(
            _typed(
                "INSERT INTO cost_revaluations (tenant_id, seq, sku_id, warehouse_id, "
                "effective_at, delta, job_id) SELECT :tenant, s, :sku, :warehouse, e, d, :job "
                "FROM unnest(:seqs, :times, :deltas) AS u(s, e, d)",
                seqs=ARRAY(BigInteger),
                times=ARRAY(DateTime(timezone=True)),
                deltas=ARRAY(Numeric(20, 2)),
                job=Uuid,
            ),
            {
                **self._key(sku_id, warehouse_id),
                "job": job_id,
                "seqs": [c.key for c in corrections],
                "times": [c.effective_at for c in corrections],
                "deltas": [c.delta for c in corrections],
            },
        )

    async def rewrite_closings(
        self, sku_id: UUID, warehouse_id: UUID, states: dict[datetime, tuple[int, Decimal]]
    ) -> None:
        if not states:
            return
        key = self._key(sku_id, warehouse_id)
        times = sorted(states)
        await self._conn.execute(
            _typed(
                f"DELETE FROM stock_value_closings WHERE {_KEY} AND closes_at = ANY(:times)",
                times=ARRAY(DateTime(timezone=True)),
            ),
            {**key, "times": times},
        )
        kept = [t for t in times if states[t] != (0, ZERO)]
        if kept:
            await self._conn.execute(
                _typed(
                    "INSERT INTO stock_value_closings (tenant_id, closes_at, sku_id, "
                    "warehouse_id, quantity, value) SELECT :tenant, c, :sku, :warehouse, q, v "
                    "FROM unnest(:times, :quantities, :values) AS u(c, q, v)",
                    times=ARRAY(DateTime(timezone=True)),
                    quantities=ARRAY(BigInteger),
                    values=ARRAY(Numeric(20, 2)),
                ),
                {
                    **key,
                    "times": kept,
                    "quantities": [states[t][0] for t in kept],
                    "values": [states[t][1] for t in kept],
                },
            )

    async def value_at(
        self,
        at: datetime,
        sku_id: UUID | None,
        warehouse_id: UUID | None,
        after: tuple[UUID, UUID] | None = None,
        limit: int | None = None,
    ) -> Valuation:
        closing = await closing_at(self._conn, self._tenant_id, at)
        filters, values = "", [self._tenant_id, closing, at]
        if sku_id is not None:
            values.append(sku_id)
            filters += f" AND sku_id = ${len(values)}::uuid"
        if warehouse_id is not None:
            values.append(warehouse_id)
            filters += f" AND warehouse_id = ${len(values)}::uuid"
        await self._conn.execute(text(_REPORT_MEMORY))
        # 40,000 levels: read on the driver's connection (this transaction's own), which
        # took half the time the same rows took through SQLAlchemy's result rows
        # (bench/inventory_valuation.py).
        driver = (await self._conn.get_raw_connection()).driver_connection
        assert driver is not None  # guard: an open connection always has its driver's
        # A page: the levels after the last one seen, in the key's order (the closing's
        # primary key and the ledger's index serve the range).
        paged, page_values = filters, list[Any](values)
        if after is not None:
            page_values += list(after)
            n = len(page_values)
            paged += f" AND (sku_id, warehouse_id) > (${n - 1}::uuid, ${n}::uuid)"
        sql = numbered(value_sql(paged)) + _ORDER
        if limit is not None:
            page_values.append(limit)
            sql += f" LIMIT ${len(page_values)}"
        with uncollected():  # 40,000 rows, each a few objects (decision 82)
            rows = await driver.fetch(sql, *page_values)
            levels = [ValuedLevel(r[0], r[1], r[2], r[3]) for r in rows]
            del rows
        total = None
        if after is None and limit is None:
            total = sum((level.value for level in levels), ZERO)
        elif after is None:
            total = await driver.fetchval(
                f"SELECT coalesce(sum(value), 0.00) FROM ({numbered(value_sql(filters))}) v",
                *values,
            )
        return Valuation(at, closing, levels, total)

    async def sku_weights(self, sku_ids: list[UUID]) -> dict[UUID, Decimal]:
        rows = await self._conn.execute(
            _typed(
                "SELECT id, weight_grams FROM skus WHERE tenant_id = :tenant "
                "AND id = ANY(:ids) AND weight_grams IS NOT NULL",
                ids=ARRAY(Uuid),
            ),
            {"tenant": self._tenant_id, "ids": sku_ids},
        )
        return {row.id: row.weight_grams for row in rows}

    async def hold_closings(self) -> None:
        await self._conn.execute(
            text(
                "SELECT pg_advisory_xact_lock("
                "hashtextextended('inventory.closing:' || :lock_tenant, 0))"
            ),
            {"lock_tenant": str(self._tenant_id)},
        )

    async def last_closing(self) -> datetime | None:
        row = (
            await self._conn.execute(
                text("SELECT max(closes_at) AS at FROM stock_closings WHERE tenant_id = :tenant"),
                {"tenant": self._tenant_id},
            )
        ).one()
        return row.at  # type: ignore[no-any-return]

    async def closings(self) -> list[datetime]:
        rows = await self._conn.execute(
            text(
                "SELECT closes_at FROM stock_closings WHERE tenant_id = :tenant ORDER BY closes_at"
            ),
            {"tenant": self._tenant_id},
        )
        return [row.closes_at for row in rows]

    async def prune_closings(self, closings: list[datetime]) -> None:
        if not closings:
            return
        for table in ("stock_value_closings", "stock_closings"):
            await self._conn.execute(
                _typed(
                    f"DELETE FROM {table} WHERE tenant_id = :tenant AND closes_at = ANY(:times)",
                    times=ARRAY(DateTime(timezone=True)),
                ),
                {"tenant": self._tenant_id, "times": closings},
            )

    async def first_valued(self) -> datetime | None:
        row = (
            await self._conn.execute(
                text(
                    "SELECT min(effective_at) AS at FROM stock_ledger "
                    "WHERE tenant_id = :tenant AND cost_amount IS NOT NULL"
                ),
                {"tenant": self._tenant_id},
            )
        ).one()
        return row.at  # type: ignore[no-any-return]

    async def close(self, previous: datetime | None, closes_at: datetime) -> int:
        await self._conn.execute(
            text("INSERT INTO stock_closings (tenant_id, closes_at) VALUES (:tenant, :at)"),
            {"tenant": self._tenant_id, "at": closes_at},
        )
        await self._conn.execute(text(_REPORT_MEMORY))
        result = await self._conn.execute(
            _typed(CLOSING, **TIMES),
            {"tenant": self._tenant_id, "at": closes_at, "closing": previous},
        )
        return int(result.rowcount)
