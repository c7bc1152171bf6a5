"""The logistics module's ports (LOG-1..LOG-3).

``CarrierGateway`` is one carrier's API: it books a shipment (a waybill: the tracking
number and the label's data — sorting code, route, the carrier's code), cancels a booking
before the parcel is handed over, asks for an interception (拦截) after it was, and answers
the tracking events since a cursor (the tracking work polls it). ``CarrierGateways`` finds
the gateway of a kind at an endpoint (``simulated``: the simulated carrier). Errors:
``CarrierUnavailable`` once the gateway's retries on 429 and 5xx are used up;
``CarrierRefused`` when the carrier refuses the request itself (an unknown waybill, a
parcel already delivered).

``LogisticsStore`` (``uow.of(LOGISTICS)``): carriers, their price tables, the waybill
register with each waybill's tracking events (and the carriers' event cursors), the
tenant's logistics settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from application.shared.unit_of_work import StoreKey
from domain.logistics.carrier import Carrier
from domain.logistics.rates import PriceTable
from domain.logistics.settlement import CarrierStatement, CodRemittance
from domain.logistics.waybill import Waybill

DEFAULT_STALL_HOURS = 48
DEFAULT_BILL_TOLERANCE = Decimal("5")  # percent of the weighed weight a bill may exceed


@dataclass(frozen=True)
class Address:
    name: str
    phone: str
    province: str
    city: str
    district: str
    address: str


@dataclass(frozen=True)
class BookingRequest:
    reference: str  # the shipper's own id of the parcel (idempotent at the carrier)
    sender: str  # the dispatching warehouse's code
    receiver: Address
    weight_grams: int
    packages: int = 1
    cash_on_delivery: Decimal | None = None  # the amount to collect, if any
    # Kept in logistics' waybill register (tracking, settlement), not sent to the carrier:
    shipment_id: UUID | None = None
    order_id: UUID | None = None
    order_number: str = ""


@dataclass(frozen=True)
class Label:
    """What a waybill label prints besides the addresses: 大头笔 (sorting code) and route."""

    sorting_code: str
    route: str
    carrier_code: str


@dataclass(frozen=True)
class Booking:
    tracking_no: str
    label: Label
    cost_estimate: Decimal | None = None  # the carrier's price table's postage (LOG-3)


@dataclass(frozen=True)
class Interception:
    """The carrier's answer to an interception request: ``accepted`` (it will stop or
    return the parcel) or not (delivered already), with its status."""

    accepted: bool
    status: str


@dataclass(frozen=True)
class TrackingEvent:
    tracking_no: str
    status: str  # picked_up, in_transit, out_for_delivery, delivered, failed, returned, ...
    location: str
    occurred_at: datetime


@dataclass(frozen=True)
class TrackingPage:
    events: tuple[TrackingEvent, ...]
    cursor: str  # where the next call starts


class CarrierUnavailable(Exception):
    """The carrier kept refusing (429 or 5xx) after the gateway's retries."""

    def __init__(self, carrier: str, status: int, attempts: int) -> None:
        super().__init__(f"carrier {carrier}: HTTP {status} after {attempts} attempts")
        self.carrier = carrier
        self.status = status


class CarrierRefused(Exception):
    """The carrier refused the request itself (4xx): its reason, as it said it."""

    def __init__(self, carrier: str, reason: str) -> None:
        super().__init__(f"carrier {carrier} refused: {reason}")
        self.carrier = carrier
        self.reason = reason


class CarrierGateway(Protocol):
    async def book(self, carrier_code: str, request: BookingRequest) -> Booking: ...

    async def cancel(self, carrier_code: str, tracking_no: str) -> None:
        """Before pick-up: the waybill is void."""
        ...

    async def intercept(self, carrier_code: str, tracking_no: str) -> Interception:
        """After pick-up: stop the parcel and send it back."""
        ...

    async def events(self, carrier_code: str, cursor: str | None) -> TrackingPage:
        """The carrier's tracking events after ``cursor`` (None: from the start)."""
        ...


class CarrierGateways(Protocol):
    def gateway(self, kind: str, endpoint: str) -> CarrierGateway: ...


class TrackedTenants(Protocol):
    """Across tenants (the platform role): who has a carrier connected (the tracking
    sweep's)."""

    async def tenants_with_carriers(self) -> list[UUID]: ...


class CarrierRepository(Protocol):
    async def get(self, carrier_id: UUID) -> Carrier | None: ...

    async def by_code(self, code: str) -> Carrier | None: ...

    async def add(self, carrier: Carrier) -> None:
        """Raises ``Conflict("carrier_code_taken")``."""
        ...

    async def save(self, carrier: Carrier, expected_version: int) -> None: ...

    async def page(self, after: UUID | None, limit: int) -> list[Carrier]: ...


class PriceTableRepository(Protocol):
    async def get(self, carrier_id: UUID) -> PriceTable:
        """The carrier's table (version 0 and no rates: never set)."""
        ...

    async def put(self, table: PriceTable, expected_version: int, at: datetime) -> None:
        """Raises ``StaleVersion`` unless the stored version is ``expected_version``."""
        ...


class WaybillRepository(Protocol):
    async def add(self, waybill: Waybill) -> None:
        """Nothing when the shipment's waybill is registered already (a retried booking)."""
        ...

    async def get(self, shipment_id: UUID, *, for_update: bool = False) -> Waybill | None: ...

    async def of_order(self, order_id: UUID) -> list[Waybill]:
        """The order's waybills (one a parcel), cancelled ones too."""
        ...

    async def by_tracking_no(
        self, carrier_code: str, tracking_no: str, *, for_update: bool = False
    ) -> Waybill | None: ...

    async def save(self, waybill: Waybill, expected_version: int) -> None: ...

    async def by_tracking_nos(
        self, carrier_code: str, tracking_nos: Sequence[str], *, for_update: bool = False
    ) -> dict[str, Waybill]: ...

    async def booked_between(
        self, carrier_code: str, start: datetime, end: datetime
    ) -> list[Waybill]:
        """The carrier's waybills booked in ``[start, end)``, cancelled ones too."""
        ...

    async def cod_outstanding(self, carrier_code: str) -> list[Waybill]:
        """The carrier's delivered cash-on-delivery waybills no remittance paid yet."""
        ...

    async def lock_quiet(self, scanned_before: datetime, limit: int) -> list[Waybill]:
        """Waybills not cancelled, not in a final status and not alerted as stalled whose
        last scan (or booking, with none) is before ``scanned_before``; locked ``FOR
        UPDATE SKIP LOCKED``."""
        ...


class TrackingRepository(Protocol):
    async def add(self, shipment_id: UUID, event: TrackingEvent, received_at: datetime) -> bool:
        """False (nothing written) when the waybill has that event already."""
        ...

    async def of_shipment(self, shipment_id: UUID) -> list[TrackingEvent]:
        """Its events, oldest first."""
        ...

    async def cursor(self, carrier_code: str) -> str | None: ...

    async def set_cursor(self, carrier_code: str, cursor: str) -> None: ...


@dataclass(frozen=True)
class LogisticsSettings:
    stall_hours: int = DEFAULT_STALL_HOURS  # no scan for this long is an anomaly
    bill_tolerance_percent: Decimal = DEFAULT_BILL_TOLERANCE
    version: int = 0  # 0: never set


class LogisticsSettingsRepository(Protocol):
    async def get(self) -> LogisticsSettings: ...

    async def put(self, settings: LogisticsSettings, expected_version: int, at: datetime) -> None:
        """Raises ``StaleVersion`` unless the stored version is ``expected_version``."""
        ...


class SettlementRepository(Protocol):
    async def add_statement(self, statement: CarrierStatement) -> None: ...

    async def statement(
        self, statement_id: UUID, *, for_update: bool = False
    ) -> CarrierStatement | None: ...

    async def save_statement(self, statement: CarrierStatement, expected_version: int) -> None: ...

    async def add_remittance(self, remittance: CodRemittance) -> None:
        """Raises ``Conflict("remittance_recorded")`` for a carrier's reference recorded."""
        ...

    async def remittance(self, remittance_id: UUID) -> CodRemittance | None: ...


class LogisticsStore(Protocol):
    carriers: CarrierRepository
    price_tables: PriceTableRepository
    waybills: WaybillRepository
    tracking: TrackingRepository
    settings: LogisticsSettingsRepository
    settlements: SettlementRepository


LOGISTICS: StoreKey[LogisticsStore] = StoreKey("logistics")
