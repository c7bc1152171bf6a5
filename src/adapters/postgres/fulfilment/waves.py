"""Waves and shipments in Postgres (LOG-1)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import ColumnElement, and_, func, insert, select

from adapters.postgres.fulfilment.rows import lines_json, lines_of
from adapters.postgres.fulfilment.tables import shipments, waves
from adapters.postgres.shared.rows import AnyRow, TenantRepository, from_row, one_updated, values_of
from domain.fulfilment.shipment import BEFORE_DISPATCH, Shipment, ShipmentLine, ShipmentStatus
from domain.fulfilment.wave import Wave, WaveLine, WaveStatus

_WAVE = [c for c in waves.c if c.name != "tenant_id"]
_SHIPMENT = [c for c in shipments.c if c.name != "tenant_id"]
_FIXED = ("id", "created_at", "number", "order_number", "wave_id", "order_id")


def _wave(row: AnyRow) -> Wave:
    return from_row(
        Wave,
        row,
        status=WaveStatus(row.status),
        lines=lines_of(WaveLine, row.lines),
        order_ids=tuple(row.order_ids),
    )


def _shipment(row: AnyRow) -> Shipment:
    return from_row(
        Shipment,
        row,
        status=ShipmentStatus(row.status),
        lines=lines_of(ShipmentLine, row.lines),
        reservation_ids=tuple(row.reservation_ids),
    )


def _wave_values(wave: Wave) -> dict[str, object]:
    return values_of(
        wave,
        _WAVE,
        status=wave.status.value,
        lines=lines_json(wave.lines),
        order_ids=list(wave.order_ids),
    )


def _shipment_values(shipment: Shipment) -> dict[str, object]:
    return values_of(
        shipment,
        _SHIPMENT,
        status=shipment.status.value,
        lines=lines_json(shipment.lines),
        reservation_ids=list(shipment.reservation_ids),
    )


# The advisory lock's class id (first key) that numbers a tenant's waves: "WAVE".
NUMBER_LOCK_CLASS = 0x57415645


class PostgresWaveRepository(TenantRepository):
    async def next_number(self, at: datetime) -> str:
        """The day's next number. Two plans at once would count the same waves and take
        the same number: the tenant's numbering lock, held to the end of the
        transaction that adds the wave, makes the second count after the first's insert."""
        await self._conn.execute(
            select(
                func.pg_advisory_xact_lock(NUMBER_LOCK_CLASS, func.hashtext(str(self._tenant_id)))
            )
        )
        prefix = f"WV{at:%Y%m%d}"
        taken = await self._conn.scalar(
            select(func.count()).where(
                waves.c.tenant_id == self._tenant_id, waves.c.number.startswith(prefix)
            )
        )
        return f"{prefix}{(taken or 0) + 1:04d}"

    async def get(self, wave_id: UUID, *, for_update: bool = False) -> Wave | None:
        query = select(*_WAVE).where(self._row_of(waves, wave_id))
        row = await self._first(query.with_for_update() if for_update else query)
        return _wave(row) if row else None

    async def add(self, wave: Wave) -> None:
        await self._insert(waves, _wave_values(wave))

    async def save(self, wave: Wave, expected_version: int) -> None:
        values = {k: v for k, v in _wave_values(wave).items() if k not in _FIXED}
        result = await self._conn.execute(
            self._at_version(waves, wave.id, expected_version).values(values)
        )
        one_updated(result.rowcount, expected_version)

    async def page(self, after: UUID | None, limit: int) -> list[Wave]:
        query = select(*_WAVE).where(waves.c.tenant_id == self._tenant_id)
        if after is not None:
            query = query.where(waves.c.id > after)
        rows = await self._conn.execute(query.order_by(waves.c.id).limit(limit))
        return [_wave(row) for row in rows]


class PostgresShipmentRepository(TenantRepository):
    async def get(self, shipment_id: UUID, *, for_update: bool = False) -> Shipment | None:
        query = select(*_SHIPMENT).where(self._row_of(shipments, shipment_id))
        row = await self._first(query.with_for_update() if for_update else query)
        return _shipment(row) if row else None

    async def add_many(self, added: Sequence[Shipment]) -> None:
        if added:
            rows = [{"tenant_id": self._tenant_id, **_shipment_values(s)} for s in added]
            await self._conn.execute(insert(shipments), rows)

    async def save(self, shipment: Shipment, expected_version: int) -> None:
        values = {k: v for k, v in _shipment_values(shipment).items() if k not in _FIXED}
        result = await self._conn.execute(
            self._at_version(shipments, shipment.id, expected_version).values(values)
        )
        one_updated(result.rowcount, expected_version)

    async def of_wave(self, wave_id: UUID) -> list[Shipment]:
        rows = await self._conn.execute(
            select(*_SHIPMENT)
            .where(shipments.c.tenant_id == self._tenant_id, shipments.c.wave_id == wave_id)
            .order_by(shipments.c.order_number)
        )
        return [_shipment(row) for row in rows]

    async def open_of_order(self, order_id: UUID) -> Shipment | None:
        row = await self._first(
            select(*_SHIPMENT).where(
                shipments.c.tenant_id == self._tenant_id,
                shipments.c.order_id == order_id,
                shipments.c.status.in_([s.value for s in BEFORE_DISPATCH]),
            )
        )
        return _shipment(row) if row else None

    async def lock_reports_due(self, now: datetime, limit: int) -> list[Shipment]:
        c = shipments.c
        rows = await self._conn.execute(
            select(*_SHIPMENT)
            .where(c.tenant_id == self._tenant_id, report_due(now))
            .order_by(c.next_report_at, c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [_shipment(row) for row in rows]


def report_due(now: datetime) -> ColumnElement[bool]:
    """The partial index ``shipments_report_due``'s condition, and due by ``now``."""
    c = shipments.c
    return and_(c.channel_reported.is_(False), c.next_report_at <= now)
