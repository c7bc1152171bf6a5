"""LOG-2: an order shipped in several parcels is delivered (signed) when its last live
parcel is signed for; each earlier one is only noted — orders are told which it is."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from uuid import UUID, uuid4

from adapters.identity.access_policy import RoleBasedAccessPolicy
from application.logistics.ports import TrackingEvent
from application.logistics.tracking import (
    AcceptTrackingEvents,
    AcceptTrackingEventsHandler,
    TrackingDesk,
)
from application.orders.ports import OrderDeliveries
from application.shared.runner import CommandRunner
from application.shared.use_case import Work
from application.shared.use_cases import UseCases
from domain.logistics.carrier import Carrier
from domain.logistics.waybill import Waybill
from tests.fakes.clock import FakeClock
from tests.fakes.unit_of_work import FakeDatabase, FakeIds
from tests.unit.orders.test_use_cases import CTX, START, TENANT, RecordingNotifier


class Told(OrderDeliveries):
    def __init__(self) -> None:
        self.calls: list[tuple[str, bool]] = []

    async def delivered(
        self, work: Work, order_id: UUID, tracking_no: str, at: object, *, last: bool
    ) -> bool:
        self.calls.append((tracking_no, last))
        return True


def _parcel(order_id: UUID, number: str) -> Waybill:
    return Waybill(
        uuid4(), order_id, "SO-1", "SF", number, "浙江", 800, None, Decimal("10.50"), START
    )


async def test_log2_the_last_live_parcel_signed_delivers_the_order() -> None:
    db, told = FakeDatabase(), Told()
    use_cases = UseCases(CommandRunner(db, RoleBasedAccessPolicy(), FakeClock(START), FakeIds()))
    use_cases.register(AcceptTrackingEventsHandler(TrackingDesk(RecordingNotifier(), told)))
    carrier = Carrier.create(uuid4(), "SF", "顺丰", False, START)
    tables = db.tenant(TENANT).logistics
    tables.carriers[carrier.id] = carrier
    order_id = uuid4()
    parcels = (_parcel(order_id, "SF1"), _parcel(order_id, "SF2"), _parcel(order_id, "SF3"))
    parcels[2].cancelled = True
    for parcel in parcels:
        tables.waybills[parcel.shipment_id] = parcel

    def signed(number: str, hours: int) -> AcceptTrackingEvents:
        event = TrackingEvent(number, "delivered", "杭州", START + timedelta(hours=hours))
        return AcceptTrackingEvents(carrier.id, (event,))

    await use_cases.run(CTX, signed("SF1", 1))
    await use_cases.run(CTX, signed("SF2", 2))
    # The first is noted only; the second is the last live one (SF3 was cancelled).
    assert told.calls == [("SF1", False), ("SF2", True)]
