"""A waybill's tracking (LOG-2): each anomaly — delivery failed, returned, lost, stalled —
is raised once however often its event comes; a return the sender asked for is none; the
first delivery is kept; a stall counts from the last scan (or the booking), never after
a final status or a cancel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from domain.logistics.waybill import Anomaly, Waybill

BOOKED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def _waybill() -> Waybill:
    return Waybill(
        uuid4(),
        uuid4(),
        "SO-1",
        "SF",
        "SF000000000001",
        "广东",
        520,
        None,
        Decimal("12.00"),
        BOOKED,
    )


@pytest.mark.parametrize(
    ("status", "anomaly"),
    [
        ("failed", Anomaly.DELIVERY_FAILED),
        ("returned", Anomaly.RETURNED),
        ("lost", Anomaly.LOST),
    ],
)
def test_log2_an_anomalous_event_raises_its_anomaly_once(status: str, anomaly: Anomaly) -> None:
    waybill = _waybill()
    assert waybill.track("picked_up", BOOKED + HOUR) is None
    assert waybill.track(status, BOOKED + 2 * HOUR) is anomaly
    assert waybill.track(status, BOOKED + 3 * HOUR) is None  # the carrier says it again
    assert waybill.anomalies == (anomaly.value,) and waybill.last_status == status


def test_log2_an_event_raising_an_anomaly_moves_the_version_once() -> None:
    waybill = _waybill()
    waybill.track("failed", BOOKED + HOUR)
    assert waybill.version == 2 and waybill.anomalies == (Anomaly.DELIVERY_FAILED.value,)
    waybill.stalled(BOOKED + 100 * HOUR, 48)  # failed is no final status: stalled too
    assert waybill.version == 3 and waybill.anomalies[-1] == Anomaly.STALLED.value
    waybill.stalled(BOOKED + 200 * HOUR, 48)  # raised already: nothing changes
    assert waybill.version == 3


def test_log2_a_return_after_the_sender_s_interception_is_no_anomaly() -> None:
    waybill = _waybill()
    waybill.intercepted_by_sender()
    assert waybill.track("returned", BOOKED + HOUR) is None and waybill.anomalies == ()


def test_log2_delivery_is_kept_once_and_a_late_old_event_does_not_move_the_status() -> None:
    waybill = _waybill()
    waybill.track("delivered", BOOKED + 3 * HOUR)
    waybill.track("in_transit", BOOKED + HOUR)  # arrives late
    waybill.track("delivered", BOOKED + 4 * HOUR)
    assert waybill.delivered_at == BOOKED + 3 * HOUR
    assert waybill.last_status == "delivered" and waybill.last_scan_at == BOOKED + 4 * HOUR


def test_log2_a_stall_counts_from_the_last_scan_and_is_raised_once() -> None:
    waybill = _waybill()
    assert waybill.stalled(BOOKED + 47 * HOUR, 48) is None
    assert waybill.stalled(BOOKED + 48 * HOUR, 48) is Anomaly.STALLED  # none since booking
    assert waybill.stalled(BOOKED + 96 * HOUR, 48) is None
    scanned = _waybill()
    scanned.track("in_transit", BOOKED + 40 * HOUR)
    assert scanned.stalled(BOOKED + 80 * HOUR, 48) is None
    assert scanned.stalled(BOOKED + 88 * HOUR, 48) is Anomaly.STALLED


def test_log2_no_stall_once_delivered_lost_returned_or_cancelled() -> None:
    late = BOOKED + 1000 * HOUR
    for final in ("delivered", "lost", "returned"):
        waybill = _waybill()
        waybill.track(final, BOOKED + HOUR)
        assert waybill.stalled(late, 48) is None
    cancelled = _waybill()
    cancelled.cancel()
    assert cancelled.stalled(late, 48) is None


def test_log2_a_waybill_cancelled_or_intercepted_again_changes_nothing() -> None:
    waybill = _waybill()
    assert waybill.cancel() is True and waybill.intercepted_by_sender() is True
    version = waybill.version
    assert waybill.cancel() is False and waybill.intercepted_by_sender() is False
    assert waybill.version == version  # nothing to write, nothing to audit
