"""The fulfilment module's ports (LOG-1).

``FulfilmentStore`` (``uow.of(FULFILMENT)``): waves, shipments, the tenant's settings and
``skus`` — what fulfilment knows of a SKU (the catalog's code, barcode and weight).
``DueReports``: the tenants with a channel report due (the report sweep's).
The narrow ports onto other modules, wired in bootstrap: ``Waybills`` (logistics' carrier
desk: book, cancel, intercept a waybill with a carrier named by its code, in the caller's
unit of work), ``ShipmentReports`` (orders' channel connector: a shipment told to the
platform per sub-order) and ``PackingDocuments`` (packing slips and labels as PDF).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from application.logistics.ports import Booking, BookingRequest, Interception
from application.shared.unit_of_work import StoreKey, UnitOfWork
from domain.fulfilment.shipment import Shipment
from domain.fulfilment.wave import SkuFact, Wave

DEFAULT_TOLERANCE = Decimal("5")  # percent


class WaveRepository(Protocol):
    async def next_number(self, at: datetime) -> str:
        """``WV`` + date + a sequence the tenant has never used."""
        ...

    async def get(self, wave_id: UUID, *, for_update: bool = False) -> Wave | None: ...

    async def add(self, wave: Wave) -> None: ...

    async def save(self, wave: Wave, expected_version: int) -> None: ...

    async def page(self, after: UUID | None, limit: int) -> list[Wave]: ...


class ShipmentRepository(Protocol):
    async def get(self, shipment_id: UUID, *, for_update: bool = False) -> Shipment | None: ...

    async def add_many(self, shipments: Sequence[Shipment]) -> None: ...

    async def save(self, shipment: Shipment, expected_version: int) -> None: ...

    async def of_wave(self, wave_id: UUID) -> list[Shipment]:
        """The wave's shipments, in order number order."""
        ...

    async def open_of_order(self, order_id: UUID) -> Shipment | None:
        """The order's shipment not dispatched nor intercepted, if any (one at a time)."""
        ...

    async def lock_reports_due(self, now: datetime, limit: int) -> list[Shipment]:
        """Shipments the channel has not been told of whose next report is due by ``now``,
        oldest due first, locked ``FOR UPDATE SKIP LOCKED`` (another run's are skipped)."""
        ...


class DueReports(Protocol):
    """Across tenants (the platform role): who has a channel report due."""

    async def tenants_with_reports_due(self, now: datetime) -> list[UUID]: ...


class SkuFacts(Protocol):
    async def facts(self, sku_ids: Sequence[UUID]) -> dict[UUID, SkuFact]:
        """The catalog's code, barcode and weight (grams, rounded) of each SKU the tenant
        has; ``serial_managed`` is left False (inventory says it)."""
        ...


@dataclass(frozen=True)
class FulfilmentSettings:
    weight_tolerance_percent: Decimal = DEFAULT_TOLERANCE
    version: int = 0  # 0: never set


class SettingsRepository(Protocol):
    async def get(self) -> FulfilmentSettings: ...

    async def put(self, settings: FulfilmentSettings, expected_version: int, at: datetime) -> None:
        """Raises ``StaleVersion`` unless the stored version is ``expected_version``."""
        ...


class FulfilmentStore(Protocol):
    waves: WaveRepository
    shipments: ShipmentRepository
    skus: SkuFacts
    settings: SettingsRepository


FULFILMENT: StoreKey[FulfilmentStore] = StoreKey("fulfilment")


class Waybills(Protocol):
    async def book(
        self, uow: UnitOfWork, carrier_code: str, request: BookingRequest
    ) -> Booking: ...

    async def cancel(self, uow: UnitOfWork, carrier_code: str, tracking_no: str) -> None: ...

    async def intercept(
        self, uow: UnitOfWork, carrier_code: str, tracking_no: str
    ) -> Interception: ...


class ShipmentReports(Protocol):
    async def report(
        self,
        uow: UnitOfWork,
        channel_id: UUID,
        platform_order_id: str,
        sub_order_ids: Sequence[str],
        carrier: str,
        tracking_no: str,
    ) -> bool:
        """Tells the channel's platform; False when the channel has no connector. Raises
        orders' ``ChannelError`` when the platform does not take it (unavailable after
        the connector's retries, or refused); any other error is a fault and propagates."""
        ...


@dataclass(frozen=True)
class PackingSlip:
    """A shipment with what its papers print besides: the order's receiver and the
    buyer's message."""

    shipment: Shipment
    receiver: str  # name, phone
    address: str
    buyer_message: str | None = None


class PackingDocuments(Protocol):
    def render(self, wave: Wave, slips: Sequence[PackingSlip]) -> bytes:
        """A PDF: per shipment a page with its packing slip (装箱单) and, once booked, its
        label data (carrier, tracking number, 大头笔, route)."""
        ...
