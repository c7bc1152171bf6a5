"""Wire types for /api/v1/fulfilment (camelCase)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from application.fulfilment.planning import MAX_ORDERS
from application.fulfilment.shortages import ShortLine
from domain.fulfilment.shipment import MAX_GRAMS, MAX_PACKAGES, ShipmentStatus, ShipmentStep
from domain.fulfilment.wave import WaveStatus
from entrypoints.http.limits import stated
from entrypoints.http.wire import PageOut, WireIn, WireOut, decimal_in


class PlanIn(WireIn):
    carrier: Annotated[str, stated(max_length=32)]  # for orders with no carrier assigned
    warehouse_id: UUID | None = None
    limit: Annotated[int, stated(minimum=1, maximum=MAX_ORDERS)] = 200


class PickIn(WireIn):
    code: Annotated[str, stated(max_length=64)]  # the scanned barcode (or SKU code)
    quantity: Annotated[int, stated(minimum=1)] = 1
    # a serial-managed SKU's serials, one a unit
    serials: Annotated[list[Annotated[str, stated(max_length=64)]], stated(max_items=500)] = []


class VerifyIn(WireIn):
    code: Annotated[str, stated(max_length=64)]
    serial: Annotated[str, stated(max_length=64)] | None = None


class WeighIn(WireIn):
    grams: Annotated[int, stated(minimum=1, maximum=MAX_GRAMS)]
    packages: Annotated[int, stated(minimum=1, maximum=MAX_PACKAGES)] = 1


class ShortLineIn(WireIn):
    line_id: UUID  # the order's line
    quantity: Annotated[int, stated(minimum=0)]  # the units there are

    def short(self) -> ShortLine:
        return ShortLine(self.line_id, self.quantity)


class ShortIn(WireIn):
    lines: Annotated[list[ShortLineIn], stated(min_items=1, max_items=500)]


class InterceptIn(WireIn):
    reason: Annotated[str, stated(max_length=200)] = "refund requested"


class SettingsIn(WireIn):
    weight_tolerance_percent: Annotated[Decimal, decimal_in(2, 3)]


class SettingsOut(WireOut):
    weight_tolerance_percent: Decimal
    version: int


class WaveLineOut(WireOut):
    sku_id: UUID
    sku_code: str
    barcode: str | None
    bin_code: str | None
    quantity: int
    picked: int
    serial_managed: bool
    serials: list[str]  # picked, one a unit of a serial-managed SKU
    zone: str | None  # its bin's zone: the zone pick list it is on


class WaveOut(WireOut):
    id: UUID
    number: str
    warehouse_id: UUID
    carrier_code: str
    zone: str | None  # the bin zone of all its SKUs (null: none, or more than one)
    zones: list[str]  # its zone pick lists, in pick order (one per zone its lines lie in)
    single_sku: bool
    status: WaveStatus
    lines: list[WaveLineOut]  # the pick list: zone by zone, in bin order within each
    order_ids: list[UUID]
    version: int
    created_at: datetime


class WavePageOut(PageOut[WaveOut]):
    items: list[WaveOut]


class ShipmentLineOut(WireOut):
    line_id: UUID
    sku_id: UUID
    sku_code: str
    title: str | None
    quantity: int
    verified: int
    serials: list[str]


class ShipmentOut(WireOut):
    id: UUID
    wave_id: UUID
    order_id: UUID
    order_number: str
    warehouse_id: UUID
    carrier_code: str
    status: ShipmentStatus
    # the steps the parcel allows from ``status`` (the caller's permissions aside)
    next_steps: list[ShipmentStep]
    lines: list[ShipmentLineOut]
    expected_grams: int | None
    weight_grams: int | None
    weight_deviation_percent: Decimal | None
    weight_flagged: bool
    packages: int
    tracking_no: str | None
    sorting_code: str | None
    route: str | None
    cost_estimate: Decimal | None
    shipped_at: datetime | None
    channel_reported: bool | None
    report_attempts: int  # failed channel reports since the last success or report again
    next_report_at: datetime | None  # the sweep's next try; null: none planned
    version: int
