"""The simulated carrier and its gateway (LOG-1, LOG-2): a booking answers a tracking
number and label data, the same reference books once, a 429 and a 503 are retried, events
come over time, a cancel before pick-up, an interception after it, and a refusal the
carrier answers is ``CarrierRefused``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.carriers.simulated.gateway import SimulatedCarrierGateway
from adapters.carriers.simulated.server import CarrierConfig
from application.logistics.ports import (
    Address,
    BookingRequest,
    CarrierRefused,
    CarrierUnavailable,
)
from tests.support.carrier import RunningCarrier, simulated_carrier

RECEIVER = Address("李四", "13900001111", "广东省", "深圳市", "南山区", "科技园 1 号")


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningCarrier]:
    with simulated_carrier(CarrierConfig(step_seconds=60)) as running:
        yield running


def _request(reference: str) -> BookingRequest:
    return BookingRequest(reference, "HZ-01", RECEIVER, 520)


async def test_booking_answers_label_data_and_books_a_reference_once(sim: RunningCarrier) -> None:
    gateway = SimulatedCarrierGateway(sim.url)
    first = await gateway.book("SIMA", _request("ref-1"))
    again = await gateway.book("SIMA", _request("ref-1"))
    other = await gateway.book("SIMA", _request("ref-2"))
    assert first == again and other.tracking_no != first.tracking_no
    assert first.tracking_no.startswith("SIMA") and first.label.carrier_code == "SIMA"
    assert first.label.route == "HZ-01→广东省深圳市" and first.label.sorting_code
    listed = sim.control.get("/sim/carriers/SIMA/waybills").json()["waybills"]
    assert len(listed) == 2


async def test_429_and_503_are_retried_then_unavailable(sim: RunningCarrier) -> None:
    gateway = SimulatedCarrierGateway(sim.url, backoff=0.01)
    sim.control.post("/sim/faults", json={"next": [429, 503], "retryAfter": 0})
    booked = await gateway.book("SIMB", _request("ref-retry"))
    assert booked.tracking_no and gateway.retries == 2
    sim.control.post("/sim/faults", json={"next": [503, 503, 503]})
    with pytest.raises(CarrierUnavailable):
        await SimulatedCarrierGateway(sim.url, attempts=3, backoff=0.01).book(
            "SIMB", _request("ref-down")
        )


async def test_events_over_time_cancel_and_interception(sim: RunningCarrier) -> None:
    gateway = SimulatedCarrierGateway(sim.url)
    kept = await gateway.book("SIMC", _request("ref-kept"))
    void = await gateway.book("SIMC", _request("ref-void"))
    await gateway.cancel("SIMC", void.tracking_no)
    assert (await gateway.events("SIMC", None)).events == ()
    with pytest.raises(CarrierRefused) as not_yet:
        await gateway.intercept("SIMC", kept.tracking_no)
    assert not_yet.value.reason == "not_picked_up"
    sim.control.post("/sim/clock", json={"advance": 130})  # picked up, in transit
    page = await gateway.events("SIMC", None)
    assert [e.status for e in page.events] == ["picked_up", "in_transit"]
    assert {e.tracking_no for e in page.events} == {kept.tracking_no}
    with pytest.raises(CarrierRefused):
        await gateway.cancel("SIMC", kept.tracking_no)  # picked up: too late to cancel
    stopped = await gateway.intercept("SIMC", kept.tracking_no)
    assert stopped.accepted and stopped.status == "intercepted"
    sim.control.post("/sim/clock", json={"advance": 600})
    later = await gateway.events("SIMC", page.cursor)
    assert [e.status for e in later.events] == ["intercepted", "returned"]
    assert (await gateway.events("SIMC", later.cursor)).events == ()
