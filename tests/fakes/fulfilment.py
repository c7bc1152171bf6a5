"""In-memory stand-ins for the fulfilment module's store (``uow.of(FULFILMENT)``): waves,
shipments (one before dispatch per order, as the partial unique index keeps it), the
settings, and the SKU facts a test puts in ``skus`` (the catalog's code, barcode, weight)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from application.fulfilment.ports import (
    FULFILMENT,
    FulfilmentSettings,
    FulfilmentStore,
    SettingsRepository,
    ShipmentRepository,
    SkuFacts,
    WaveRepository,
)
from domain.fulfilment.shipment import BEFORE_DISPATCH, Shipment
from domain.fulfilment.wave import SkuFact, Wave
from domain.shared.errors import Conflict, StaleVersion
from tests.fakes.stores import FakeStore


@dataclass
class FulfilmentTables:
    waves: dict[UUID, Wave] = field(default_factory=dict)
    shipments: dict[UUID, Shipment] = field(default_factory=dict)
    skus: dict[UUID, SkuFact] = field(default_factory=dict)
    settings: FulfilmentSettings = field(default_factory=FulfilmentSettings)

    def copy(self) -> FulfilmentTables:
        return FulfilmentTables(
            copy.deepcopy(self.waves), copy.deepcopy(self.shipments), dict(self.skus), self.settings
        )


def _save(
    rows: dict[UUID, Wave] | dict[UUID, Shipment], row: Wave | Shipment, expected: int
) -> None:
    stored = rows.get(row.id)
    if stored is None or stored.version != expected:
        raise StaleVersion(expected=expected)
    rows[row.id] = copy.deepcopy(row)  # type: ignore[assignment]


class FakeWaveRepository(WaveRepository):
    def __init__(self, tables: FulfilmentTables) -> None:
        self._t = tables

    async def next_number(self, at: datetime) -> str:
        return f"WV{at:%Y%m%d}{len(self._t.waves) + 1:04d}"

    async def get(self, wave_id: UUID, *, for_update: bool = False) -> Wave | None:
        return copy.deepcopy(self._t.waves.get(wave_id))

    async def add(self, wave: Wave) -> None:
        self._t.waves[wave.id] = copy.deepcopy(wave)

    async def save(self, wave: Wave, expected_version: int) -> None:
        _save(self._t.waves, wave, expected_version)

    async def page(self, after: UUID | None, limit: int) -> list[Wave]:
        ids = sorted(i for i in self._t.waves if after is None or i > after)[:limit]
        return [copy.deepcopy(self._t.waves[i]) for i in ids]


class FakeShipmentRepository(ShipmentRepository):
    def __init__(self, tables: FulfilmentTables) -> None:
        self._t = tables

    async def get(self, shipment_id: UUID, *, for_update: bool = False) -> Shipment | None:
        return copy.deepcopy(self._t.shipments.get(shipment_id))

    async def add_many(self, shipments: Sequence[Shipment]) -> None:
        for shipment in shipments:
            if await self.open_of_order(shipment.order_id) is not None:
                raise Conflict("duplicate")
            self._t.shipments[shipment.id] = copy.deepcopy(shipment)

    async def save(self, shipment: Shipment, expected_version: int) -> None:
        _save(self._t.shipments, shipment, expected_version)

    async def of_wave(self, wave_id: UUID) -> list[Shipment]:
        found = [s for s in self._t.shipments.values() if s.wave_id == wave_id]
        return copy.deepcopy(sorted(found, key=lambda s: s.order_number))

    async def open_of_order(self, order_id: UUID) -> Shipment | None:
        found = (
            s
            for s in self._t.shipments.values()
            if s.order_id == order_id and s.status in BEFORE_DISPATCH
        )
        return copy.deepcopy(next(found, None))

    async def lock_reports_due(self, now: datetime, limit: int) -> list[Shipment]:
        due = [
            s
            for s in self._t.shipments.values()
            if s.channel_reported is False and s.next_report_at and s.next_report_at <= now
        ]
        due.sort(key=lambda s: (s.next_report_at, s.id))
        return copy.deepcopy(due[:limit])


class FakeSkuFacts(SkuFacts):
    def __init__(self, tables: FulfilmentTables) -> None:
        self._t = tables

    async def facts(self, sku_ids: Sequence[UUID]) -> dict[UUID, SkuFact]:
        return {sku: self._t.skus[sku] for sku in sku_ids if sku in self._t.skus}


class FakeSettings(SettingsRepository):
    def __init__(self, tables: FulfilmentTables) -> None:
        self._t = tables

    async def get(self) -> FulfilmentSettings:
        return self._t.settings

    async def put(self, settings: FulfilmentSettings, expected_version: int, at: datetime) -> None:
        if self._t.settings.version != expected_version:
            raise StaleVersion(expected=expected_version)
        self._t.settings = settings


class FakeFulfilmentStore(FulfilmentStore):
    def __init__(self, tables: FulfilmentTables) -> None:
        self.waves = FakeWaveRepository(tables)
        self.shipments = FakeShipmentRepository(tables)
        self.skus = FakeSkuFacts(tables)
        self.settings = FakeSettings(tables)


def build(tables: FulfilmentTables) -> FulfilmentStore:
    return FakeFulfilmentStore(tables)


# Found by the fake unit of work (tests/fakes/stores.py).
FAKE = FakeStore(FULFILMENT, FulfilmentTables, lambda tables, parts: build(tables))
