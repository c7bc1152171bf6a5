"""A shipment the sales channel did not take is reported again (LOG-1, CHN-2 shipment side),
in the database against the simulated marketplace: with the marketplace failing the ship
still succeeds (``channelReported`` false, one attempt, the next planned); once it
answers, two schedulers' sweeps racing report it once and the marketplace keeps one
confirmation — even when it is told a second time; after ``REPORT_ATTEMPTS`` failures the
retries stop and the roles concerned hear of it exactly once; a person can re-arm it."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from application.fulfilment.notices import REPORT_FAILED
from application.fulfilment.reporting import ReportShipmentAgain, ShipmentSweeps
from application.fulfilment.scanning import GetShipment
from application.shared.context import Actor, ActorKind, CallContext
from domain.fulfilment.shipment import REPORT_ATTEMPTS, Shipment
from domain.identity.permissions import ALL_PERMISSIONS
from domain.shared.errors import Conflict
from entrypoints.worker.fulfilment import REPORT_TASK
from entrypoints.worker.scheduler import periodic_jobs
from entrypoints.worker.tasks import load_task_modules, registered_tasks
from tests.conftest import TenantHandle
from tests.integration.fulfilment.parcels import marketplace_parcel, through
from tests.integration.notifications.test_notifications import add_user
from tests.integration.orders.conftest import caller
from tests.support.carrier import RunningCarrier
from tests.support.marketplace import RunningMarketplace


def _failing(market: RunningMarketplace, failing: bool) -> None:
    answer = market.control.post("/sim/faults", json={"errorRate": 1.0 if failing else 0.0})
    answer.raise_for_status()


async def _due_now(owner: asyncpg.Connection, shipment: Shipment) -> None:
    """Time passes: the shipment's next report is due."""
    await owner.execute(
        "UPDATE shipments SET next_report_at = now() - interval '1 second' WHERE id = $1",
        shipment.id,
    )


def _confirmations(market: RunningMarketplace, shop: str) -> list[dict[str, object]]:
    return list(market.control.get(f"/sim/shops/{shop}/shipments").json()["shipments"])


async def _sweep(tenant: TenantHandle) -> int:
    """What one scheduler's task runs, for every tenant."""

    def in_tenant(tenant_id: uuid.UUID) -> CallContext:
        return CallContext(tenant_id, Actor(ActorKind.SYSTEM, "scheduler"), ALL_PERMISSIONS)

    told = await tenant.container.get(ShipmentSweeps).report_everywhere(in_tenant)
    return told.get(tenant.id, 0)


async def _shipped_unreported(
    tenant: TenantHandle, sim: RunningCarrier, market: RunningMarketplace
) -> tuple[Shipment, str]:
    parcel = await marketplace_parcel(tenant, sim, market)
    _failing(market, True)
    try:
        shipped = await through(caller(tenant), tenant, parcel.shipment, parcel.goods.barcode)
    finally:
        _failing(market, False)
    return shipped, parcel.shop


async def test_an_unreported_shipment_is_reported_once_by_two_racing_sweeps(
    tenant: TenantHandle,
    sim: RunningCarrier,
    market: RunningMarketplace,
    owner: asyncpg.Connection,
) -> None:
    ctx, query = caller(tenant), tenant.container.use_cases.query
    before = datetime.now(UTC)
    shipped, shop = await _shipped_unreported(tenant, sim, market)
    assert shipped.status.value == "shipped" and shipped.channel_reported is False
    assert shipped.report_attempts == 1 and shipped.next_report_at is not None
    assert before + timedelta(seconds=59) < shipped.next_report_at  # a minute's backoff
    assert _confirmations(market, shop) == []

    assert await _sweep(tenant) == 0  # not due yet: nothing is tried
    assert _confirmations(market, shop) == []
    await _due_now(owner, shipped)
    counts = await asyncio.gather(_sweep(tenant), _sweep(tenant))
    assert sum(counts) == 1
    assert await _sweep(tenant) == 0
    stored = await query(ctx, GetShipment(shipped.id))
    assert stored.channel_reported is True and stored.next_report_at is None
    expected = {
        "platformOrderId": f"{shop}-1",
        "subOrderIds": [f"{shop}-1-a"],
        "carrier": shipped.carrier_code,
        "trackingNo": shipped.tracking_no,
    }
    assert _confirmations(market, shop) == [expected]

    # A report the platform took whose transaction was then lost is told again: the
    # marketplace keeps its one confirmation.
    await owner.execute("UPDATE shipments SET channel_reported = false WHERE id = $1", shipped.id)
    await _due_now(owner, shipped)
    assert await _sweep(tenant) == 1
    assert _confirmations(market, shop) == [expected]
    stored = await query(ctx, GetShipment(shipped.id))
    with pytest.raises(Conflict) as told:  # nothing left to report again by hand
        await tenant.container.use_cases.run(ctx, ReportShipmentAgain(stored.id, stored.version))
    assert told.value.code == "shipment_report_not_due"
    audits = await owner.fetch(
        "SELECT action, detail->>'channelReport' AS report FROM audit_log"
        " WHERE tenant_id = $1 AND entity_id = $2 AND detail ? 'channelReport'"
        " ORDER BY occurred_at",
        tenant.id,
        shipped.id,
    )
    assert [(a["action"], a["report"]) for a in audits] == [
        ("shipment.ship", "failed"),
        ("shipment.report_retry", "told"),
        ("shipment.report_retry", "told"),
    ]


async def test_after_the_last_failed_attempt_the_roles_concerned_hear_of_it_once(
    tenant: TenantHandle,
    sim: RunningCarrier,
    market: RunningMarketplace,
    owner: asyncpg.Connection,
) -> None:
    ctx, query = caller(tenant), tenant.container.use_cases.query
    keeper = await add_user(tenant, ["warehouse"], "zh-CN")
    shipped, shop = await _shipped_unreported(tenant, sim, market)
    _failing(market, True)
    try:
        for _ in range(REPORT_ATTEMPTS - 1):
            await _due_now(owner, shipped)
            assert await _sweep(tenant) == 0
        stored = await query(ctx, GetShipment(shipped.id))
        assert stored.report_attempts == REPORT_ATTEMPTS and stored.next_report_at is None
        calls = market.control.get("/sim/calls").json()["shipment"]
        assert await _sweep(tenant) == 0  # stopped: the marketplace is not asked again
        assert market.control.get("/sim/calls").json()["shipment"] == calls
    finally:
        _failing(market, False)
    alerts = await owner.fetch(
        "SELECT user_id, title FROM inbox_messages WHERE tenant_id = $1 AND topic = $2",
        tenant.id,
        REPORT_FAILED,
    )
    assert [a["user_id"] for a in alerts] == [keeper.id]
    assert stored.order_number in alerts[0]["title"]
    assert _confirmations(market, shop) == []

    # A support engineer asks again once the channel answers: told, and nobody alerted.
    again = await tenant.container.use_cases.run(
        ctx, ReportShipmentAgain(stored.id, stored.version)
    )
    assert again.channel_reported is True and again.report_attempts == 0
    assert len(_confirmations(market, shop)) == 1
    assert (
        await owner.fetchval(
            "SELECT count(*) FROM inbox_messages WHERE tenant_id = $1 AND topic = $2",
            tenant.id,
            REPORT_FAILED,
        )
        == 1
    )


def test_the_scheduler_enqueues_the_sweep_every_minute_never_retried() -> None:
    load_task_modules()
    assert periodic_jobs()[REPORT_TASK].seconds == 60
    assert registered_tasks()[REPORT_TASK].max_retries == 0  # the next period does it again
