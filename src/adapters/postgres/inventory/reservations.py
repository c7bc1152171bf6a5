"""Reservations and their lines in Postgres (INV-2)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import Uuid, any_, bindparam, select, text
from sqlalchemy.dialects.postgresql import ARRAY

from adapters.postgres.inventory.tables import reservation_lines, reservations
from adapters.postgres.shared.driver import DriverStatement
from adapters.postgres.shared.rows import AnyRow, TenantRepository, from_row, one_updated
from domain.inventory.reservation import Reservation, ReservationLine, ReservationStatus

_COLUMNS = [c for c in reservations.c if c.name != "tenant_id"]
# The header, then its lines from arrays (one row per line), in one statement; sent on
# every reservation, so run on the driver (decision 82).
_ADD = DriverStatement(
    text(
        """
    WITH header AS (
        INSERT INTO reservations (tenant_id, id, channel_id, source_type, source_id, status,
                                  expires_at, version, created_by, created_at, updated_at)
        VALUES (:tenant_id, :id, :channel_id, :source_type, :source_id, :status,
                :expires_at, :version, :created_by, :created_at, :updated_at)
        RETURNING tenant_id, id
    )
    INSERT INTO reservation_lines (tenant_id, reservation_id, line_no, sku_id, warehouse_id,
                                   quantity)
    SELECT header.tenant_id, header.id, line.line_no, line.sku_id, line.warehouse_id,
           line.quantity
    FROM header,
         unnest(CAST(:line_nos AS integer[]), CAST(:sku_ids AS uuid[]),
                CAST(:warehouse_ids AS uuid[]), CAST(:quantities AS bigint[]))
           AS line (line_no, sku_id, warehouse_id, quantity)
    """
    )
)
# Many reservations (a page of marketplace orders) and all their lines in one statement.
_ADD_MANY = text(
    """
    WITH header AS (
        INSERT INTO reservations (tenant_id, id, channel_id, source_type, source_id, status,
                                  expires_at, version, created_by, created_at, updated_at)
        SELECT CAST(:tenant_id AS uuid), r.id, r.channel_id, r.source_type, r.source_id,
               r.status, r.expires_at, 1, CAST(:created_by AS text), r.at, r.at
        FROM unnest(CAST(:ids AS uuid[]), CAST(:channel_ids AS uuid[]),
                    CAST(:source_types AS text[]), CAST(:source_ids AS uuid[]),
                    CAST(:statuses AS text[]), CAST(:expires AS timestamptz[]),
                    CAST(:ats AS timestamptz[]))
               AS r (id, channel_id, source_type, source_id, status, expires_at, at)
        RETURNING id
    )
    INSERT INTO reservation_lines (tenant_id, reservation_id, line_no, sku_id, warehouse_id,
                                   quantity)
    SELECT CAST(:tenant_id AS uuid), line.reservation_id, line.line_no, line.sku_id,
           line.warehouse_id, line.quantity
    FROM unnest(CAST(:line_reservations AS uuid[]), CAST(:line_nos AS integer[]),
                CAST(:sku_ids AS uuid[]), CAST(:warehouse_ids AS uuid[]),
                CAST(:quantities AS bigint[]))
           AS line (reservation_id, line_no, sku_id, warehouse_id, quantity)
    JOIN header ON header.id = line.reservation_id
    """
)
_LINE_COLUMNS = [c for c in reservation_lines.c if c.name not in ("tenant_id", "reservation_id")]


class PostgresReservationRepository(TenantRepository):
    async def add(self, reservation: Reservation) -> None:
        """The reservation and its lines in one statement (a placement counts them)."""
        await _ADD.fetch(
            self._conn,
            {
                "tenant_id": self._tenant_id,
                "id": reservation.id,
                "channel_id": reservation.channel_id,
                "source_type": reservation.source_type,
                "source_id": reservation.source_id,
                "status": reservation.status.value,
                "expires_at": reservation.expires_at,
                "version": reservation.version,
                "created_by": reservation.created_by,
                "created_at": reservation.created_at,
                "updated_at": reservation.updated_at,
                "line_nos": [line.line_no for line in reservation.lines],
                "sku_ids": [line.sku_id for line in reservation.lines],
                "warehouse_ids": [line.warehouse_id for line in reservation.lines],
                "quantities": [line.quantity for line in reservation.lines],
            },
        )

    async def add_many(self, added: list[Reservation]) -> None:
        """New reservations (version 1, one creator) and their lines in one statement."""
        if not added:
            return
        lines = [(r.id, line) for r in added for line in r.lines]
        await self._conn.execute(
            _ADD_MANY,
            {
                "tenant_id": self._tenant_id,
                "created_by": added[0].created_by,
                "ids": [r.id for r in added],
                "channel_ids": [r.channel_id for r in added],
                "source_types": [r.source_type for r in added],
                "source_ids": [r.source_id for r in added],
                "statuses": [r.status.value for r in added],
                "expires": [r.expires_at for r in added],
                "ats": [r.created_at for r in added],
                "line_reservations": [rid for rid, _ in lines],
                "line_nos": [line.line_no for _, line in lines],
                "sku_ids": [line.sku_id for _, line in lines],
                "warehouse_ids": [line.warehouse_id for _, line in lines],
                "quantities": [line.quantity for _, line in lines],
            },
        )

    async def _lines(self, reservation_id: UUID) -> list[ReservationLine]:
        rows = await self._conn.execute(
            select(*_LINE_COLUMNS)
            .where(
                reservation_lines.c.tenant_id == self._tenant_id,
                reservation_lines.c.reservation_id == reservation_id,
            )
            .order_by(reservation_lines.c.line_no)
        )
        return [from_row(ReservationLine, row) for row in rows]

    async def _reservation(self, row: AnyRow) -> Reservation:
        return from_row(
            Reservation,
            row,
            status=ReservationStatus(row.status),
            lines=await self._lines(row.id),
        )

    async def get(self, reservation_id: UUID, *, for_update: bool = False) -> Reservation | None:
        query = select(*_COLUMNS).where(self._row_of(reservations, reservation_id))
        row = await self._first(query.with_for_update() if for_update else query)
        return await self._reservation(row) if row else None

    async def save(self, reservation: Reservation, expected_version: int) -> None:
        result = await self._conn.execute(
            self._at_version(reservations, reservation.id, expected_version).values(
                status=reservation.status.value,
                version=reservation.version,
                updated_at=reservation.updated_at,
            )
        )
        one_updated(result.rowcount, expected_version)

    async def warehouses(self, reservation_ids: Sequence[UUID]) -> dict[UUID, frozenset[UUID]]:
        # ``= ANY(array)``, not an expanding IN: one statement text whatever the count, so
        # it is prepared once a connection (a page of reviewed orders asks with ~100 ids)
        ids = bindparam("reservation_ids", list(reservation_ids), type_=ARRAY(Uuid))
        rows = await self._conn.execute(
            select(reservation_lines.c.reservation_id, reservation_lines.c.warehouse_id)
            .where(
                reservation_lines.c.tenant_id == self._tenant_id,
                reservation_lines.c.reservation_id == any_(ids),
            )
            .distinct()
        )
        found: dict[UUID, set[UUID]] = {}
        for reservation_id, warehouse_id in rows:
            found.setdefault(reservation_id, set()).add(warehouse_id)
        return {r: frozenset(w) for r, w in found.items()}

    async def lock_due(self, now: datetime, limit: int) -> list[Reservation]:
        rows = await self._conn.execute(
            select(*_COLUMNS)
            .where(
                reservations.c.tenant_id == self._tenant_id,
                reservations.c.status == ReservationStatus.ACTIVE.value,
                reservations.c.expires_at.is_not(None),
                reservations.c.expires_at <= now,
            )
            .order_by(reservations.c.expires_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [await self._reservation(row) for row in rows.all()]
