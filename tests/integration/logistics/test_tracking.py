"""Tracking in the database against the simulated carrier (LOG-2): waybills booked by
fulfilment are registered with the postage their carrier's price table estimates; the
tracking pull takes each event once (pulled again or pushed again, nothing repeats);
delivery failed, returned and lost each raise exactly one alert to the warehouse role,
a parcel with no scan for the tenant's hours one stalled alert; delivered marks the
order delivered (signed)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import asyncpg
import pytest

from adapters.carriers.simulated.server import CarrierConfig
from application.logistics.settings import SetLogisticsSettings
from application.logistics.tracking import AcceptTrackingEvents, GetTracking, PullTracking
from application.orders.queries import GetOrder
from domain.orders.status import OrderStatus
from entrypoints.worker.logistics import TRACK_TASK
from entrypoints.worker.scheduler import periodic_jobs
from entrypoints.worker.tasks import load_task_modules, registered_tasks
from tests.conftest import TenantHandle
from tests.integration.logistics.support import shipped_parcels
from tests.integration.notifications.test_notifications import add_user, owner
from tests.integration.orders.conftest import caller
from tests.support.carrier import RunningCarrier, simulated_carrier

__all__ = ["owner"]
FATES = ("delivered", "failed", "returned", "lost", "stalled")
ALERTS = ("parcel.delivery_failed", "parcel.returned", "parcel.lost", "parcel.stalled")


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningCarrier]:
    with simulated_carrier(CarrierConfig(step_seconds=60)) as running:
        yield running


async def _alerts(owner: asyncpg.Connection, tenant: TenantHandle) -> list[str]:
    rows = await owner.fetch(
        "SELECT topic FROM inbox_messages WHERE tenant_id = $1 AND topic LIKE 'parcel.%'"
        " ORDER BY topic",
        tenant.id,
    )
    return [row["topic"] for row in rows]


async def test_log2_each_anomaly_alerts_once_and_delivered_marks_the_order_signed(
    tenant: TenantHandle, sim: RunningCarrier, owner: asyncpg.Connection
) -> None:
    ctx, run, query = (
        caller(tenant),
        tenant.container.use_cases.run,
        tenant.container.use_cases.query,
    )
    await add_user(tenant, ["warehouse"], "zh-CN")
    code, carrier_id, shipped = await shipped_parcels(tenant, sim, len(FATES))
    assert {s.cost_estimate for s in shipped} == {Decimal("10.50")}  # 1200 g to 浙江
    parcels = dict(zip(FATES, shipped, strict=True))
    for fate, shipment in parcels.items():
        if fate != "delivered":
            path = f"/sim/carriers/{code}/waybills/{shipment.tracking_no}/fate"
            assert sim.control.post(path, json={"fate": fate}).status_code == 201
    sim.control.post("/sim/clock", json={"advance": 600})

    assert await run(ctx, PullTracking()) == 4 + 4 + 3 + 3 + 1
    assert await run(ctx, PullTracking()) == 0  # the cursor moved on
    delivered = await query(ctx, GetTracking(parcels["delivered"].id))
    again = AcceptTrackingEvents(carrier_id, delivered.events)
    assert await run(ctx, again) == 0  # pushed again by the carrier: kept once
    assert [e.status for e in delivered.events] == [
        "picked_up",
        "in_transit",
        "out_for_delivery",
        "delivered",
    ]
    assert await _alerts(owner, tenant) == sorted(ALERTS[:3])

    order = await query(ctx, GetOrder(parcels["delivered"].order_id))
    assert order.order.status is OrderStatus.DELIVERED
    failed = await query(ctx, GetOrder(parcels["failed"].order_id))
    assert failed.order.status is OrderStatus.SHIPPED

    # No scan for longer than the tenant's hours: one stalled alert, however many pulls.
    await run(ctx, SetLogisticsSettings(1, Decimal("5"), 0))
    await owner.execute(
        "UPDATE waybills SET last_scan_at = now() - interval '2 hours'"
        " WHERE tenant_id = $1 AND shipment_id = $2",
        tenant.id,
        parcels["stalled"].id,
    )
    await run(ctx, PullTracking())
    await run(ctx, PullTracking())
    assert await _alerts(owner, tenant) == sorted(ALERTS)
    stalled = await query(ctx, GetTracking(parcels["stalled"].id))
    assert stalled.waybill is not None and stalled.waybill.anomalies == ("stalled",)


def test_the_scheduler_pulls_tracking_every_five_minutes_never_retried() -> None:
    load_task_modules()
    assert periodic_jobs()[TRACK_TASK].seconds == 300
    assert registered_tasks()[TRACK_TASK].max_retries == 0
