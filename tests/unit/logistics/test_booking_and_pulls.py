"""ORD-11, LOG-2: a split order's parcels collect its cash on delivery once between them,
and a carrier's malformed pulled events are passed over (never holding its cursor)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

from application.logistics.ports import Address, BookingRequest, TrackingEvent
from application.logistics.tracking import usable_pulled
from application.logistics.waybills import cash_left
from domain.logistics.waybill import Waybill
from tests.fakes.logistics import FakeWaybills, LogisticsTables

ORDER = uuid4()
BOOKED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _request(cod: str | None) -> BookingRequest:
    receiver = Address("王", "13800138000", "浙江", "杭州", "西湖区", "文三路 1 号")
    return BookingRequest(
        "ref",
        "SH",
        receiver,
        800,
        cash_on_delivery=Decimal(cod) if cod else None,
        shipment_id=uuid4(),
        order_id=ORDER,
    )


def _booked(cod: str, *, cancelled: bool = False) -> Waybill:
    waybill = Waybill(
        uuid4(),
        ORDER,
        "SO-1",
        "SF",
        f"SF{uuid4().hex[:8]}",
        "浙江",
        400,
        Decimal(cod),
        None,
        BOOKED,
    )
    return replace(waybill, cancelled=cancelled)


async def test_ord11_the_parcels_of_an_order_collect_what_it_owes_once() -> None:
    tables = LogisticsTables()
    waybills = FakeWaybills(tables)
    first = await cash_left(waybills, _request("120.00"))
    assert first.cash_on_delivery == Decimal("120.00")  # no other parcel yet
    await waybills.add(_booked("120.00"))
    await waybills.add(_booked("50.00", cancelled=True))  # a cancelled one collects nothing
    second = await cash_left(waybills, _request("120.00"))
    assert second.cash_on_delivery is None  # the first parcel collects it all
    assert (await cash_left(waybills, _request(None))).cash_on_delivery is None


def test_log2_malformed_pulled_events_are_passed_over() -> None:
    at = datetime(2026, 12, 1, 8, tzinfo=UTC)
    good = TrackingEvent("SF1", "in_transit", "杭州", at)
    events = [
        good,
        TrackingEvent("SF2", "teleported", "杭州", at),  # a status logistics does not know
        TrackingEvent("SF3", "delivered", "杭州", at.replace(tzinfo=None)),  # no zone
        TrackingEvent("", "delivered", "杭州", at),  # no tracking number
        TrackingEvent("SF4", "delivered", "x" * 10_000, at),  # a location past the bound
    ]
    assert usable_pulled(events) == (good,)
