"""Batches, their stock per warehouse, serials and the settings that decide which SKUs
have them, in Postgres (INV-8).

Serials are scanned in and out as sets: a document's serials are one array parameter
unnested in ONE statement (``put_serials``, ``take_serials``, ``record_serial_moves``),
never a round trip per serial — 10,000 serials in a receipt are three statements
(bench/inventory_serials.py).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Table, and_, func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError

from adapters.postgres.inventory.stock import entry_of
from adapters.postgres.inventory.tables import (
    reservation_batches,
    sku_stock_settings,
    stock_batch_levels,
    stock_batches,
    stock_ledger,
    stock_levels,
    stock_serial_moves,
    stock_serials,
    stock_settings,
)
from adapters.postgres.shared.errors import raise_for_constraint
from adapters.postgres.shared.rows import AnyRow, TenantRepository
from application.inventory.ports import BatchRepository, ExpiringStock, SerialRecord
from domain.inventory.batches import (
    Batch,
    BatchInput,
    BatchStock,
    Pick,
    PickingRule,
    SkuStockSettings,
    StockSettings,
)
from domain.shared.errors import NotFound, StaleVersion

_NO_SKU = {"sku_stock_settings_tenant_id_sku_id_fkey": lambda: NotFound(entity="sku")}

# Serials scanned in: new ones inserted, issued ones (returned goods) back in stock; one in
# stock already is left as it is and comes back as refused. One statement for the set.
_PUT_SERIALS = text("""
    WITH scanned AS (SELECT DISTINCT unnest(CAST(:serials AS text[])) AS serial),
    put AS (
        INSERT INTO stock_serials AS s
            (tenant_id, sku_id, serial, status, warehouse_id, batch_id, updated_at)
        SELECT CAST(:tenant AS uuid), CAST(:sku AS uuid), serial, 'in_stock',
            CAST(:warehouse AS uuid), CAST(:batch AS uuid), now() FROM scanned
        ON CONFLICT (tenant_id, sku_id, serial) DO UPDATE
            SET status = 'in_stock', warehouse_id = EXCLUDED.warehouse_id,
                batch_id = EXCLUDED.batch_id, updated_at = now()
            WHERE s.status = 'issued'
        RETURNING s.serial
    )
    SELECT serial FROM scanned EXCEPT SELECT serial FROM put ORDER BY serial
""")

# Serials scanned out of one warehouse: only those in stock there are taken — issued, or
# in transit to a transfer's destination (INV-5).
_TAKE_SERIALS = text("""
    UPDATE stock_serials AS s
    SET status = CASE WHEN CAST(:to AS uuid) IS NULL THEN 'issued' ELSE 'in_transit' END,
        warehouse_id = coalesce(CAST(:to AS uuid), s.warehouse_id), updated_at = now()
    FROM (SELECT DISTINCT unnest(CAST(:serials AS text[])) AS serial) AS scanned
    WHERE s.tenant_id = :tenant AND s.sku_id = :sku AND s.serial = scanned.serial
      AND s.status = 'in_stock' AND s.warehouse_id = :warehouse
    RETURNING s.serial, s.batch_id
""")

# Serials a transfer's receipt accounts for (INV-5): only those in transit to its
# destination whose last move is that transfer's shipment are taken — in stock there, or
# out of stock when they never arrived (``lost``).
_ARRIVE_SERIALS = text("""
    UPDATE stock_serials AS s
    SET status = CASE WHEN s.serial = ANY(CAST(:lost AS text[])) THEN 'issued'
                      ELSE 'in_stock' END,
        updated_at = now()
    FROM (SELECT DISTINCT unnest(CAST(:serials AS text[])) AS serial) AS scanned
    WHERE s.tenant_id = :tenant AND s.sku_id = :sku AND s.serial = scanned.serial
      AND s.status = 'in_transit' AND s.warehouse_id = :warehouse
      AND (SELECT l.source_type = 'transfer' AND l.source_id = CAST(:transfer AS uuid)
           FROM stock_serial_moves AS m
           JOIN stock_ledger AS l ON l.tenant_id = m.tenant_id AND l.seq = m.ledger_seq
           WHERE m.tenant_id = s.tenant_id AND m.sku_id = s.sku_id AND m.serial = s.serial
           ORDER BY m.ledger_seq DESC LIMIT 1)
    RETURNING s.serial, s.batch_id
""")

_RECORD_MOVES = text("""
    INSERT INTO stock_serial_moves (tenant_id, sku_id, serial, ledger_seq)
    SELECT CAST(:tenant AS uuid), CAST(:sku AS uuid), serial, seq
    FROM unnest(CAST(:serials AS text[]), CAST(:seqs AS bigint[])) AS m (serial, seq)
""")


def _batch(row: AnyRow) -> Batch:
    return Batch(row.id, row.sku_id, row.batch_no, row.production_date, row.expiry_date)


def _stock(row: AnyRow) -> BatchStock:
    return BatchStock(
        _batch(row),
        row.warehouse_id,
        row.on_hand,
        row.non_sellable,
        row.first_received_at,
        int(row.held),
    )


# The units of a batch pick locks hold (INV-8): the reservations' batches, summed.
_HELD = (
    select(func.coalesce(func.sum(reservation_batches.c.quantity), 0))
    .where(
        reservation_batches.c.tenant_id == stock_batch_levels.c.tenant_id,
        reservation_batches.c.sku_id == stock_batch_levels.c.sku_id,
        reservation_batches.c.warehouse_id == stock_batch_levels.c.warehouse_id,
        reservation_batches.c.batch_id == stock_batch_levels.c.batch_id,
    )
    .scalar_subquery()
)


_STOCK_COLUMNS = (
    stock_batches.c.id,
    stock_batches.c.sku_id,
    stock_batches.c.batch_no,
    stock_batches.c.production_date,
    stock_batches.c.expiry_date,
    stock_batch_levels.c.warehouse_id,
    stock_batch_levels.c.on_hand,
    stock_batch_levels.c.non_sellable,
    stock_batch_levels.c.first_received_at,
    _HELD.label("held"),
)
_BATCH_STOCK = stock_batch_levels.join(
    stock_batches,
    and_(
        stock_batches.c.tenant_id == stock_batch_levels.c.tenant_id,
        stock_batches.c.id == stock_batch_levels.c.batch_id,
    ),
)


class PostgresBatchRepository(TenantRepository, BatchRepository):
    async def _put_versioned(
        self, table: Table, key: dict[str, Any], values: dict[str, Any], expected_version: int
    ) -> None:
        """Insert (``expected_version`` 0) or update the row at that version; a row
        inserted meanwhile, or another version, is ``StaleVersion``."""
        if expected_version == 0:
            insert = pg_insert(table).values(tenant_id=self._tenant_id, **key, **values)
            statement: Any = insert.on_conflict_do_nothing().returning(table.c.version)
        else:
            condition = [table.c.tenant_id == self._tenant_id, table.c.version == expected_version]
            condition += [table.c[name] == value for name, value in key.items()]
            statement = (
                update(table)
                .where(*condition)
                .values(**values, version=table.c.version + 1)
                .returning(table.c.version)
            )
        try:
            row = await self._first(statement)
        except IntegrityError as error:
            raise_for_constraint(error, _NO_SKU)
        if row is None:
            raise StaleVersion(expected=expected_version)

    async def settings(self) -> StockSettings:
        row = await self._first(
            select(stock_settings).where(stock_settings.c.tenant_id == self._tenant_id)
        )
        if row is None:
            return StockSettings()
        return StockSettings(PickingRule(row.picking_rule), row.expiry_warning_days, row.version)

    async def put_settings(
        self, settings: StockSettings, expected_version: int, at: datetime
    ) -> None:
        values = {
            "picking_rule": settings.picking_rule.value,
            "expiry_warning_days": settings.expiry_warning_days,
            "updated_at": at,
        }
        await self._put_versioned(stock_settings, {}, values, expected_version)

    async def sku_settings(self, sku_id: UUID) -> SkuStockSettings:
        # The catalog's SKU row, read by name (decisions.md, 29): an unknown SKU (or
        # another tenant's) is not found rather than "nothing kept".
        row = (
            await self._conn.execute(
                text(
                    "SELECT st.batch_managed, st.serial_managed, st.picking_rule, st.version"
                    " FROM skus s LEFT JOIN sku_stock_settings st"
                    " ON st.tenant_id = s.tenant_id AND st.sku_id = s.id"
                    " WHERE s.tenant_id = :tenant AND s.id = :sku"
                ),
                {"tenant": self._tenant_id, "sku": sku_id},
            )
        ).first()
        if row is None:
            raise NotFound(entity="sku")
        if row.version is None:
            return SkuStockSettings(sku_id)
        rule = PickingRule(row.picking_rule) if row.picking_rule else None
        return SkuStockSettings(sku_id, row.batch_managed, row.serial_managed, rule, row.version)

    async def put_sku_settings(
        self, settings: SkuStockSettings, expected_version: int, at: datetime
    ) -> None:
        values = {
            "batch_managed": settings.batch_managed,
            "serial_managed": settings.serial_managed,
            "picking_rule": settings.picking_rule.value if settings.picking_rule else None,
            "updated_at": at,
        }
        key = {"sku_id": settings.sku_id}
        await self._put_versioned(sku_stock_settings, key, values, expected_version)

    async def kept(self, sku_ids: set[UUID]) -> set[UUID]:
        if not sku_ids:
            return set()
        rows = await self._conn.execute(
            select(sku_stock_settings.c.sku_id).where(
                sku_stock_settings.c.tenant_id == self._tenant_id,
                sku_stock_settings.c.sku_id.in_(sku_ids),
                sku_stock_settings.c.batch_managed | sku_stock_settings.c.serial_managed,
            )
        )
        return {row.sku_id for row in rows}

    async def batch(self, sku_id: UUID, batch: BatchInput, new_id: UUID, at: datetime) -> Batch:
        # Created if missing, else found: two receipts of a new batch racing create it once.
        await self._conn.execute(
            pg_insert(stock_batches)
            .values(
                tenant_id=self._tenant_id,
                id=new_id,
                sku_id=sku_id,
                batch_no=batch.number,
                production_date=batch.production_date,
                expiry_date=batch.expiry_date,
                created_at=at,
            )
            .on_conflict_do_nothing(constraint="stock_batches_number_key")
        )
        found = await self.named(sku_id, batch.number)
        assert found is not None  # inserted or found above, in this transaction
        return found

    async def named(self, sku_id: UUID, number: str) -> Batch | None:
        row = await self._first(
            select(stock_batches).where(
                stock_batches.c.tenant_id == self._tenant_id,
                stock_batches.c.sku_id == sku_id,
                stock_batches.c.batch_no == number,
            )
        )
        return _batch(row) if row else None

    async def stock(
        self, sku_id: UUID, warehouse_id: UUID, *, lock: bool = False
    ) -> list[BatchStock]:
        if lock:
            await self._conn.execute(
                select(stock_levels.c.id)
                .where(
                    stock_levels.c.tenant_id == self._tenant_id,
                    stock_levels.c.sku_id == sku_id,
                    stock_levels.c.warehouse_id == warehouse_id,
                    stock_levels.c.batch_id.is_(None),
                )
                .with_for_update()
            )
        rows = await self._conn.execute(
            select(*_STOCK_COLUMNS)
            .select_from(_BATCH_STOCK)
            .where(
                stock_batch_levels.c.tenant_id == self._tenant_id,
                stock_batch_levels.c.sku_id == sku_id,
                stock_batch_levels.c.warehouse_id == warehouse_id,
                (stock_batch_levels.c.on_hand + stock_batch_levels.c.non_sellable) > 0,
            )
        )
        return [_stock(row) for row in rows]

    async def expiring(
        self, until: date, warehouse_id: UUID | None, sku_id: UUID | None, limit: int
    ) -> list[ExpiringStock]:
        # The catalog's SKU code and the warehouse's, read by name (decisions.md, 29).
        rows = await self._conn.execute(
            text(
                "SELECT b.id, b.sku_id, b.batch_no, b.production_date, b.expiry_date,"
                " l.warehouse_id, l.on_hand, l.non_sellable, l.first_received_at,"
                " 0 AS held, s.code AS sku_code, w.code AS warehouse_code"
                " FROM stock_batch_levels l"
                " JOIN stock_batches b ON b.tenant_id = l.tenant_id AND b.id = l.batch_id"
                " JOIN skus s ON s.tenant_id = l.tenant_id AND s.id = l.sku_id"
                " JOIN warehouses w ON w.tenant_id = l.tenant_id AND w.id = l.warehouse_id"
                " WHERE l.tenant_id = :tenant AND b.expiry_date <= :until"
                " AND l.on_hand + l.non_sellable > 0"
                " AND (CAST(:warehouse AS uuid) IS NULL OR l.warehouse_id = :warehouse)"
                " AND (CAST(:sku AS uuid) IS NULL OR l.sku_id = :sku)"
                " ORDER BY b.expiry_date, s.code, w.code, b.batch_no LIMIT :limit"
            ),
            {
                "tenant": self._tenant_id,
                "until": until,
                "warehouse": warehouse_id,
                "sku": sku_id,
                "limit": limit,
            },
        )
        return [ExpiringStock(_stock(row), row.sku_code, row.warehouse_code) for row in rows]

    async def put_serials(
        self, sku_id: UUID, warehouse_id: UUID, batch_id: UUID | None, serials: list[str]
    ) -> list[str]:
        rows = await self._conn.execute(
            _PUT_SERIALS,
            {
                "tenant": self._tenant_id,
                "sku": sku_id,
                "warehouse": warehouse_id,
                "batch": batch_id,
                "serials": serials,
            },
        )
        return [row.serial for row in rows]

    async def take_serials(
        self,
        sku_id: UUID,
        warehouse_id: UUID,
        serials: list[str],
        *,
        in_transit_to: UUID | None = None,
    ) -> dict[str, UUID | None]:
        rows = await self._conn.execute(
            _TAKE_SERIALS,
            {
                "tenant": self._tenant_id,
                "sku": sku_id,
                "warehouse": warehouse_id,
                "serials": serials,
                "to": in_transit_to,
            },
        )
        return {row.serial: row.batch_id for row in rows}

    async def arrive_serials(
        self,
        sku_id: UUID,
        transfer_id: UUID,
        warehouse_id: UUID,
        serials: list[str],
        lost: list[str],
    ) -> dict[str, UUID | None]:
        rows = await self._conn.execute(
            _ARRIVE_SERIALS,
            {
                "tenant": self._tenant_id,
                "sku": sku_id,
                "warehouse": warehouse_id,
                "transfer": transfer_id,
                "serials": serials,
                "lost": lost,
            },
        )
        return {row.serial: row.batch_id for row in rows}

    async def serial_states(self, sku_id: UUID, serials: list[str]) -> dict[str, bool]:
        rows = await self._conn.execute(
            select(stock_serials.c.serial, stock_serials.c.status).where(
                stock_serials.c.tenant_id == self._tenant_id,
                stock_serials.c.sku_id == sku_id,
                stock_serials.c.serial == func.any(serials),
            )
        )
        return {row.serial: row.status == "in_stock" for row in rows}

    async def record_serial_moves(self, sku_id: UUID, moves: dict[int, list[str]]) -> None:
        serials = [serial for group in moves.values() for serial in group]
        seqs = [seq for seq, group in moves.items() for _ in group]
        await self._conn.execute(
            _RECORD_MOVES,
            {"tenant": self._tenant_id, "sku": sku_id, "serials": serials, "seqs": seqs},
        )

    async def serial(self, sku_id: UUID, serial: str) -> SerialRecord | None:
        key = and_(
            stock_serials.c.tenant_id == self._tenant_id,
            stock_serials.c.sku_id == sku_id,
            stock_serials.c.serial == serial,
        )
        row = await self._first(select(stock_serials).where(key))
        if row is None:
            return None
        moves = await self._conn.execute(
            select(stock_ledger)
            .join(
                stock_serial_moves,
                and_(
                    stock_serial_moves.c.tenant_id == stock_ledger.c.tenant_id,
                    stock_serial_moves.c.ledger_seq == stock_ledger.c.seq,
                ),
            )
            .where(
                stock_serial_moves.c.tenant_id == self._tenant_id,
                stock_serial_moves.c.sku_id == sku_id,
                stock_serial_moves.c.serial == serial,
            )
            .order_by(stock_ledger.c.seq)
        )
        return SerialRecord(
            sku_id,
            serial,
            row.status == "in_stock",
            row.warehouse_id,
            row.batch_id,
            [entry_of(move) for move in moves],
            in_transit=row.status == "in_transit",
        )

    async def hold(
        self,
        reservation_id: UUID,
        line_no: int,
        sku_id: UUID,
        warehouse_id: UUID,
        picks: list[Pick],
    ) -> None:
        if picks:
            await self._conn.execute(
                reservation_batches.insert(),
                [
                    {
                        "tenant_id": self._tenant_id,
                        "reservation_id": reservation_id,
                        "line_no": line_no,
                        "batch_id": pick.batch.id,
                        "sku_id": sku_id,
                        "warehouse_id": warehouse_id,
                        "quantity": pick.quantity,
                    }
                    for pick in picks
                ],
            )

    async def unhold(self, reservation_id: UUID) -> dict[int, list[tuple[UUID, int]]]:
        rows = await self._conn.execute(
            reservation_batches.delete()
            .where(
                reservation_batches.c.tenant_id == self._tenant_id,
                reservation_batches.c.reservation_id == reservation_id,
            )
            .returning(
                reservation_batches.c.line_no,
                reservation_batches.c.batch_id,
                reservation_batches.c.quantity,
            )
        )
        held: dict[int, list[tuple[UUID, int]]] = {}
        for row in sorted(rows, key=lambda r: (r.line_no, str(r.batch_id))):
            held.setdefault(row.line_no, []).append((row.batch_id, int(row.quantity)))
        return held
