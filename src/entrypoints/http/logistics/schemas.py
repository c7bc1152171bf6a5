"""Wire types for /api/v1/logistics (camelCase)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

import msgspec
from litestar.datastructures import UploadFile

from application.logistics.ports import TrackingEvent
from application.logistics.settings import MAX_STALL_HOURS
from application.logistics.settlement import MAX_REFERENCE, MAX_REMITTED
from application.logistics.tracking import MAX_PUSHED
from domain.logistics.carrier import MAX_CODE, MAX_NAME
from domain.logistics.money import MAX_PRICE
from domain.logistics.rates import MAX_GRAMS, MAX_RATES, MAX_REGIONS, Rate
from domain.logistics.waybill import MAX_LOCATION, MAX_TRACKING_NO, STATUSES
from entrypoints.http.catalog.schemas.files import RowErrorOut
from entrypoints.http.limits import stated
from entrypoints.http.wire import PageOut, WireIn, WireOut, decimal_in

# A sum of money in logistics — a price, a remitted amount: 0 to MAX_PRICE yuan (a power of
# ten) to the fen, as domain/logistics/money.py checks it, stated exactly in the document.
_BELOW = len(str(int(MAX_PRICE))) - 1  # digits below MAX_PRICE
_PRICE = f"[0-9]{{1,{_BELOW}}}(?:\\.[0-9]{{1,2}})?|{int(MAX_PRICE)}(?:\\.0{{1,2}})?"
PriceIn = Annotated[
    Decimal,
    msgspec.Meta(extra_json_schema={"extra": {"format": "decimal", "pattern": f"^(?:{_PRICE})$"}}),
]


class CarrierIn(WireIn):
    code: Annotated[str, stated(max_length=MAX_CODE)]
    name: Annotated[str, stated(max_length=MAX_NAME)]
    cash_on_delivery: bool = False


class CarrierPatch(WireIn):
    name: Annotated[str, stated(max_length=MAX_NAME)]
    cash_on_delivery: bool
    active: bool


class CarrierOut(WireOut):
    id: UUID
    code: str
    name: str
    cash_on_delivery: bool
    active: bool
    connected: bool  # an operator connected its gateway: waybills can be booked
    version: int


class CarrierPageOut(PageOut[CarrierOut]):
    items: list[CarrierOut]


class RateIn(WireIn):
    regions: Annotated[list[str], stated(min_items=1, max_items=MAX_REGIONS)]  # provinces
    first_weight_grams: Annotated[int, stated(minimum=1, maximum=MAX_GRAMS)]
    first_price: PriceIn
    additional_per_kg: PriceIn  # per started kilogram above the first weight
    max_weight_grams: Annotated[int, stated(minimum=1, maximum=MAX_GRAMS)]

    def rate(self) -> Rate:
        return Rate(
            tuple(self.regions),
            self.first_weight_grams,
            self.first_price,
            self.additional_per_kg,
            self.max_weight_grams,
        )


class PriceTableIn(WireIn):
    rates: Annotated[list[RateIn], stated(max_items=MAX_RATES)]


class RateOut(WireOut):
    regions: list[str]
    first_weight_grams: int
    first_price: Decimal
    additional_per_kg: Decimal
    max_weight_grams: int

    @classmethod
    def of_rate(cls, rate: Rate) -> RateOut:
        return cls(
            list(rate.regions),
            rate.first_grams,
            rate.first_price,
            rate.additional_per_kg,
            rate.max_grams,
        )


class PriceTableOut(WireOut):
    carrier_id: UUID
    regions: list[str]  # the service area
    rates: list[RateOut]
    version: int


class OptionOut(WireOut):
    carrier_id: UUID
    carrier_code: str
    carrier_name: str
    postage: Decimal | None  # the estimated postage, when the carrier may take it
    refusal: str | None  # inactive, region_not_served, too_heavy, no_cash_on_delivery


class RecommendationOut(WireOut):
    region: str
    weight_grams: int
    cash_on_delivery: bool
    recommended: OptionOut | None  # the cheapest carrier the rules leave
    options: list[OptionOut]


class SettingsIn(WireIn):
    stall_hours: Annotated[int, stated(minimum=1, maximum=MAX_STALL_HOURS)]
    bill_tolerance_percent: Annotated[Decimal, decimal_in(2, 3)]


class SettingsOut(WireOut):
    stall_hours: int
    bill_tolerance_percent: Decimal
    version: int


class TrackingEventIn(WireIn):
    tracking_no: Annotated[str, stated(max_length=MAX_TRACKING_NO)]
    status: Annotated[str, stated(choices=sorted(STATUSES))]  # what logistics knows
    occurred_at: datetime
    location: Annotated[str, stated(max_length=MAX_LOCATION)] = ""

    def event(self) -> TrackingEvent:
        return TrackingEvent(self.tracking_no, self.status, self.location, self.occurred_at)


class TrackingEventsIn(WireIn):
    events: Annotated[list[TrackingEventIn], stated(min_items=1, max_items=MAX_PUSHED)]


class AcceptedOut(WireOut):
    accepted: int  # the events new to the register


class TrackingEventOut(WireOut):
    status: str
    location: str
    occurred_at: datetime


class TrackingOut(WireOut):
    """A shipment's tracking; its waybill's fields are null before it is booked."""

    shipment_id: UUID
    order_id: UUID | None
    carrier_code: str | None
    tracking_no: str | None
    last_status: str | None
    last_scan_at: datetime | None
    delivered_at: datetime | None
    anomalies: list[str]
    cost_estimate: Decimal | None
    events: list[TrackingEventOut]


@dataclass
class StatementForm:
    """multipart/form-data: ``file`` (.csv or .xlsx: columns tracking_no / 运单号,
    weight_kg / 计费重量, amount / 运费) and ``month`` (YYYY-MM)."""

    month: str = ""
    file: UploadFile | None = None


class DifferenceOut(WireOut):
    kind: str  # unknown_waybill, overweight, price_mismatch, duplicate_line, missing_from_bill, …
    tracking_no: str
    row: int | None  # the file's row, header row 1 (statements); the line, from 1 (remittances)
    billed: str | None  # what the carrier says: grams, or an amount
    expected: str | None  # what the register or the price table says


class StatementOut(WireOut):
    id: UUID
    carrier_code: str
    month: str
    file_name: str
    status: str  # reconciling, reconciled, failed
    job_id: UUID  # follow it at /api/v1/jobs/{id}
    lines: int
    billed_total: Decimal
    differences: list[DifferenceOut]
    first_errors: list[RowErrorOut]  # rows that could not be read
    version: int


class RemittedIn(WireIn):
    tracking_no: Annotated[str, stated(max_length=MAX_TRACKING_NO)]
    amount: PriceIn  # collected from the buyer


class RemittanceIn(WireIn):
    reference: Annotated[str, stated(max_length=MAX_REFERENCE)]  # the carrier's number
    lines: Annotated[list[RemittedIn], stated(min_items=1, max_items=MAX_REMITTED)]


class RemittedOut(WireOut):
    tracking_no: str
    amount: Decimal


class RemittanceOut(WireOut):
    id: UUID
    carrier_code: str
    reference: str
    total: Decimal
    matched: int
    lines: list[RemittedOut]
    differences: list[DifferenceOut]
    created_at: datetime
