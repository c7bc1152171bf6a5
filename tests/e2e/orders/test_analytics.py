"""Order analytics over HTTP on the real database (ORD-10): after placements in two
provinces and two channels, payments, a refund and a cancellation, every figure the
rollups answer equals the same figure computed from the orders themselves; and the
rollups computed again from the orders table (the backfill) are the same cells."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from application.orders.queue.analytics import RebuildOrderAnalytics
from entrypoints.worker.tasks import worker_context
from tests.conftest import TenantHandle
from tests.e2e.orders.support import BASE, RECEIVER, channel, order_body, stocked_sku

ZONE = ZoneInfo("Asia/Shanghai")  # the test tenant's time zone


def _expected(orders: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures computed from the orders: counted unless cancelled."""

    def empty() -> dict[str, Any]:
        return {"orders": 0, "amount": Decimal(0), "paidOrders": 0, "paidAmount": Decimal(0)}

    totals = empty()
    by: dict[str, dict[Any, dict[str, Any]]] = defaultdict(lambda: defaultdict(empty))
    for o in orders:
        if o["status"] == "cancelled":
            continue
        local = datetime.fromisoformat(o["placedAt"]).astimezone(ZONE)
        keys = {
            "byDay": local.date().isoformat(),
            "byHour": local.hour,
            "byChannel": o["channelId"],
            "byProvince": o["receiver"]["address"]["province"],
        }
        for cell in (totals, *(by[d][k] for d, k in keys.items())):
            cell["orders"] += 1
            cell["amount"] += Decimal(o["total"])
            if o["paidAt"] is not None:
                cell["paidOrders"] += 1
                cell["paidAmount"] += Decimal(o["paidAmount"])
    return {"totals": totals, **{d: dict(cells) for d, cells in by.items()}}


def _answered(body: dict[str, Any]) -> dict[str, Any]:
    def figures(item: dict[str, Any]) -> dict[str, Any]:
        return {
            "orders": item["orders"],
            "amount": Decimal(item["amount"]),
            "paidOrders": item["paidOrders"],
            "paidAmount": Decimal(item["paidAmount"]),
        }

    keys = {"byDay": "day", "byHour": "hour", "byChannel": "channelId", "byProvince": "province"}
    found: dict[str, Any] = {"totals": figures(body["totals"])}
    for dimension, key in keys.items():
        found[dimension] = {item[key]: figures(item) for item in body[dimension]}
    return found


async def test_ord10_analytics_equal_the_figures_of_the_orders(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    sku = await stocked_sku(client, owner, 50, "10.00")
    shop = await channel(client, owner, "jd")
    beijing = {**RECEIVER, "address": {**RECEIVER["address"], "province": "北京市"}}
    ids = []
    for units, receiver in ((1, RECEIVER), (2, RECEIVER), (4, beijing), (3, beijing)):
        body = order_body((sku, units), receiver=receiver)
        ids.append((await client.post(BASE, json=body, headers=owner)).json()["id"])
    marketplace = {
        "lines": [{"skuId": sku, "quantity": 5, "unitPrice": "12.50"}],
        "receiver": beijing,
        "source": "marketplace",
        "channelId": shop,
        "platformOrderIds": ["JD-1"],
        "payments": [{"method": "platform", "amount": "62.50", "transactionId": "JD-PAY-1"}],
    }
    ids.append((await client.post(BASE, json=marketplace, headers=owner)).json()["id"])
    for order_id, amount in ((ids[1], "20.00"), (ids[2], "40.00"), (ids[3], "30.00")):
        paid = await client.post(
            f"{BASE}/{order_id}/payments", json={"method": "cash", "amount": amount}, headers=owner
        )
        assert paid.status_code == 201, paid.text
    payment = paid.json()["payments"][0]["id"]
    refund = {"paymentId": payment, "amount": "5.00", "reason": "少发一件"}
    refunded = await client.post(f"{BASE}/{ids[3]}/refunds", json=refund, headers=owner)
    assert refunded.status_code == 201, refunded.text
    order = await client.get(f"{BASE}/{ids[2]}", headers=owner)
    cancelled = await client.post(
        f"{BASE}/{ids[2]}/cancel",
        json={"reason": "买家取消"},
        headers={**owner, "If-Match": order.headers["etag"]},
    )
    assert cancelled.status_code == 200, cancelled.text

    orders = [(await client.get(f"{BASE}/{i}", headers=owner)).json() for i in ids]
    expected = _expected(orders)
    today = datetime.now(ZONE).date().isoformat()
    params = {"from": today, "to": today}
    response = await client.get(f"{BASE}/analytics", params=params, headers=owner)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["timeZone"] == "Asia/Shanghai"
    assert _answered(body) == expected
    assert expected["totals"]["orders"] == 4 and expected["totals"]["paidOrders"] == 3
    assert body["totals"]["averageOrderValue"] == str(
        (expected["totals"]["amount"] / 4).quantize(Decimal("0.01"), ROUND_HALF_UP)
    )
    assert _answered(body)["byChannel"][shop]["orders"] == 1
    # the channel by its code and name beside its id; the company's own orders have none
    names = {c["channelId"]: (c["channelCode"], c["channelName"]) for c in body["byChannel"]}
    assert names == {shop: ("jd", "渠道 jd"), None: (None, None)}
    # the rollups computed again from the orders table are the same figures
    ctx = worker_context(tenant.id, "orders.analytics_rebuild")
    await tenant.container.use_cases.run(ctx, RebuildOrderAnalytics())
    again = await client.get(f"{BASE}/analytics", params=params, headers=owner)
    assert _answered(again.json()) == expected
    reader = await tenant.headers("warehouse")  # orders:read is enough
    read = await client.get(f"{BASE}/analytics", params=params, headers=reader)
    assert read.status_code == 200
    backwards = {"from": today, "to": "2020-01-01"}
    refused = await client.get(f"{BASE}/analytics", params=backwards, headers=owner)
    assert refused.status_code == 422
