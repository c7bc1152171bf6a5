"""Channel refund statuses and after-sales (ORD-6, CHN-2) against the simulated
marketplace: a refund requested on the platform opens an after-sales case once (its
status noted, then updated when the platform refunds), and a case's refund of a channel's
order is reported back through the connector, once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import asyncpg
import pytest

from application.aftersales.channel import SyncChannelRefund
from application.aftersales.refunds import RefundCase
from application.aftersales.steps import ApproveCase
from application.orders.channels.intake import (
    ChannelIntake,
    ConfigureChannelConnector,
    SetChannelSkuMapping,
)
from application.orders.channels.taking import Taken
from application.orders.queries import GetOrder
from domain.aftersales.case import REFUND_RECORDED
from domain.aftersales.flows import CaseKind, CaseStatus
from entrypoints.worker.events import deliver, subscriptions_for
from tests.conftest import TenantHandle
from tests.e2e.orders.support import channel as new_channel
from tests.integration.orders.conftest import caller, stocked_sku
from tests.support.databases import TestDatabase
from tests.support.marketplace import RunningMarketplace, put_order, simulated_marketplace


@pytest.fixture(scope="module")
def market() -> Iterator[RunningMarketplace]:
    with simulated_marketplace() as running:
        yield running


def _since() -> datetime:
    return datetime.now(UTC) - timedelta(minutes=30)


async def _deliver(tenant: TenantHandle, database: TestDatabase, event_type: str) -> int:
    """Every outbox event of the type through after-sales' subscribers, twice (a
    redelivery); answers how many ran. Only after-sales' own: another module's catch-all
    subscriber (webhooks' fan-out) is registered too once its worker module was imported
    by an earlier test in the same process."""
    import entrypoints.worker.aftersales  # noqa: F401  (its subscribers)

    conn = await asyncpg.connect(database.owner_url)
    try:
        ids = [
            r["id"]
            for r in await conn.fetch(
                "SELECT id FROM outbox WHERE tenant_id = $1 AND event_type = $2 ORDER BY id",
                tenant.id,
                event_type,
            )
        ]
    finally:
        await conn.close()
    ran = 0
    for event_id in [*ids, *ids]:
        event = await tenant.container.outbox_relay.load_event(tenant.id, event_id)
        assert event is not None
        for subscription in subscriptions_for(event_type):
            if not subscription.name.startswith("aftersales."):
                continue
            ran += await deliver(tenant.container, subscription, event)
    return ran


async def _shop(
    tenant: TenantHandle, market: RunningMarketplace, units: int, price: str
) -> tuple[str, UUID]:
    """A shop connected on the simulated marketplace whose paid order ``<shop>-1`` of
    ``units`` at ``price`` is pulled in: (the shop's code, its channel)."""
    ctx, run = caller(tenant), tenant.container.use_cases.run
    shop = f"aftersales_{uuid4().hex[:12]}"
    channel_id = UUID(await new_channel(tenant.client, await tenant.headers("owner"), shop))
    sku = await stocked_sku(tenant, 10, price)
    await run(ctx, SetChannelSkuMapping(channel_id, f"{shop}-SKU", sku))
    put_order(market, shop, f"{shop}-1", [("s1", f"{shop}-SKU", units, price)])
    assert (await _pull(tenant, market, channel_id)).placed == 1
    return shop, channel_id


async def _pull(tenant: TenantHandle, market: RunningMarketplace, channel_id: UUID) -> Taken:
    """The window pulled from its start (the sync point moved back)."""
    ctx = caller(tenant)
    since = ConfigureChannelConnector(channel_id, "simulated", market.url, _since())
    await tenant.container.use_cases.run(ctx, since)
    return (await tenant.container.get(ChannelIntake).pull(ctx, channel_id)).taken


def _refund_status(market: RunningMarketplace, shop: str, status: str) -> None:
    market.control.post(
        f"/sim/shops/{shop}/orders/{shop}-1/refund", json={"refundStatus": status}
    ).raise_for_status()


async def test_a_channel_refund_opens_one_case_and_the_cases_refund_goes_back(
    tenant: TenantHandle, database: TestDatabase, market: RunningMarketplace
) -> None:
    ctx, run = caller(tenant), tenant.container.use_cases.run
    owner = await tenant.headers("owner")
    shop, channel_id = await _shop(tenant, market, 2, "8.00")
    _refund_status(market, shop, "requested")
    assert (await _pull(tenant, market, channel_id)).updated == 1
    assert await _deliver(tenant, database, "order.refund_requested") >= 1
    cases = (await tenant.client.get("/api/v1/aftersales/cases", headers=owner)).json()["items"]
    assert len(cases) == 1  # delivered twice, opened once
    [case] = cases
    assert (case["kind"], case["status"]) == (CaseKind.REFUND_ONLY, CaseStatus.REVIEW)
    assert case["channelRefundStatus"] == "requested" and case["refundAmount"] == "16.00"
    order_id = UUID(case["orderId"])
    # the same order synchronised again: nothing new
    again = await run(ctx, SyncChannelRefund(order_id))
    assert again is not None and again.version == case["version"]
    # the case's refund goes back to the platform, once
    approved = await run(ctx, ApproveCase(UUID(case["id"]), case["version"]))
    order = (await tenant.container.use_cases.query(ctx, GetOrder(order_id))).order
    payment = order.payments[0].id
    refunded = await run(ctx, RefundCase(approved.id, payment, Decimal("16.00"), "TB-RF-1"))
    assert refunded.status is CaseStatus.REFUNDED
    assert await _deliver(tenant, database, REFUND_RECORDED) == 1
    reported = market.control.get(f"/sim/shops/{shop}/refunds").json()["refunds"]
    assert [(r["platformOrderId"], r["amount"]) for r in reported] == [(f"{shop}-1", "16.00")]
    assert reported[0]["refundId"] == str(refunded.refunds[0].id)
    # the order's own refund reached the case as the platform's status (its payments back)
    await _deliver(tenant, database, "order.refund_recorded")
    latest = await tenant.client.get(f"/api/v1/aftersales/cases/{case['id']}", headers=owner)
    assert latest.json()["channelRefundStatus"] == "refunded"


async def test_a_refund_made_on_the_platform_is_the_cases_refund_not_told_back(
    tenant: TenantHandle, database: TestDatabase, market: RunningMarketplace
) -> None:
    ctx, owner = caller(tenant), await tenant.headers("owner")
    shop, channel_id = await _shop(tenant, market, 1, "9.90")
    for status in ("requested", "refunded"):
        _refund_status(market, shop, status)
        await _pull(tenant, market, channel_id)
    await _deliver(tenant, database, "order.refund_requested")
    await _deliver(tenant, database, "order.refund_recorded")
    [case] = (await tenant.client.get("/api/v1/aftersales/cases", headers=owner)).json()["items"]
    assert case["channelRefundStatus"] == "refunded"
    assert (case["status"], case["refundAmount"], case["refunded"]) == (
        CaseStatus.REFUNDED,
        "9.90",
        "9.90",
    )
    assert [e["action"] for e in case["timeline"]][-2:] == ["approved", "refunded"]
    order = (await tenant.container.use_cases.query(ctx, GetOrder(UUID(case["orderId"])))).order
    assert len(order.refunds) == 1 and order.paid_amount == Decimal("0.00")  # not twice
    assert await _deliver(tenant, database, REFUND_RECORDED) == 1
    assert market.control.get(f"/sim/shops/{shop}/refunds").json()["refunds"] == []
