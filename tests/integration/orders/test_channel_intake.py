"""Order intake from a sales channel against the simulated marketplace (ORD-9, CHN-2):
pulls are idempotent by platform order id, unmapped channel SKU codes mark the order
abnormal ``sku_not_mapped``, a 429 and a 5xx are retried, two pullers racing create each
order once, a refund requested on the platform reaches the order, and a stock change pushes
the new sellable number to the platform."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import asyncpg
import pytest

from application.inventory.availability import CHANGED
from application.orders.channels.intake import (
    ChannelIntake,
    ConfigureChannelConnector,
    ListChannelSkuMappings,
    SetChannelSkuMapping,
)
from application.orders.queries import GetOrder
from application.shared.context import CallContext
from bootstrap.settings import Settings
from domain.orders.abnormal import AbnormalType
from domain.orders.order import Order
from domain.orders.status import OrderStatus
from entrypoints.worker.events import deliver, subscriptions_for
from entrypoints.worker.tasks import worker_context
from tests.conftest import TenantHandle, cli_env
from tests.e2e.orders.support import channel as new_channel
from tests.integration.orders.conftest import caller, stocked_sku
from tests.support.cli import shopkeeper as in_process
from tests.support.databases import TestDatabase
from tests.support.marketplace import RunningMarketplace, put_order, simulated_marketplace


@pytest.fixture(scope="module")
def market() -> Iterator[RunningMarketplace]:
    with simulated_marketplace() as running:
        yield running


def _since() -> datetime:
    return datetime.now(UTC) - timedelta(minutes=30)


def _ago(minutes: int) -> str:
    return (datetime.now(UTC) - timedelta(minutes=minutes)).isoformat()


async def _connected(tenant: TenantHandle, market: RunningMarketplace, code: str) -> UUID:
    owner = await tenant.headers("owner")
    channel_id = UUID(await new_channel(tenant.client, owner, code))
    since = datetime.now(UTC) - timedelta(minutes=30)
    run = tenant.container.use_cases.run
    await run(caller(tenant), ConfigureChannelConnector(channel_id, "simulated", market.url, since))
    return channel_id


async def _orders(database: TestDatabase, tenant: TenantHandle) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(database.owner_url)
    try:
        return list(
            await conn.fetch(
                "SELECT id, platform_order_ids, status FROM orders WHERE tenant_id = $1"
                " ORDER BY platform_order_ids",
                tenant.id,
            )
        )
    finally:
        await conn.close()


async def test_two_pulls_of_the_same_window_create_the_orders_once_ord_9(
    tenant: TenantHandle, database: TestDatabase, market: RunningMarketplace
) -> None:
    ctx, run = caller(tenant), tenant.container.use_cases.run
    shop = f"idem_{uuid4().hex[:12]}"
    channel_id = await _connected(tenant, market, shop)
    sku = await stocked_sku(tenant, 100, "20.00")
    await run(ctx, SetChannelSkuMapping(channel_id, "TM-A", sku))
    mapped = await tenant.container.use_cases.query(ctx, ListChannelSkuMappings(channel_id))
    assert [(m.channel_sku_code, m.sku_id) for m in mapped] == [("TM-A", sku)]
    for i in range(3):
        put_order(
            market,
            shop,
            f"{shop}-{i}",
            [(f"{shop}-{i}-1", "TM-A", 2, "19.90")],
            modified_at=_ago(5 - i),
        )
    intake = tenant.container.get(ChannelIntake)
    first = await intake.pull(ctx, channel_id)
    assert (first.taken.placed, first.taken.repulled) == (3, 0)
    # the same window again: the sync point moved back to where it started
    since = datetime.now(UTC) - timedelta(minutes=30)
    await run(ctx, ConfigureChannelConnector(channel_id, "simulated", market.url, since))
    again = await intake.pull(ctx, channel_id)
    assert (again.taken.placed, again.taken.repulled) == (0, 3)
    rows = await _orders(database, tenant)
    assert [r["platform_order_ids"] for r in rows] == [[f"{shop}-{i}"] for i in range(3)]
    stored = await tenant.container.use_cases.query(ctx, GetOrder(rows[0]["id"]))
    order = stored.order
    assert stored.source == "marketplace" and order.channel_id == channel_id
    assert order.total == order.paid_amount == Decimal("39.80")
    assert order.status is OrderStatus.AWAITING_REVIEW
    assert order.lines[0].platform_sub_order_id == f"{shop}-0-1"


async def test_unmapped_codes_mark_the_order_abnormal_chn_2(
    tenant: TenantHandle, database: TestDatabase, market: RunningMarketplace
) -> None:
    ctx, run = caller(tenant), tenant.container.use_cases.run
    shop = f"unmapped_{uuid4().hex[:12]}"
    channel_id = await _connected(tenant, market, shop)
    sku = await stocked_sku(tenant, 10, "5.00")
    await run(ctx, SetChannelSkuMapping(channel_id, "KNOWN", sku))
    put_order(
        market,
        shop,
        f"{shop}-half",
        [("h1", "KNOWN", 1, "5.00"), ("h2", "NOBODY", 1, "6.00")],
        modified_at=_ago(3),
    )
    put_order(market, shop, f"{shop}-none", [("n1", "NOBODY", 1, "6.00")], modified_at=_ago(2))
    pulled = await tenant.container.get(ChannelIntake).pull(ctx, channel_id)
    assert (pulled.taken.placed, pulled.taken.unmapped) == (1, 1)
    rows = await _orders(database, tenant)
    assert [r["platform_order_ids"] for r in rows] == [[f"{shop}-half"]]
    order = (await tenant.container.use_cases.query(ctx, GetOrder(rows[0]["id"]))).order
    assert order.status is OrderStatus.ABNORMAL
    kinds = {a.type: a for a in order.abnormalities}
    assert AbnormalType.SKU_NOT_MAPPED in kinds
    assert kinds[AbnormalType.SKU_NOT_MAPPED].detail["codes"] == "NOBODY"
    conn = await asyncpg.connect(database.owner_url)
    try:
        noted = await conn.fetchval(
            "SELECT count(*) FROM audit_log WHERE tenant_id = $1"
            " AND action = 'order.channel_unmapped'",
            tenant.id,
        )
    finally:
        await conn.close()
    assert noted == 1


async def test_a_429_and_a_5xx_are_retried_and_two_pullers_create_each_order_once_ord_9(
    tenant: TenantHandle, database: TestDatabase, market: RunningMarketplace
) -> None:
    ctx, run = caller(tenant), tenant.container.use_cases.run
    shop = f"retry_{uuid4().hex[:12]}"
    channel_id = await _connected(tenant, market, shop)
    sku = await stocked_sku(tenant, 100, "5.00")
    await run(ctx, SetChannelSkuMapping(channel_id, "R", sku))
    for i in range(60):  # two pages of the simulator (50 a page)
        put_order(
            market, shop, f"{shop}-{i:02d}", [(f"s{i}", "R", 1, "5.00")], modified_at=_ago(10)
        )
    market.control.post("/sim/faults", json={"next": [429, 503]}).raise_for_status()
    intake = tenant.container.get(ChannelIntake)
    results = await asyncio.gather(intake.pull(ctx, channel_id), intake.pull(ctx, channel_id))
    assert sum(r.taken.placed for r in results) == 60
    rows = await _orders(database, tenant)
    assert len(rows) == 60 and len({tuple(r["platform_order_ids"]) for r in rows}) == 60
    assert market.control.post("/sim/faults", json={}).json()["next"] == []  # both used


async def test_a_refund_requested_then_done_on_the_platform_reaches_the_order_chn_2_ord_3_ord_7(
    tenant: TenantHandle, database: TestDatabase, market: RunningMarketplace
) -> None:
    ctx, run = caller(tenant), tenant.container.use_cases.run
    service = await tenant.headers("customer_service")
    shop = f"refund_{uuid4().hex[:12]}"
    channel_id = await _connected(tenant, market, shop)
    sku = await stocked_sku(tenant, 10, "5.00")
    await run(ctx, SetChannelSkuMapping(channel_id, "F", sku))
    put_order(market, shop, f"{shop}-1", [("f1", "F", 1, "5.00")], modified_at=_ago(4))
    intake = tenant.container.get(ChannelIntake)
    assert (await intake.pull(ctx, channel_id)).taken.placed == 1
    market.control.post(
        f"/sim/shops/{shop}/orders/{shop}-1/refund", json={"refundStatus": "requested"}
    ).raise_for_status()
    later = await intake.pull(ctx, channel_id)
    assert (later.taken.placed, later.taken.updated) == (0, 1)
    rows = await _orders(database, tenant)
    order = (await tenant.container.use_cases.query(ctx, GetOrder(rows[0]["id"]))).order
    assert order.refund_requested
    assert AbnormalType.REFUND_REQUESTED in {a.type for a in order.abnormalities}
    # ORD-7: the status change the intake made reached customer service's inbox.
    inbox = (await tenant.client.get("/api/v1/inbox", headers=service)).json()["items"]
    assert any(
        m["topic"] == "order.status_changed" and order.number.value in m["title"] for m in inbox
    )
    # ORD-3: refunded on the platform → a refund against the platform payment, once.
    market.control.post(
        f"/sim/shops/{shop}/orders/{shop}-1/refund", json={"refundStatus": "refunded"}
    ).raise_for_status()
    for _ in range(2):
        await run(ctx, ConfigureChannelConnector(channel_id, "simulated", market.url, _since()))
        await intake.pull(ctx, channel_id)
    order = (await tenant.container.use_cases.query(ctx, GetOrder(rows[0]["id"]))).order
    [payment] = order.payments
    [refund] = order.refunds
    assert (refund.payment_id, refund.amount) == (payment.id, Decimal("5.00"))
    assert order.paid_amount == Decimal("0.00")


async def test_a_refund_request_withdrawn_on_the_platform_releases_the_order_ord_5(
    tenant: TenantHandle, database: TestDatabase, market: RunningMarketplace
) -> None:
    """ORD-5: ``refund_requested`` is released automatically once the buyer withdraws the
    request on the platform; the order goes back to review, the reason on its timeline."""
    ctx, run = caller(tenant), tenant.container.use_cases.run
    shop = f"withdrawn_{uuid4().hex[:12]}"
    channel_id = await _connected(tenant, market, shop)
    sku = await stocked_sku(tenant, 10, "5.00")
    await run(ctx, SetChannelSkuMapping(channel_id, "W", sku))
    put_order(market, shop, f"{shop}-1", [("w1", "W", 1, "5.00")], modified_at=_ago(4))
    intake = tenant.container.get(ChannelIntake)
    assert (await intake.pull(ctx, channel_id)).taken.placed == 1
    [row] = await _orders(database, tenant)
    for status in ("requested", "none"):
        market.control.post(
            f"/sim/shops/{shop}/orders/{shop}-1/refund", json={"refundStatus": status}
        ).raise_for_status()
        assert (await intake.pull(ctx, channel_id)).taken.updated == 1
        order = (await tenant.container.use_cases.query(ctx, GetOrder(row["id"]))).order
        assert order.refund_requested is (status == "requested")
    assert order.abnormalities == () and order.status is OrderStatus.AWAITING_REVIEW
    [released] = [e for e in order.timeline if e.kind == "abnormal_resolved"]
    assert (released.detail["type"], released.reason) == (
        "refund_requested",
        "refund request withdrawn",
    )
    assert order.paid_amount == order.total  # nothing refunded


async def test_a_stock_change_pushes_the_new_sellable_number_chn_2(
    tenant: TenantHandle, database: TestDatabase, market: RunningMarketplace
) -> None:
    import entrypoints.worker.order_channels  # noqa: F401  (its subscriber)

    ctx, run = caller(tenant), tenant.container.use_cases.run
    owner = await tenant.headers("owner")
    shop = f"stock_{uuid4().hex[:12]}"
    channel_id = await _connected(tenant, market, shop)
    made = await tenant.client.post(
        "/api/v1/inventory/warehouses", json={"code": "W-STK", "name": "仓"}, headers=owner
    )
    warehouse = made.json()["id"]
    sku = await stocked_sku(tenant, 0, "5.00")
    await run(ctx, SetChannelSkuMapping(channel_id, "STK-1", sku))
    supply = await tenant.client.put(
        f"/api/v1/inventory/channels/{channel_id}/supply",
        json={
            "warehouseIds": [warehouse],
            "safetyStock": 0,
            "shareKind": "percent",
            "shareValue": "100",
        },
        headers={**owner, "If-Match": '"v0"'},
    )
    assert supply.status_code == 200, supply.text
    receipt = {"skuId": str(sku), "warehouseId": warehouse, "quantity": 17}
    done = await tenant.client.post("/api/v1/inventory/receipts", json=receipt, headers=owner)
    assert done.status_code == 201, done.text
    conn = await asyncpg.connect(database.owner_url)
    try:
        event_ids = [
            r["id"]
            for r in await conn.fetch(
                "SELECT id FROM outbox WHERE tenant_id = $1 AND event_type = $2 AND entity_id = $3",
                tenant.id,
                CHANGED,
                sku,
            )
        ]
    finally:
        await conn.close()
    assert event_ids
    container = tenant.container
    for event_id in event_ids:
        event = await container.outbox_relay.load_event(tenant.id, event_id)
        assert event is not None and event.data["channelId"] == str(channel_id)
        for subscription in subscriptions_for(CHANGED):
            if subscription.name == "orders.channel_availability_push":
                assert await deliver(container, subscription, event)
    pushes = market.control.get(f"/sim/shops/{shop}/stock").json()["pushes"]
    assert pushes[-1] == {"skuCode": "STK-1", "quantity": 17}


async def test_an_operator_connects_a_channel_and_pulls_it_from_the_command_line_ord_9(
    tenant: TenantHandle, database: TestDatabase, market: RunningMarketplace, settings: Settings
) -> None:
    ctx, run = caller(tenant), tenant.container.use_cases.run
    owner = await tenant.headers("owner")
    shop = f"cli_{uuid4().hex[:12]}"
    channel_id = await new_channel(tenant.client, owner, shop)
    sku = await stocked_sku(tenant, 10, "5.00")
    await run(ctx, SetChannelSkuMapping(UUID(channel_id), "CLI", sku))
    put_order(market, shop, f"{shop}-1", [("c1", "CLI", 1, "5.00")], modified_at=_ago(3))

    async def shopkeeper(*args: str) -> subprocess.CompletedProcess[str]:
        scope = ("--tenant", tenant.slug, "--channel", channel_id)
        return await in_process(cli_env(settings), "marketplace", *args, *scope)

    since = _ago(30)
    connected = await shopkeeper("connect", "--endpoint", market.url, "--since", since)
    assert connected.returncode == 0, connected.stderr
    assert f"channel {shop} pulls from {market.url}" in connected.stdout
    pulled = await shopkeeper("pull")
    assert pulled.returncode == 0, pulled.stderr
    assert "1 placed" in pulled.stdout
    assert [r["platform_order_ids"] for r in await _orders(database, tenant)] == [[f"{shop}-1"]]


async def test_an_address_changed_on_the_platform_reaches_the_order_ord_9(
    tenant: TenantHandle, database: TestDatabase, market: RunningMarketplace
) -> None:
    ctx, run = caller(tenant), tenant.container.use_cases.run
    shop = f"addr_{uuid4().hex[:12]}"
    channel_id = await _connected(tenant, market, shop)
    sku = await stocked_sku(tenant, 10, "5.00")
    await run(ctx, SetChannelSkuMapping(channel_id, "AD", sku))
    put_order(market, shop, f"{shop}-1", [("a1", "AD", 1, "5.00")], modified_at=_ago(4))
    intake = tenant.container.get(ChannelIntake)
    assert (await intake.pull(ctx, channel_id)).taken.placed == 1
    unchanged = await intake.pull(ctx, channel_id)  # re-pulled in the overlap: nothing
    assert unchanged.taken.updated == 0
    put_order(market, shop, f"{shop}-1", [("a1", "AD", 1, "5.00")], address="望京街 1 号")
    later = await intake.pull(ctx, channel_id)
    assert (later.taken.placed, later.taken.updated) == (0, 1)
    rows = await _orders(database, tenant)
    order = (await tenant.container.use_cases.query(ctx, GetOrder(rows[0]["id"]))).order
    assert order.receiver.address.line == "望京街 1 号"
    assert any(e.kind == "address_changed" for e in order.timeline)


async def test_the_scheduled_pull_of_every_channel_runs_once_with_two_schedulers_ord_9(
    tenant: TenantHandle, database: TestDatabase, market: RunningMarketplace
) -> None:
    """Two schedulers' jobs at the same moment place each order once; a channel whose
    platform keeps refusing stops alone, its sync point where it was."""
    ctx, run = caller(tenant), tenant.container.use_cases.run
    shop = f"sched_{uuid4().hex[:12]}"
    channel_id = await _connected(tenant, market, shop)
    down = await _connected(tenant, market, f"down_{uuid4().hex[:12]}")
    await run(ctx, ConfigureChannelConnector(down, "simulated", "http://127.0.0.1:9", None))
    sku = await stocked_sku(tenant, 100, "5.00")
    await run(ctx, SetChannelSkuMapping(channel_id, "S", sku))
    for i in range(30):
        put_order(market, shop, f"{shop}-{i:02d}", [(f"x{i}", "S", 1, "5.00")], modified_at=_ago(6))
    intake = tenant.container.get(ChannelIntake)

    def in_tenant(tenant_id: UUID) -> CallContext:
        return worker_context(tenant_id, "orders.pull_channels")

    first, second = await asyncio.gather(
        intake.pull_everywhere(in_tenant), intake.pull_everywhere(in_tenant)
    )
    mine = (first, second)
    assert sum(r[tenant.id, channel_id].taken.placed for r in mine) == 30
    # the one that got the down channel's row failed; the other found it locked (busy)
    assert [bool(r[tenant.id, down].failed) for r in mine].count(True) >= 1
    assert all(r[tenant.id, down].pages == 0 for r in mine)
    conn = await asyncpg.connect(database.owner_url)
    try:
        synced = await conn.fetchval(
            "SELECT synced_until < now() - interval '20 minutes' FROM channel_connectors"
            " WHERE tenant_id = $1 AND channel_id = $2",
            tenant.id,
            down,
        )
    finally:
        await conn.close()
    assert synced  # its sync point stayed where it was
    assert len(await _orders(database, tenant)) == 30


async def test_an_order_the_domain_refuses_is_audited_and_the_page_goes_on_ord_9(
    tenant: TenantHandle, database: TestDatabase, market: RunningMarketplace
) -> None:
    ctx, run = caller(tenant), tenant.container.use_cases.run
    shop = f"bad_{uuid4().hex[:12]}"
    channel_id = await _connected(tenant, market, shop)
    sku = await stocked_sku(tenant, 10, "5.00")
    await run(ctx, SetChannelSkuMapping(channel_id, "B", sku))
    put_order(market, shop, f"{shop}-1", [("b1", "B", 1, "5.00")], modified_at=_ago(5))
    bad = put_order(market, shop, f"{shop}-2", [("b2", "B", 1, "5.00")], modified_at=_ago(4))
    bad["receiver"] = {**bad["receiver"], "phone": "1" * 40}  # type: ignore[dict-item]
    market.control.put(f"/sim/shops/{shop}/orders/{shop}-2", json=bad).raise_for_status()
    put_order(market, shop, f"{shop}-3", [("b3", "B", 1, "5.00")], modified_at=_ago(3))
    pulled = await tenant.container.get(ChannelIntake).pull(ctx, channel_id)
    assert (pulled.taken.placed, pulled.taken.rejected) == (2, 1)
    rows = await _orders(database, tenant)
    assert [r["platform_order_ids"] for r in rows] == [[f"{shop}-1"], [f"{shop}-3"]]
    conn = await asyncpg.connect(database.owner_url)
    try:
        noted = await conn.fetchval(
            "SELECT count(*) FROM audit_log WHERE tenant_id = $1"
            " AND action = 'order.channel_rejected'",
            tenant.id,
        )
    finally:
        await conn.close()
    assert noted == 1


async def _stock_figures(
    database: TestDatabase, tenant: TenantHandle
) -> dict[UUID, tuple[int, int]]:
    """Per SKU of the tenant: its reserved figure and the sum of its ledger rows' reserved."""
    conn = await asyncpg.connect(database.owner_url)
    try:
        rows = await conn.fetch(
            "SELECT l.sku_id, sum(l.reserved) AS reserved,"
            " (SELECT coalesce(sum(d_reserved), 0) FROM stock_ledger g"
            "  WHERE g.tenant_id = l.tenant_id AND g.sku_id = l.sku_id) AS ledger"
            " FROM stock_levels l WHERE l.tenant_id = $1 GROUP BY l.tenant_id, l.sku_id",
            tenant.id,
        )
    finally:
        await conn.close()
    return {r["sku_id"]: (int(r["reserved"]), int(r["ledger"])) for r in rows}


async def _by_platform_id(tenant: TenantHandle, database: TestDatabase) -> dict[str, Order]:
    ctx = caller(tenant)
    found = {}
    for row in await _orders(database, tenant):
        stored = await tenant.container.use_cases.query(ctx, GetOrder(row["id"]))
        found[row["platform_order_ids"][0]] = stored.order
    return found


async def test_a_page_short_of_stock_reserves_the_others_and_marks_the_short_ones_plt_9_inv_2(
    tenant: TenantHandle, database: TestDatabase, market: RunningMarketplace
) -> None:
    """PLT-9, ORD-9, INV-2: one page placed at once — each order all lines or none; the one
    that finds too little of a SKU is accepted abnormal ``out_of_stock`` and holds nothing
    (its other line's stock stays free), the others are reserved; every figure equals its
    ledger; the same page again creates and reserves nothing new."""
    ctx, run = caller(tenant), tenant.container.use_cases.run
    shop = f"short_{uuid4().hex[:12]}"
    channel_id = await _connected(tenant, market, shop)
    scarce, plenty = await stocked_sku(tenant, 5, "9.00"), await stocked_sku(tenant, 100, "3.00")
    await run(ctx, SetChannelSkuMapping(channel_id, "SCARCE", scarce))
    await run(ctx, SetChannelSkuMapping(channel_id, "PLENTY", plenty))
    pages = {
        "1": [("1a", "SCARCE", 3, "9.00"), ("1b", "PLENTY", 1, "3.00")],
        "2": [("2a", "SCARCE", 3, "9.00"), ("2b", "PLENTY", 1, "3.00")],  # 2 left: short
        "3": [("3a", "SCARCE", 2, "9.00")],
        "4": [("4a", "PLENTY", 2, "3.00")],
    }
    for i, lines in pages.items():
        put_order(market, shop, f"{shop}-{i}", lines, modified_at=_ago(10 - int(i)))
    intake = tenant.container.get(ChannelIntake)
    pulled = await intake.pull(ctx, channel_id)
    assert (pulled.taken.placed, pulled.pages) == (4, 1)
    orders = await _by_platform_id(tenant, database)
    short = orders[f"{shop}-2"]
    assert short.status is OrderStatus.ABNORMAL and not short.reservation_ids
    marks = {a.type: a for a in short.abnormalities}
    assert marks[AbnormalType.OUT_OF_STOCK].detail["sku"] == str(scarce)
    for i in ("1", "3", "4"):
        placed = orders[f"{shop}-{i}"]
        assert placed.status is OrderStatus.AWAITING_REVIEW, i
        assert len(placed.reservation_ids) == 1 and placed.reserved == placed.required_stock()
    figures = await _stock_figures(database, tenant)
    assert figures[scarce] == (5, 5) and figures[plenty] == (3, 3)
    # the same page again: nothing new placed, reserved or marked
    since = datetime.now(UTC) - timedelta(minutes=30)
    await run(ctx, ConfigureChannelConnector(channel_id, "simulated", market.url, since))
    again = await intake.pull(ctx, channel_id)
    assert (again.taken.placed, again.taken.repulled) == (0, 4)
    assert len(await _orders(database, tenant)) == 4
    assert await _stock_figures(database, tenant) == figures


async def test_two_pages_pulled_at_once_for_one_sku_never_oversell_plt_9_inv_2(
    tenant: TenantHandle, database: TestDatabase, market: RunningMarketplace
) -> None:
    """PLT-9, INV-2: two channels' pages pulled concurrently, each wanting 8 of a SKU that
    has 10: exactly 10 units reserved (5 orders of 2), the other 3 orders marked
    ``out_of_stock``; the figure equals its ledger."""
    ctx, run = caller(tenant), tenant.container.use_cases.run
    sku = await stocked_sku(tenant, 10, "4.00")
    channels = []
    for side in ("a", "b"):
        shop = f"race{side}_{uuid4().hex[:10]}"
        channel_id = await _connected(tenant, market, shop)
        await run(ctx, SetChannelSkuMapping(channel_id, "HOT", sku))
        for i in range(4):
            put_order(
                market, shop, f"{shop}-{i}", [(f"{i}", "HOT", 2, "4.00")], modified_at=_ago(5)
            )
        channels.append(channel_id)
    intake = tenant.container.get(ChannelIntake)
    results = await asyncio.gather(*(intake.pull(ctx, c) for c in channels))
    assert sum(r.taken.placed for r in results) == 8
    orders = list((await _by_platform_id(tenant, database)).values())
    reserved = [o for o in orders if o.reservation_ids]
    short = [o for o in orders if o.status is OrderStatus.ABNORMAL]
    assert (len(reserved), len(short)) == (5, 3)
    assert all(AbnormalType.OUT_OF_STOCK in {a.type for a in o.abnormalities} for o in short)
    assert (await _stock_figures(database, tenant))[sku] == (10, 10)


async def test_a_window_of_three_pages_asks_each_page_once_the_next_while_one_is_placed_plt_9(
    tenant: TenantHandle, database: TestDatabase, market: RunningMarketplace
) -> None:
    """PLT-9, ORD-9: 230 platform orders, three pages of 100: each page is asked for once
    (the next one while the current one is placed, ``read_ahead.py``), every order placed
    once; pulled again from the same point, nothing new and again one call a page."""
    ctx, run = caller(tenant), tenant.container.use_cases.run
    shop = f"burst_{uuid4().hex[:12]}"
    channel_id = await _connected(tenant, market, shop)
    sku = await stocked_sku(tenant, 1_000, "3.00")
    await run(ctx, SetChannelSkuMapping(channel_id, "B", sku))
    for i in range(230):
        put_order(market, shop, f"{shop}-{i:03d}", [(f"s{i}", "B", 1, "3.00")], modified_at=_ago(9))
    intake = tenant.container.get(ChannelIntake)

    def pulls() -> int:
        return int(market.control.get("/sim/calls").json().get("pull", 0))

    before = pulls()
    pulled = await intake.pull(ctx, channel_id)
    assert (pulled.pages, pulled.taken.placed, pulls() - before) == (3, 230, 3)
    rows = await _orders(database, tenant)
    assert len(rows) == 230 and len({tuple(r["platform_order_ids"]) for r in rows}) == 230
    await run(ctx, ConfigureChannelConnector(channel_id, "simulated", market.url, _since()))
    before = pulls()
    again = await intake.pull(ctx, channel_id)
    assert (again.pages, again.taken.placed, again.taken.repulled) == (3, 0, 230)
    assert pulls() - before == 3
    # stopped after one page: the second, asked ahead, is dropped and asked again next time
    await run(ctx, ConfigureChannelConnector(channel_id, "simulated", market.url, _since()))
    first = await intake.pull(ctx, channel_id, max_pages=1)
    rest = await intake.pull(ctx, channel_id)
    assert (first.pages, rest.pages, first.taken.repulled + rest.taken.repulled) == (1, 2, 230)
