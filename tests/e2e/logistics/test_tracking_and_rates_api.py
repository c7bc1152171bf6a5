"""Price tables, the recommendation, tracking and settings over HTTP (LOG-2, LOG-3): a
carrier's table set with If-Match and refused when bad; the recommendation for an order
with the rules' refusals; a shipment's waybill booked with the estimated postage, events
pushed by the carrier's callback (kept once, an unknown status refused) and read back as
its timeline; the tenant's stall hours."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import TenantHandle
from tests.e2e.fulfilment.support import BASE as FULFILMENT
from tests.e2e.fulfilment.support import approved_order, carrier, stocked
from tests.support.carrier import RunningCarrier, simulated_carrier

BASE = "/api/v1/logistics"


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningCarrier]:
    with simulated_carrier() as running:
        yield running


def _rate(regions: list[str], first: str, extra: str, heaviest: int = 30000) -> dict[str, object]:
    return {
        "regions": regions,
        "firstWeightGrams": 1000,
        "firstPrice": first,
        "additionalPerKg": extra,
        "maxWeightGrams": heaviest,
    }


async def _carrier_id(client: httpx.AsyncClient, owner: dict[str, str], code: str) -> str:
    listed = (await client.get(f"{BASE}/carriers", headers=owner)).json()["items"]
    return str(next(c["id"] for c in listed if c["code"] == code))


async def _price(
    client: httpx.AsyncClient, owner: dict[str, str], carrier_id: str, *rates: dict[str, object]
) -> httpx.Response:
    url = f"{BASE}/carriers/{carrier_id}/price-table"
    tag = (await client.get(url, headers=owner)).headers["etag"]
    return await client.put(url, json={"rates": list(rates)}, headers={**owner, "If-Match": tag})


async def test_log3_price_tables_and_the_recommendation_for_an_order(
    tenant: TenantHandle, client: httpx.AsyncClient, sim: RunningCarrier
) -> None:
    owner = await tenant.headers("owner")
    goods = await stocked(client, owner, 5, grams="1500")
    cheap = await _carrier_id(client, owner, await carrier(tenant, client, sim.url))
    dear = await _carrier_id(client, owner, await carrier(tenant, client, sim.url))
    far = await _carrier_id(client, owner, await carrier(tenant, client, sim.url))
    url = f"{BASE}/carriers/{cheap}/price-table"
    first = await client.get(url, headers=owner)
    assert first.json()["version"] == 0 and first.json()["rates"] == []
    bad = await client.put(
        url,
        json={"rates": [_rate(["浙江"], "5.00", "1.00"), _rate(["浙江省"], "6.00", "1.00")]},
        headers={**owner, "If-Match": first.headers["etag"], "Accept-Language": "zh-CN"},
    )
    assert bad.status_code == 422 and bad.json()["code"] == "region_priced_twice"
    assert "浙江" in bad.text
    assert (await _price(client, owner, cheap, _rate(["浙江省", "上海市"], "5.00", "1.00"))).json()[
        "regions"
    ] == ["浙江", "上海"]
    assert (await _price(client, owner, dear, _rate(["浙江"], "9.00", "2.00"))).status_code == 200
    assert (await _price(client, owner, far, _rate(["新疆"], "1.00", "1.00"))).status_code == 200

    order = await approved_order(client, owner, (goods.sku, 2))  # 3 kg to 浙江省
    shown = await client.get(f"{BASE}/orders/{order['id']}/recommendation", headers=owner)
    assert shown.status_code == 200, shown.text
    found = shown.json()
    assert (found["region"], found["weightGrams"], found["cashOnDelivery"]) == ("浙江", 3000, False)
    assert found["recommended"]["carrierId"] == cheap and found["recommended"]["postage"] == "7.00"
    refusals = {o["carrierId"]: (o["postage"], o["refusal"]) for o in found["options"]}
    assert refusals[dear] == ("13.00", None) and refusals[far] == (None, "region_not_served")
    heavy = await client.get(
        f"{BASE}/orders/{order['id']}/recommendation", params={"grams": 31000}, headers=owner
    )
    assert heavy.json()["recommended"] is None


async def test_log2_a_waybill_s_timeline_from_pushed_events(
    tenant: TenantHandle, client: httpx.AsyncClient, sim: RunningCarrier
) -> None:
    owner = await tenant.headers("owner")
    goods = await stocked(client, owner, 5)
    code = await carrier(tenant, client, sim.url)
    carrier_id = await _carrier_id(client, owner, code)
    await _price(client, owner, carrier_id, _rate(["浙江"], "6.00", "1.50"))
    await approved_order(client, owner, (goods.sku, 1))
    plan = {"carrier": code, "warehouseId": goods.warehouse}
    (wave,) = (await client.post(f"{FULFILMENT}/waves/plan", json=plan, headers=owner)).json()
    await client.post(
        f"{FULFILMENT}/waves/{wave['id']}/picks", json={"code": goods.barcode}, headers=owner
    )
    (parcel,) = (
        await client.get(f"{FULFILMENT}/waves/{wave['id']}/shipments", headers=owner)
    ).json()
    tracking = f"{BASE}/shipments/{parcel['id']}/tracking"
    before = (await client.get(tracking, headers=owner)).json()
    assert before["trackingNo"] is None and before["events"] == []
    shipment = f"{FULFILMENT}/shipments/{parcel['id']}"
    await client.post(f"{shipment}/verify", json={"code": goods.barcode}, headers=owner)
    weighed = await client.post(f"{shipment}/weigh", json={"grams": 260}, headers=owner)
    booked = await client.post(
        f"{shipment}/waybill", headers={**owner, "If-Match": weighed.headers["etag"]}
    )
    assert booked.status_code == 200, booked.text
    assert booked.json()["costEstimate"] == "6.00"
    number = booked.json()["trackingNo"]

    events = f"{BASE}/carriers/{carrier_id}/tracking-events"
    pushed = {
        "events": [
            {"trackingNo": number, "status": "picked_up", "occurredAt": "2026-12-07T09:00:00Z"},
            {
                "trackingNo": number,
                "status": "in_transit",
                "occurredAt": "2026-12-07T15:00:00Z",
                "location": "杭州转运中心",
            },
            {
                "trackingNo": "NOT-OURS-1",
                "status": "in_transit",
                "occurredAt": "2026-12-07T15:00:00Z",
            },
        ]
    }
    taken = await client.post(events, json=pushed, headers=owner)
    assert taken.status_code == 200 and taken.json() == {"accepted": 2}
    again = await client.post(events, json=pushed, headers=owner)
    assert again.json() == {"accepted": 0}
    odd = {
        "events": [
            {"trackingNo": number, "status": "teleported", "occurredAt": "2026-12-07T16:00:00Z"}
        ]
    }
    refused = await client.post(events, json=odd, headers=owner)
    assert refused.status_code == 422 and refused.json()["code"] == "unknown_tracking_status"
    timeline = (await client.get(tracking, headers=owner)).json()
    assert timeline["trackingNo"] == number and timeline["lastStatus"] == "in_transit"
    assert timeline["costEstimate"] == "6.00" and timeline["anomalies"] == []
    assert [(e["status"], e["location"]) for e in timeline["events"]] == [
        ("picked_up", ""),
        ("in_transit", "杭州转运中心"),
    ]


async def test_log2_the_stall_hours_are_the_tenant_s(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    url = f"{BASE}/settings"
    first = await client.get(url, headers=owner)
    assert first.json() == {"stallHours": 48, "billTolerancePercent": "5", "version": 0}
    body = {"stallHours": 24, "billTolerancePercent": "3.5"}
    put = await client.put(url, json=body, headers={**owner, "If-Match": '"v0"'})
    assert put.status_code == 200 and put.json()["stallHours"] == 24
    zero = {"stallHours": 0, "billTolerancePercent": "3.5"}
    wrong = await client.put(url, json=zero, headers={**owner, "If-Match": put.headers["etag"]})
    assert wrong.status_code == 422
    same = await client.put(url, json=body, headers={**owner, "If-Match": put.headers["etag"]})
    assert same.status_code == 200 and same.headers["etag"] == put.headers["etag"]  # unchanged
