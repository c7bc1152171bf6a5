"""A shipment's verify scans and weighing (LOG-1): a wrong item and an extra unit are
refused with nothing changed, a serial-managed SKU's unit needs its serial once, and a
weight beyond the tolerance is flagged (at the bound it is not); a channel report that
fails is retried with doubling backoff and stops after ``REPORT_ATTEMPTS``; what each
status still allows (verify, weigh, book, ship, a short pick, an interception, a report
again) is the shipment's to say, each step offered exactly when its move takes it, and a
short pick naming no line is refused."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from domain.fulfilment.shipment import (
    REPORT_ATTEMPTS,
    REPORT_BACKOFF,
    Shipment,
    ShipmentLine,
    ShipmentStatus,
    ShipmentStep,
)
from domain.shared.errors import Conflict, ValidationFailed

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _line(
    code: str, barcode: str, quantity: int, grams: int | None, serials: bool = False
) -> ShipmentLine:
    return ShipmentLine(
        uuid4(), uuid4(), code, barcode, "保温杯", quantity, grams, serials, None, None
    )


def _shipment(*lines: ShipmentLine) -> Shipment:
    return Shipment(
        uuid4(),
        uuid4(),
        uuid4(),
        "SO1",
        None,
        uuid4(),
        "SF",
        ShipmentStatus.PICKING,
        list(lines),
        (uuid4(),),
        1,
        NOW,
        NOW,
    )


def test_a_wrong_item_and_an_extra_unit_are_refused_and_change_nothing() -> None:
    shipment = _shipment(_line("CUP-1", "6901234567892", 2, 250))
    before = copy.deepcopy(shipment.lines)
    with pytest.raises(Conflict) as wrong:
        shipment.verify("6900000000005", None, NOW)
    assert wrong.value.code == "scan_wrong_item" and shipment.lines == before
    shipment.verify("6901234567892", None, NOW)
    shipment.verify("06901234567892", None, NOW)  # the same GTIN in its 14-digit form
    assert shipment.status is ShipmentStatus.VERIFIED
    done = copy.deepcopy(shipment.lines)
    with pytest.raises(Conflict) as extra:
        shipment.verify("6901234567892", None, NOW)
    assert extra.value.code == "scan_extra_unit" and shipment.lines == done


def test_a_serial_managed_unit_needs_its_serial_once() -> None:
    shipment = _shipment(_line("PHONE-1", "6901234567892", 2, 180, serials=True))
    with pytest.raises(Conflict) as missing:
        shipment.verify("6901234567892", None, NOW)
    assert missing.value.code == "scan_serial_needed"
    shipment.verify("6901234567892", "SN-1", NOW)
    with pytest.raises(Conflict) as twice:
        shipment.verify("6901234567892", "SN-1", NOW)
    assert twice.value.code == "scan_serial_repeated"
    shipment.verify("6901234567892", "SN-2", NOW)
    assert shipment.serials() == {shipment.lines[0].sku_id: ["SN-1", "SN-2"]}


def test_a_serial_on_a_sku_without_serials_is_refused() -> None:
    shipment = _shipment(_line("CUP-1", "6901234567892", 1, 250))
    with pytest.raises(ValidationFailed):
        shipment.verify("CUP-1", "SN-9", NOW)


@pytest.mark.parametrize(
    ("grams", "flagged"), [(500, False), (525, False), (526, True), (475, False), (474, True)]
)
def test_a_weight_beyond_the_tolerance_is_flagged(grams: int, flagged: bool) -> None:
    shipment = _shipment(_line("CUP-1", "6901234567892", 2, 250))
    for _ in range(2):
        shipment.verify("CUP-1", None, NOW)
    shipment.weigh(grams, 1, Decimal("5"), NOW)
    assert shipment.weight_flagged is flagged and shipment.expected_grams == 500


def test_weighing_waits_for_verification_and_an_unknown_weight_flags_nothing() -> None:
    shipment = _shipment(_line("CUP-1", "6901234567892", 1, None))
    with pytest.raises(Conflict) as early:
        shipment.weigh(300, 1, Decimal("5"), NOW)
    assert early.value.code == "shipment_not_in_state"
    shipment.verify("CUP-1", None, NOW)
    shipment.weigh(300, 1, Decimal("5"), NOW)
    assert shipment.expected_grams is None and not shipment.weight_flagged


def test_interception_before_dispatch_stops_it_and_after_asks_the_carrier() -> None:
    waiting = _shipment(_line("CUP-1", "6901234567892", 1, 250))
    assert waiting.intercept(NOW) is True and waiting.status is ShipmentStatus.INTERCEPTED
    shipped = _shipment(_line("CUP-1", "6901234567892", 1, 250))
    shipped.status = ShipmentStatus.SHIPPED
    assert shipped.intercept(NOW) is False
    assert shipped.status is ShipmentStatus.INTERCEPTION_REQUESTED


def test_a_failed_channel_report_backs_off_doubling_and_stops_after_the_last_attempt() -> None:
    shipment = _shipment(_line("CUP-1", "6901234567892", 1, 250))
    with pytest.raises(Conflict) as early:  # not shipped: nothing to report again
        shipment.rearm_report()
    assert early.value.code == "shipment_report_not_due"
    shipment.status = ShipmentStatus.SHIPPED
    waits = []
    for attempt in range(1, REPORT_ATTEMPTS + 1):
        gave_up = shipment.channel_not_told(NOW)
        assert gave_up is (attempt == REPORT_ATTEMPTS)
        assert shipment.report_attempts == attempt and shipment.channel_reported is False
        waits.append(shipment.next_report_at - NOW if shipment.next_report_at else None)
    assert waits == [REPORT_BACKOFF * 2**n for n in range(REPORT_ATTEMPTS - 1)] + [None]
    assert waits[:3] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    shipment.rearm_report()  # a person asks again: the count starts over
    assert shipment.report_attempts == 0
    shipment.channel_told(NOW)
    assert shipment.channel_reported is True and shipment.next_report_at is None
    with pytest.raises(Conflict):  # told: nothing to report again
        shipment.rearm_report()


@pytest.mark.parametrize(
    ("status", "shortenable", "interceptable"),
    [
        (ShipmentStatus.PICKING, True, True),
        (ShipmentStatus.VERIFIED, True, True),
        (ShipmentStatus.WEIGHED, False, True),
        (ShipmentStatus.BOOKED, False, True),
        (ShipmentStatus.SHIPPED, False, True),
        (ShipmentStatus.INTERCEPTED, False, False),
        (ShipmentStatus.INTERCEPTION_REQUESTED, False, False),
    ],
)
def test_what_a_status_allows_is_what_its_steps_take(
    status: ShipmentStatus, shortenable: bool, interceptable: bool
) -> None:
    shipment = _shipment(_line("CUP-1", "6901234567892", 2, 250))
    shipment.status = status
    assert (shipment.shortenable, shipment.interceptable) == (shortenable, interceptable)
    line = shipment.lines[0].line_id
    if shortenable:
        shipment.shorten({line: 1}, NOW)
    else:
        with pytest.raises(Conflict):
            shipment.shorten({line: 1}, NOW)
    shipment.status = status
    if interceptable:
        shipment.intercept(NOW)
    else:
        with pytest.raises(Conflict):
            shipment.intercept(NOW)


St = ShipmentStep
MOVES = {  # each step's move, tried on a copy of the parcel
    St.VERIFY: lambda s: s.verify("CUP-1", None, NOW),
    St.WEIGH: lambda s: s.weigh(500, 1, Decimal(10), NOW),
    St.BOOK: lambda s: s.book("SF100", "755", "R1", NOW),
    St.SHIP: lambda s: s.ship(NOW),
    St.SHORTEN: lambda s: s.shorten({s.lines[0].line_id: 1}, NOW),
    St.INTERCEPT: lambda s: s.intercept(NOW),
    St.REPORT: lambda s: s.rearm_report(),
}


@pytest.mark.parametrize(
    ("status", "steps"),
    [
        (ShipmentStatus.PICKING, {St.VERIFY, St.SHORTEN, St.INTERCEPT}),
        (ShipmentStatus.VERIFIED, {St.VERIFY, St.SHORTEN, St.WEIGH, St.INTERCEPT}),
        (ShipmentStatus.WEIGHED, {St.WEIGH, St.BOOK, St.INTERCEPT}),
        (ShipmentStatus.BOOKED, {St.SHIP, St.INTERCEPT}),
        (ShipmentStatus.SHIPPED, {St.INTERCEPT, St.REPORT}),  # its channel not told
        (ShipmentStatus.INTERCEPTED, set()),
        (ShipmentStatus.INTERCEPTION_REQUESTED, set()),
    ],
)
def test_the_next_steps_are_the_moves_the_status_takes(
    status: ShipmentStatus, steps: set[ShipmentStep]
) -> None:
    shipment = _shipment(_line("CUP-1", "6901234567892", 2, 250))
    shipment.status, shipment.channel_reported = status, False
    assert shipment.next_steps == steps
    for step, move in MOVES.items():
        tried = copy.deepcopy(shipment)
        if step in steps:
            move(tried)
        else:
            with pytest.raises(Conflict):
                move(tried)


def test_a_report_is_due_only_for_a_shipped_parcel_its_channel_was_not_told_of() -> None:
    shipment = _shipment(_line("CUP-1", "6901234567892", 1, 250))
    shipment.channel_reported = False
    assert not shipment.report_due  # not shipped yet
    shipment.status = ShipmentStatus.SHIPPED
    assert shipment.report_due
    shipment.channel_told(NOW)
    assert not shipment.report_due
    shipment.channel_reported = None  # no channel to tell
    assert not shipment.report_due


def test_a_short_pick_naming_no_line_is_refused_and_changes_nothing() -> None:
    shipment = _shipment(_line("CUP-1", "6901234567892", 2, 250))
    with pytest.raises(ValidationFailed) as refused:
        shipment.shorten({}, NOW)
    assert refused.value.errors[0].code == "no_line_shortened"
    assert shipment.version == 1 and shipment.lines[0].quantity == 2
