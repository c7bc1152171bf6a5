"""In-memory stand-ins for the logistics module's store (``uow.of(LOGISTICS)``)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from uuid import UUID

from application.logistics.ports import LOGISTICS, CarrierRepository, LogisticsStore
from domain.logistics.carrier import Carrier
from domain.shared.errors import Conflict, StaleVersion
from tests.fakes.stores import FakeStore


@dataclass
class LogisticsTables:
    carriers: dict[UUID, Carrier] = field(default_factory=dict)

    def copy(self) -> LogisticsTables:
        return LogisticsTables(copy.deepcopy(self.carriers))


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


class FakeLogisticsStore(LogisticsStore):
    def __init__(self, tables: LogisticsTables) -> None:
        self.carriers = FakeCarrierRepository(tables)


def build(tables: LogisticsTables) -> LogisticsStore:
    return FakeLogisticsStore(tables)


# Found by the fake unit of work (tests/fakes/stores.py).
FAKE = FakeStore(LOGISTICS, LogisticsTables, lambda tables, parts: build(tables))
