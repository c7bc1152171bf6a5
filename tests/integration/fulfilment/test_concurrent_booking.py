"""LOG-1, ORD-11: two bookings of one cash-on-delivery parcel at the same moment (two
benches, or a double submit) on the real database. A booking locks the shipment, then its
order — the order ship, short pick and intercept take their locks in, so none deadlocks —
and reads what the order's other live waybills collect under that lock: the second
booking waits for the first (seen waiting on a lock in Postgres), then finds the parcel
moved on and is refused (412: its version is stale). One waybill with the carrier and in
the register, collecting the order's balance once. (Two parcels of one order are never
open together — the unique index ``shipments_open_order`` — and a later parcel collects
only what the earlier ones do not.)"""

from __future__ import annotations

import asyncio
from uuid import UUID

import asyncpg

from application.fulfilment.planning import PlanWaves
from application.fulfilment.scanning import ListWaveShipments, ScanPick, ScanVerify, WeighShipment
from application.fulfilment.shipping import BookWaybill
from application.orders.lifecycle import ApproveOrder
from application.orders.placing import NewLine, NewOrder, PlaceOrder
from domain.fulfilment.shipment import Shipment
from domain.shared.errors import StaleVersion
from tests.conftest import TenantHandle
from tests.e2e.fulfilment.support import carrier, stocked
from tests.integration.orders.conftest import RECEIVER, caller
from tests.support.carrier import RunningCarrier

LOCK_WAITERS = (  # a row lock waited for: on the holder's transaction id (no database)
    "SELECT count(*) FROM pg_locks WHERE NOT granted AND pid IN"
    " (SELECT pid FROM pg_stat_activity WHERE datname = current_database())"
)


async def _lock_waiter_seen(
    owner: asyncpg.Connection, bookings: list[asyncio.Task[Shipment | StaleVersion]]
) -> bool:
    """Whether a connection of this database waited on a lock while the bookings ran."""
    while not all(booking.done() for booking in bookings):
        if await owner.fetchval(LOCK_WAITERS):
            return True
        await asyncio.sleep(0.01)
    return False


async def test_log1_two_bookings_of_one_cod_parcel_at_once_book_it_once(
    tenant: TenantHandle, sim: RunningCarrier, owner: asyncpg.Connection
) -> None:
    ctx, run = caller(tenant), tenant.container.use_cases.run
    headers = await tenant.headers("owner")
    goods = await stocked(tenant.client, headers, 3)
    code = await carrier(tenant, tenant.client, sim.url)
    line = NewLine(UUID(goods.sku), 2)
    placed = await run(ctx, PlaceOrder(NewOrder((line,), RECEIVER, cash_on_delivery=True)))
    await run(ctx, ApproveOrder(placed.id, placed.version))
    (wave,) = await run(ctx, PlanWaves(code, UUID(goods.warehouse)))
    await run(ctx, ScanPick(wave.id, goods.barcode, 2))
    (parcel,) = await tenant.container.use_cases.query(ctx, ListWaveShipments(wave.id))
    for _ in range(2):
        parcel = await run(ctx, ScanVerify(parcel.id, goods.barcode))
    parcel = await run(ctx, WeighShipment(parcel.id, 500))

    # The carrier answers 503 four times (about 0.75 s of retries): whichever booking
    # holds the locks is still at the carrier when the other arrives.
    sim.control.post("/sim/faults", json={"next": [503, 503, 503, 503]}).raise_for_status()

    async def book() -> Shipment | StaleVersion:
        try:
            return await run(ctx, BookWaybill(parcel.id, parcel.version))
        except StaleVersion as refused:
            return refused

    bookings = [asyncio.create_task(book()) for _ in range(2)]
    waited = await _lock_waiter_seen(owner, bookings)
    answers = await asyncio.gather(*bookings)
    assert waited  # the second booking waited for the first's locks
    booked = [a for a in answers if isinstance(a, Shipment)]
    refused = [a for a in answers if isinstance(a, StaleVersion)]
    assert len(booked) == 1 and len(refused) == 1, answers
    assert booked[0].tracking_no
    register = await owner.fetch(
        "SELECT tracking_no, cash_on_delivery FROM waybills WHERE tenant_id = $1 AND order_id = $2",
        tenant.id,
        placed.id,
    )
    assert [(r["tracking_no"], r["cash_on_delivery"]) for r in register] == [
        (booked[0].tracking_no, placed.total)
    ]
    with_carrier = sim.control.get(f"/sim/carriers/{code}/waybills").json()
    assert len(with_carrier) == 1, with_carrier
