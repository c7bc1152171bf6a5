"""Completion (确认收货, ORD-1): an order delivered — signed for, as the carrier's tracking
reports it (LOG-2) — is completed by the sweep once the seven days of no-questions returns
have passed since delivery, exactly once with two schedulers racing (skip locked); one
delivered more recently, and one only shipped, are left as they are. The timeline names
the system and its reason."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from uuid import UUID

import asyncpg
import pytest

from adapters.carriers.simulated.server import CarrierConfig
from application.logistics.tracking import PullTracking
from application.orders.queries import GetOrder
from application.orders.sweeps import COMPLETE_ACTOR, OrderSweeps
from application.shared.context import Actor, ActorKind, CallContext
from domain.identity.permissions import ALL_PERMISSIONS
from domain.orders.status import OrderStatus
from domain.orders.timeline import SystemReason
from entrypoints.worker.orders import COMPLETE_TASK
from entrypoints.worker.scheduler import periodic_jobs
from entrypoints.worker.tasks import load_task_modules, registered_tasks
from tests.conftest import TenantHandle
from tests.integration.logistics.support import shipped_parcels
from tests.integration.orders.conftest import caller
from tests.support.carrier import RunningCarrier, simulated_carrier
from tests.support.databases import TestDatabase


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningCarrier]:
    with simulated_carrier(CarrierConfig(step_seconds=60)) as running:
        yield running


async def _status(tenant: TenantHandle, order_id: UUID) -> OrderStatus:
    found = await tenant.container.use_cases.query(caller(tenant), GetOrder(order_id))
    return found.order.status


async def test_ord1_delivered_orders_complete_once_the_return_window_is_over(
    tenant: TenantHandle, sim: RunningCarrier, database: TestDatabase
) -> None:
    ctx, run = caller(tenant), tenant.container.use_cases.run
    code, _, shipped = await shipped_parcels(tenant, sim, 3)  # delivered unless told
    old, recent, in_transit = shipped
    path = f"/sim/carriers/{code}/waybills/{in_transit.tracking_no}/fate"
    assert sim.control.post(path, json={"fate": "stalled"}).status_code == 201
    sim.control.post("/sim/clock", json={"advance": 600})
    await run(ctx, PullTracking())
    assert await _status(tenant, old.order_id) is OrderStatus.DELIVERED
    assert await _status(tenant, recent.order_id) is OrderStatus.DELIVERED
    owner = await asyncpg.connect(database.owner_url)
    try:  # eight days pass for one delivery; the other was six days ago
        for order_id, days in ((old.order_id, 8), (recent.order_id, 6)):
            await owner.execute(
                "UPDATE order_timeline SET at = now() - make_interval(days => $3)"
                " WHERE tenant_id = $1 AND order_id = $2 AND to_status = 'delivered'",
                tenant.id,
                order_id,
                days,
            )
    finally:
        await owner.close()

    sweeps = tenant.container.get(OrderSweeps)

    def in_tenant(tenant_id: UUID) -> CallContext:
        return CallContext(tenant_id, Actor(ActorKind.SYSTEM, "scheduler"), ALL_PERMISSIONS)

    counts = await asyncio.gather(
        sweeps.complete_delivered_everywhere(in_tenant),
        sweeps.complete_delivered_everywhere(in_tenant),
    )
    assert sum(c.get(tenant.id, 0) for c in counts) == 1  # once, however many run
    assert await _status(tenant, old.order_id) is OrderStatus.COMPLETED
    assert await _status(tenant, recent.order_id) is OrderStatus.DELIVERED
    assert await _status(tenant, in_transit.order_id) is OrderStatus.SHIPPED
    found = await tenant.container.use_cases.query(ctx, GetOrder(old.order_id))
    last = found.order.timeline[-1]
    assert (last.actor, last.reason, last.to_status) == (
        COMPLETE_ACTOR,
        SystemReason.RECEIPT_CONFIRMED,
        OrderStatus.COMPLETED.value,
    )
    again = await sweeps.complete_delivered_everywhere(in_tenant)
    assert again.get(tenant.id, 0) == 0


def test_ord1_the_completion_sweep_is_scheduled() -> None:
    load_task_modules()
    assert COMPLETE_TASK in registered_tasks()
    assert periodic_jobs()[COMPLETE_TASK].seconds == 600
