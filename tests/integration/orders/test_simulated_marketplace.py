"""The simulated marketplace and its connector (ORD-9, CHN-2): order pages by modified-time
window with a page token, refunds, stock pushes, shipments, 429 with Retry-After and 5xx
retried with backoff, giving up as ``ChannelUnavailable``, a 4xx as ``ChannelRefused``."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from adapters.channels.simulated.connector import SimulatedMarketplaceConnector
from application.orders.channels.ports import (
    ChannelRef,
    ChannelRefused,
    ChannelUnavailable,
    RefundStatus,
)
from tests.support.marketplace import RunningMarketplace, put_order, simulated_marketplace

SHOP = ChannelRef(channel_id=uuid4(), code="tmall-main", platform="tmall")
T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def market() -> Iterator[RunningMarketplace]:
    with simulated_marketplace() as running:
        yield running


def _at(minutes: int) -> str:
    return (T0 + timedelta(minutes=minutes)).isoformat()


def test_orders_come_in_pages_of_their_modified_window_ord_9(market: RunningMarketplace) -> None:
    for i in range(120):
        put_order(
            market,
            SHOP.code,
            f"P{i:04d}",
            [(f"P{i:04d}-1", "CODE-A", 1, "19.90")],
            modified_at=_at(i),
        )
    connector = SimulatedMarketplaceConnector(market.url, page_size=50)

    async def pull_all(since: datetime, until: datetime) -> list[str]:
        ids: list[str] = []
        token: str | None = None
        pages = 0
        while True:
            page = await connector.pull_orders(SHOP, since, until, token)
            pages += 1
            ids.extend(o.platform_order_id for o in page.orders)
            token = page.next_page_token
            if token is None:
                return ids if pages > 1 or len(ids) <= 50 else []

    ids = asyncio.run(pull_all(T0 + timedelta(minutes=10), T0 + timedelta(minutes=110)))
    assert ids == [f"P{i:04d}" for i in range(10, 110)]  # half-open, oldest first, 2 pages
    first = asyncio.run(connector.pull_orders(SHOP, T0, T0 + timedelta(minutes=1)))
    order = first.orders[0]
    assert order.sub_orders[0].unit_price == Decimal("19.90")
    assert order.paid_amount == Decimal("19.90")
    assert order.modified_at == T0
    assert order.receiver.district == "朝阳区"


def test_a_page_token_of_another_window_is_refused_ord_9(market: RunningMarketplace) -> None:
    put_order(market, "other-shop", "Q1", [("Q1-1", "C", 1, "1.00")], modified_at=_at(0))
    connector = SimulatedMarketplaceConnector(market.url)
    ref = ChannelRef(uuid4(), "other-shop", "tmall")
    answer = market.control.get(
        "/shops/other-shop/orders",
        params={"modifiedSince": _at(0), "modifiedUntil": _at(5), "pageSize": 1},
    )
    token = answer.json()["nextPageToken"]
    assert token is None
    put_order(market, "other-shop", "Q2", [("Q2-1", "C", 1, "1.00")], modified_at=_at(1))
    token = market.control.get(
        "/shops/other-shop/orders",
        params={"modifiedSince": _at(0), "modifiedUntil": _at(5), "pageSize": 1},
    ).json()["nextPageToken"]
    assert token
    with pytest.raises(ChannelRefused) as refused:
        asyncio.run(connector.pull_orders(ref, T0, T0 + timedelta(minutes=9), token))
    assert 400 <= refused.value.status < 500


def test_a_refund_changes_the_order_and_its_modified_time_chn_2(market: RunningMarketplace) -> None:
    put_order(market, "refunds", "R1", [("R1-1", "C", 1, "5.00")], modified_at=_at(0))
    market.control.post(
        "/sim/shops/refunds/orders/R1/refund",
        json={"refundStatus": "requested", "modifiedAt": _at(30)},
    ).raise_for_status()
    connector = SimulatedMarketplaceConnector(market.url)
    ref = ChannelRef(uuid4(), "refunds", "tmall")
    early = asyncio.run(connector.pull_orders(ref, T0, T0 + timedelta(minutes=10)))
    assert early.orders == ()
    late = asyncio.run(connector.pull_orders(ref, T0, T0 + timedelta(minutes=31)))
    assert late.orders[0].refund_status is RefundStatus.REQUESTED


def test_stock_pushes_and_shipments_are_recorded_chn_2(market: RunningMarketplace) -> None:
    put_order(market, "ship", "S1", [("S1-1", "C", 1, "5.00"), ("S1-2", "D", 1, "6.00")])
    connector = SimulatedMarketplaceConnector(market.url)
    ref = ChannelRef(uuid4(), "ship", "jd")
    asyncio.run(connector.push_availability(ref, [("C", 7), ("D", 0)]))
    asyncio.run(connector.report_shipment(ref, "S1", ["S1-1", "S1-2"], "SF", "SF1234567890"))
    assert market.control.get("/sim/shops/ship/stock").json()["pushes"] == [
        {"skuCode": "C", "quantity": 7},
        {"skuCode": "D", "quantity": 0},
    ]
    shipped = market.control.get("/sim/shops/ship/shipments").json()["shipments"]
    assert shipped == [
        {
            "platformOrderId": "S1",
            "subOrderIds": ["S1-1", "S1-2"],
            "carrier": "SF",
            "trackingNo": "SF1234567890",
        }
    ]
    with pytest.raises(ChannelRefused) as refused:  # a 4xx: the port's error, not httpx's
        asyncio.run(connector.report_shipment(ref, "nope", ["x"], "SF", "1"))
    assert refused.value.status == 404


def test_a_429_waits_its_retry_after_and_a_5xx_backs_off_ord_9(market: RunningMarketplace) -> None:
    market.control.post("/sim/faults", json={"next": [429, 503, 500]}).raise_for_status()
    before = market.control.get("/sim/calls").json().get("stock", 0)
    connector = SimulatedMarketplaceConnector(market.url, backoff=0.01)
    started = time.monotonic()
    asyncio.run(connector.push_availability(ChannelRef(uuid4(), "retry", "jd"), [("C", 3)]))
    assert time.monotonic() - started >= 1.0  # Retry-After: 1 honoured
    assert connector.retries == 3
    assert market.control.get("/sim/calls").json()["stock"] - before == 4
    assert market.control.get("/sim/shops/retry/stock").json()["pushes"] == [
        {"skuCode": "C", "quantity": 3}
    ]


def test_retries_used_up_raise_channel_unavailable_ord_9(market: RunningMarketplace) -> None:
    market.control.post("/sim/faults", json={"next": [503, 503, 503]}).raise_for_status()
    connector = SimulatedMarketplaceConnector(market.url, attempts=3, backoff=0.01)
    with pytest.raises(ChannelUnavailable) as raised:
        asyncio.run(connector.push_availability(ChannelRef(uuid4(), "down", "jd"), [("C", 1)]))
    assert raised.value.status == 503
    assert market.control.get("/sim/shops/down/stock").json()["pushes"] == []


def test_the_rate_limit_answers_429_with_retry_after_ord_9() -> None:
    from adapters.channels.simulated.server import SimConfig

    with simulated_marketplace(SimConfig(rate_limit=2, retry_after=1)) as market:
        params = {"modifiedSince": _at(0), "modifiedUntil": _at(1)}
        answers = [market.control.get("/shops/x/orders", params=params) for _ in range(3)]
        assert [a.status_code for a in answers] == [200, 200, 429]
        assert answers[2].headers["Retry-After"] == "1"
        connector = SimulatedMarketplaceConnector(market.url)
        page = asyncio.run(
            connector.pull_orders(ChannelRef(uuid4(), "x", "t"), T0, T0 + timedelta(minutes=1))
        )
        assert page.orders == ()


def test_many_orders_put_at_once_are_pulled_like_single_ones_ord_9(
    market: RunningMarketplace,
) -> None:
    """The control API's bulk put (a burst for a benchmark): each order kept as one put alone
    would keep it, defaults filled in; a body that is not a list of orders with ids is a 400
    and puts nothing."""
    shop = ChannelRef(channel_id=uuid4(), code="bulk", platform="tmall")
    bodies = [
        {
            "platformOrderId": f"B{i}",
            "subOrders": [
                {
                    "subOrderId": f"B{i}-1",
                    "channelSkuCode": "C",
                    "quantity": 1,
                    "unitPrice": "5.00",
                    "title": "C",
                }
            ],
            "receiver": {
                "name": "李四",
                "phone": "13900139000",
                "province": "上海市",
                "city": "上海市",
                "district": "徐汇区",
                "address": "漕溪路 1 号",
            },
            "paidAmount": "5.00",
            "modifiedAt": _at(i),
        }
        for i in range(3)
    ]
    refused = market.control.put("/sim/shops/bulk/orders", json={"orders": [{"x": 1}]})
    assert refused.status_code == 400
    answer = market.control.put("/sim/shops/bulk/orders", json={"orders": bodies})
    assert answer.status_code == 200 and answer.json() == {"put": 3}
    connector = SimulatedMarketplaceConnector(market.url, page_size=50)
    page = asyncio.run(connector.pull_orders(shop, T0, T0 + timedelta(hours=1), None))
    assert [o.platform_order_id for o in page.orders] == ["B0", "B1", "B2"]
    assert page.orders[1].refund_status == RefundStatus.NONE
    assert page.orders[2].paid_amount == Decimal("5.00")
