"""The waybill register and its tracking events in Postgres (LOG-2)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import Select, func, select, update
from sqlalchemy.dialects.postgresql import insert

from adapters.postgres.logistics.tables import tracking_cursors, tracking_events, waybills
from adapters.postgres.shared.rows import AnyRow, TenantRepository, from_row, one_updated, values_of
from application.logistics.ports import TrackingEvent
from domain.logistics.waybill import FINAL_STATUSES, Anomaly, Waybill

_COLUMNS = [c for c in waybills.c if c.name != "tenant_id"]
_READ = select(*_COLUMNS)
_CHANGING = [c for c in _COLUMNS if c.name not in ("shipment_id", "booked_at")]


def _waybill(row: AnyRow) -> Waybill:
    return from_row(Waybill, row, anomalies=tuple(row.anomalies))


class PostgresWaybillRepository(TenantRepository):
    def _mine(self) -> Select[tuple[object, ...]]:
        return _READ.where(waybills.c.tenant_id == self._tenant_id)

    async def _one(self, query: Select[tuple[object, ...]], for_update: bool) -> Waybill | None:
        row = await self._first(query.with_for_update() if for_update else query)
        return _waybill(row) if row else None

    async def add(self, waybill: Waybill) -> None:
        values = values_of(waybill, _COLUMNS, anomalies=list(waybill.anomalies))
        statement = insert(waybills).values(tenant_id=self._tenant_id, **values)
        # A retried booking of the shipment finds its waybill there; a tracking number
        # another shipment holds is a real clash and raises.
        await self._conn.execute(
            statement.on_conflict_do_nothing(index_elements=["tenant_id", "shipment_id"])
        )

    async def get(self, shipment_id: UUID, *, for_update: bool = False) -> Waybill | None:
        return await self._one(
            self._mine().where(waybills.c.shipment_id == shipment_id), for_update
        )

    async def of_order(self, order_id: UUID) -> list[Waybill]:
        query = self._mine().where(waybills.c.order_id == order_id)
        return [_waybill(row) for row in await self._conn.execute(query)]

    async def by_tracking_no(
        self, carrier_code: str, tracking_no: str, *, for_update: bool = False
    ) -> Waybill | None:
        query = self._mine().where(
            waybills.c.carrier_code == carrier_code, waybills.c.tracking_no == tracking_no
        )
        return await self._one(query, for_update)

    async def save(self, waybill: Waybill, expected_version: int) -> None:
        result = await self._conn.execute(
            update(waybills)
            .where(
                waybills.c.tenant_id == self._tenant_id,
                waybills.c.shipment_id == waybill.shipment_id,
                waybills.c.version == expected_version,
            )
            .values(values_of(waybill, _CHANGING, anomalies=list(waybill.anomalies)))
        )
        one_updated(result.rowcount, expected_version)

    async def by_tracking_nos(
        self, carrier_code: str, tracking_nos: Sequence[str], *, for_update: bool = False
    ) -> dict[str, Waybill]:
        query = self._mine().where(
            waybills.c.carrier_code == carrier_code,
            waybills.c.tracking_no.in_(sorted(set(tracking_nos))),
        )
        if for_update:  # in one order whoever locks them: two batches never deadlock
            query = query.order_by(waybills.c.tracking_no).with_for_update()
        rows = await self._conn.execute(query)
        return {row.tracking_no: _waybill(row) for row in rows}

    async def booked_between(
        self, carrier_code: str, start: datetime, end: datetime
    ) -> list[Waybill]:
        query = self._mine().where(
            waybills.c.carrier_code == carrier_code,
            waybills.c.booked_at >= start,
            waybills.c.booked_at < end,
        )
        return [_waybill(row) for row in await self._conn.execute(query)]

    async def cod_outstanding(self, carrier_code: str) -> list[Waybill]:
        query = self._mine().where(
            waybills.c.carrier_code == carrier_code,
            waybills.c.cash_on_delivery.is_not(None),
            waybills.c.delivered_at.is_not(None),
            waybills.c.cod_remittance_id.is_(None),
        )
        return [
            _waybill(row) for row in await self._conn.execute(query.order_by(waybills.c.booked_at))
        ]

    async def lock_quiet(self, scanned_before: datetime, limit: int) -> list[Waybill]:
        last = func.coalesce(waybills.c.last_scan_at, waybills.c.booked_at)
        query = (
            self._mine()
            .where(
                waybills.c.cancelled.is_(False),
                func.coalesce(waybills.c.last_status, "").notin_(sorted(FINAL_STATUSES)),
                ~waybills.c.anomalies.contains([Anomaly.STALLED.value]),
                last < scanned_before,
            )
            .order_by(last)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [_waybill(row) for row in await self._conn.execute(query)]


class PostgresTrackingRepository(TenantRepository):
    async def add(self, shipment_id: UUID, event: TrackingEvent, received_at: datetime) -> bool:
        statement = insert(tracking_events).values(
            tenant_id=self._tenant_id,
            shipment_id=shipment_id,
            status=event.status,
            occurred_at=event.occurred_at,
            location=event.location,
            received_at=received_at,
        )
        result = await self._conn.execute(statement.on_conflict_do_nothing())
        return result.rowcount == 1

    async def of_shipment(self, shipment_id: UUID) -> list[TrackingEvent]:
        events = tracking_events.c
        rows = await self._conn.execute(
            select(waybills.c.tracking_no, events.status, events.location, events.occurred_at)
            .join_from(
                tracking_events,
                waybills,
                (waybills.c.tenant_id == events.tenant_id)
                & (waybills.c.shipment_id == events.shipment_id),
            )
            .where(events.tenant_id == self._tenant_id, events.shipment_id == shipment_id)
            .order_by(events.occurred_at, events.received_at)
        )
        return [from_row(TrackingEvent, row) for row in rows]

    async def cursor(self, carrier_code: str) -> str | None:
        row = await self._first(
            select(tracking_cursors.c.cursor).where(
                tracking_cursors.c.tenant_id == self._tenant_id,
                tracking_cursors.c.carrier_code == carrier_code,
            )
        )
        return str(row.cursor) if row else None

    async def set_cursor(self, carrier_code: str, cursor: str) -> None:
        statement = insert(tracking_cursors).values(
            tenant_id=self._tenant_id, carrier_code=carrier_code, cursor=cursor
        )
        await self._conn.execute(
            statement.on_conflict_do_update(
                index_elements=["tenant_id", "carrier_code"], set_={"cursor": cursor}
            )
        )
