"""In-memory stand-ins for the logistics module's store (``uow.of(LOGISTICS)``)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from application.logistics.ports import (
    LOGISTICS,
    CarrierRepository,
    LogisticsSettings,
    LogisticsSettingsRepository,
    LogisticsStore,
    PriceTableRepository,
    SettlementRepository,
    TrackingEvent,
    TrackingRepository,
    WaybillRepository,
)
from domain.logistics.carrier import Carrier
from domain.logistics.rates import PriceTable
from domain.logistics.settlement import CarrierStatement, CodRemittance
from domain.logistics.waybill import FINAL_STATUSES, Anomaly, Waybill
from domain.shared.errors import Conflict, StaleVersion
from tests.fakes.stores import FakeStore


@dataclass
class LogisticsTables:
    carriers: dict[UUID, Carrier] = field(default_factory=dict)
    price_tables: dict[UUID, PriceTable] = field(default_factory=dict)
    waybills: dict[UUID, Waybill] = field(default_factory=dict)
    events: dict[UUID, list[TrackingEvent]] = field(default_factory=dict)
    cursors: dict[str, str] = field(default_factory=dict)
    settings: LogisticsSettings = field(default_factory=LogisticsSettings)
    statements: dict[UUID, CarrierStatement] = field(default_factory=dict)
    remittances: dict[UUID, CodRemittance] = field(default_factory=dict)

    def copy(self) -> LogisticsTables:
        return copy.deepcopy(self)


def _check(stored_version: int, expected_version: int) -> None:
    if stored_version != expected_version:
        raise StaleVersion(expected=expected_version)


class FakeCarrierRepository(CarrierRepository):
    def __init__(self, tables: LogisticsTables) -> None:
        self._t = tables

    async def get(self, carrier_id: UUID) -> Carrier | None:
        return copy.deepcopy(self._t.carriers.get(carrier_id))

    async def by_code(self, code: str) -> Carrier | None:
        found = next((c for c in self._t.carriers.values() if c.code == code), None)
        return copy.deepcopy(found)

    async def add(self, carrier: Carrier) -> None:
        if any(c.code == carrier.code for c in self._t.carriers.values()):
            raise Conflict("carrier_code_taken")
        self._t.carriers[carrier.id] = copy.deepcopy(carrier)

    async def save(self, carrier: Carrier, expected_version: int) -> None:
        stored = self._t.carriers.get(carrier.id)
        if stored is None or stored.version != expected_version:
            raise StaleVersion(expected=expected_version)
        self._t.carriers[carrier.id] = copy.deepcopy(carrier)

    async def page(self, after: UUID | None, limit: int) -> list[Carrier]:
        ids = sorted(i for i in self._t.carriers if after is None or i > after)[:limit]
        return [copy.deepcopy(self._t.carriers[i]) for i in ids]


class FakePriceTables(PriceTableRepository):
    def __init__(self, tables: LogisticsTables) -> None:
        self._t = tables

    async def get(self, carrier_id: UUID) -> PriceTable:
        return self._t.price_tables.get(carrier_id, PriceTable(carrier_id))

    async def put(self, table: PriceTable, expected_version: int, at: datetime) -> None:
        _check((await self.get(table.carrier_id)).version, expected_version)
        self._t.price_tables[table.carrier_id] = table


class FakeWaybills(WaybillRepository):
    def __init__(self, tables: LogisticsTables) -> None:
        self._t = tables

    async def add(self, waybill: Waybill) -> None:
        self._t.waybills.setdefault(waybill.shipment_id, copy.deepcopy(waybill))

    async def get(self, shipment_id: UUID, *, for_update: bool = False) -> Waybill | None:
        return copy.deepcopy(self._t.waybills.get(shipment_id))

    async def of_order(self, order_id: UUID) -> list[Waybill]:
        return [copy.deepcopy(w) for w in self._t.waybills.values() if w.order_id == order_id]

    async def by_tracking_no(
        self, carrier_code: str, tracking_no: str, *, for_update: bool = False
    ) -> Waybill | None:
        found = next(
            (
                w
                for w in self._t.waybills.values()
                if (w.carrier_code, w.tracking_no) == (carrier_code, tracking_no)
            ),
            None,
        )
        return copy.deepcopy(found)

    async def save(self, waybill: Waybill, expected_version: int) -> None:
        stored = self._t.waybills.get(waybill.shipment_id)
        _check(stored.version if stored else -1, expected_version)
        self._t.waybills[waybill.shipment_id] = copy.deepcopy(waybill)

    async def by_tracking_nos(
        self, carrier_code: str, tracking_nos: Sequence[str], *, for_update: bool = False
    ) -> dict[str, Waybill]:
        return {
            w.tracking_no: copy.deepcopy(w)
            for w in self._t.waybills.values()
            if w.carrier_code == carrier_code and w.tracking_no in tracking_nos
        }

    async def booked_between(
        self, carrier_code: str, start: datetime, end: datetime
    ) -> list[Waybill]:
        return [
            copy.deepcopy(w)
            for w in self._t.waybills.values()
            if w.carrier_code == carrier_code and start <= w.booked_at < end
        ]

    async def cod_outstanding(self, carrier_code: str) -> list[Waybill]:
        return [
            copy.deepcopy(w)
            for w in self._t.waybills.values()
            if w.carrier_code == carrier_code
            and w.cash_on_delivery is not None
            and w.delivered_at is not None
            and w.cod_remittance_id is None
        ]

    async def lock_quiet(self, scanned_before: datetime, limit: int) -> list[Waybill]:
        quiet = [
            w
            for w in self._t.waybills.values()
            if not w.cancelled
            and w.last_status not in FINAL_STATUSES
            and Anomaly.STALLED.value not in w.anomalies
            and (w.last_scan_at or w.booked_at) < scanned_before
        ]
        return copy.deepcopy(quiet[:limit])


class FakeTracking(TrackingRepository):
    def __init__(self, tables: LogisticsTables) -> None:
        self._t = tables

    async def add(self, shipment_id: UUID, event: TrackingEvent, received_at: datetime) -> bool:
        kept = self._t.events.setdefault(shipment_id, [])
        if any((e.status, e.occurred_at) == (event.status, event.occurred_at) for e in kept):
            return False
        kept.append(event)
        return True

    async def of_shipment(self, shipment_id: UUID) -> list[TrackingEvent]:
        return sorted(self._t.events.get(shipment_id, []), key=lambda e: e.occurred_at)

    async def cursor(self, carrier_code: str) -> str | None:
        return self._t.cursors.get(carrier_code)

    async def set_cursor(self, carrier_code: str, cursor: str) -> None:
        self._t.cursors[carrier_code] = cursor


class FakeLogisticsSettings(LogisticsSettingsRepository):
    def __init__(self, tables: LogisticsTables) -> None:
        self._t = tables

    async def get(self) -> LogisticsSettings:
        return self._t.settings

    async def put(self, settings: LogisticsSettings, expected_version: int, at: datetime) -> None:
        _check(self._t.settings.version, expected_version)
        self._t.settings = settings


class FakeSettlements(SettlementRepository):
    def __init__(self, tables: LogisticsTables) -> None:
        self._t = tables

    async def add_statement(self, statement: CarrierStatement) -> None:
        self._t.statements[statement.id] = copy.deepcopy(statement)

    async def statement(
        self, statement_id: UUID, *, for_update: bool = False
    ) -> CarrierStatement | None:
        return copy.deepcopy(self._t.statements.get(statement_id))

    async def save_statement(self, statement: CarrierStatement, expected_version: int) -> None:
        stored = self._t.statements.get(statement.id)
        _check(stored.version if stored else -1, expected_version)
        self._t.statements[statement.id] = copy.deepcopy(statement)

    async def add_remittance(self, remittance: CodRemittance) -> None:
        if any(
            (r.carrier_code, r.reference) == (remittance.carrier_code, remittance.reference)
            for r in self._t.remittances.values()
        ):
            raise Conflict("remittance_recorded")
        self._t.remittances[remittance.id] = remittance

    async def remittance(self, remittance_id: UUID) -> CodRemittance | None:
        return self._t.remittances.get(remittance_id)


class FakeLogisticsStore(LogisticsStore):
    def __init__(self, tables: LogisticsTables) -> None:
        self.carriers = FakeCarrierRepository(tables)
        self.price_tables = FakePriceTables(tables)
        self.waybills = FakeWaybills(tables)
        self.tracking = FakeTracking(tables)
        self.settings = FakeLogisticsSettings(tables)
        self.settlements = FakeSettlements(tables)


def build(tables: LogisticsTables) -> LogisticsStore:
    return FakeLogisticsStore(tables)


# Found by the fake unit of work (tests/fakes/stores.py).
FAKE = FakeStore(LOGISTICS, LogisticsTables, lambda tables, parts: build(tables))
