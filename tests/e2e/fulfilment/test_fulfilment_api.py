"""From an approved order to a shipped one over HTTP (LOG-1), against the simulated
carrier: a wave planned with the order's stock pick-locked, picks and verify scans that
refuse a wrong item and an extra unit, a weight outside the tolerance flagged, a waybill
booked, the packing slip's Chinese read back from the PDF, the shipment shipped with its
stock issued exactly once, and interception before and after dispatch."""

from __future__ import annotations

import io
from collections.abc import Iterator

import httpx
import pytest
from pdfminer.high_level import extract_text

from tests.conftest import TenantHandle
from tests.e2e.fulfilment.support import BASE, approved_order, carrier, figures, stocked
from tests.support.carrier import RunningCarrier, simulated_carrier


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningCarrier]:
    with simulated_carrier() as running:
        yield running


async def _planned(
    tenant: TenantHandle, client: httpx.AsyncClient, sim: RunningCarrier, units: int = 2
) -> tuple[dict[str, str], str, dict[str, object], dict[str, object]]:
    """An approved order of ``units`` planned into a wave: (owner, barcode, wave, order)."""
    owner = await tenant.headers("owner")
    goods = await stocked(client, owner, 10)
    code = await carrier(tenant, client, sim.url)
    order = await approved_order(client, owner, (goods.sku, units))
    plan = {"carrier": code, "warehouseId": goods.warehouse}
    planned = await client.post(f"{BASE}/waves/plan", json=plan, headers=owner)
    assert planned.status_code == 200, planned.text
    (wave,) = planned.json()
    return owner, goods.barcode, wave, order


async def test_log1_wave_pick_verify_weigh_ship_against_the_simulated_carrier(
    tenant: TenantHandle, client: httpx.AsyncClient, sim: RunningCarrier
) -> None:
    owner, barcode, wave, order = await _planned(tenant, client, sim)
    sku = wave["lines"][0]["skuId"]
    assert wave["lines"][0]["binCode"] == "A-01-03" and wave["lines"][0]["quantity"] == 2
    assert wave["zone"] == "A"  # the zone of its SKU's bin
    assert await figures(client, owner, sku) == {
        **await figures(client, owner, sku),
        "onHand": 10,
        "reserved": 0,
        "pickLocked": 2,
    }
    shown = (await client.get(f"/api/v1/orders/{order['id']}", headers=owner)).json()
    assert shown["status"] == "picking"

    picks = f"{BASE}/waves/{wave['id']}/picks"
    zh = {**owner, "Accept-Language": "zh-CN"}
    wrong = await client.post(picks, json={"code": "6900000000005"}, headers=zh)
    assert wrong.status_code == 409 and wrong.json()["code"] == "scan_wrong_item"
    assert "错货" in wrong.json()["title"]
    extra = await client.post(picks, json={"code": barcode, "quantity": 3}, headers=owner)
    assert extra.status_code == 409 and extra.json()["code"] == "scan_extra_unit"
    picked = await client.post(picks, json={"code": barcode, "quantity": 2}, headers=owner)
    assert picked.status_code == 200 and picked.json()["status"] == "picked"

    (shipment,) = (await client.get(f"{BASE}/waves/{wave['id']}/shipments", headers=owner)).json()
    url = f"{BASE}/shipments/{shipment['id']}"
    # the steps the parcel allows next, as the console offers them (in the steps' order)
    assert shipment["nextSteps"] == ["verify", "shorten", "intercept"]
    en = {**owner, "Accept-Language": "en"}
    assert (await client.post(f"{url}/verify", json={"code": "X-1"}, headers=en)).json()[
        "code"
    ] == "scan_wrong_item"
    for _ in range(2):
        scanned = await client.post(f"{url}/verify", json={"code": barcode}, headers=owner)
        assert scanned.status_code == 200, scanned.text
    assert scanned.json()["status"] == "verified"
    assert scanned.json()["nextSteps"] == ["verify", "shorten", "weigh", "intercept"]
    extra = await client.post(f"{url}/verify", json={"code": barcode}, headers=en)
    assert extra.status_code == 409 and extra.json()["code"] == "scan_extra_unit"
    assert (await client.get(url, headers=owner)).json()["lines"][0]["verified"] == 2

    heavy = await client.post(f"{url}/weigh", json={"grams": 800}, headers=owner)
    assert heavy.json()["weightFlagged"] is True and heavy.json()["expectedGrams"] == 500
    assert heavy.json()["weightDeviationPercent"] == "60.0"
    weighed = await client.post(f"{url}/weigh", json={"grams": 510}, headers=owner)
    assert weighed.json()["weightFlagged"] is False and weighed.json()["status"] == "weighed"
    assert weighed.json()["nextSteps"] == ["weigh", "book", "intercept"]

    booked = await client.post(
        f"{url}/waybill", headers={**owner, "If-Match": weighed.headers["etag"]}
    )
    assert booked.status_code == 200, booked.text
    tracking = booked.json()["trackingNo"]
    assert booked.json()["nextSteps"] == ["ship", "intercept"]
    assert tracking and booked.json()["sortingCode"] and "浙江省杭州市" in booked.json()["route"]

    pdf = await client.get(f"{url}/documents", headers=owner)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = extract_text(io.BytesIO(pdf.content))
    assert "装箱单" in text and "张三" in text and tracking in text and "大头笔" in text

    shipped = await client.post(
        f"{url}/ship", headers={**owner, "If-Match": booked.headers["etag"]}
    )
    assert shipped.status_code == 200, shipped.text
    assert shipped.json()["status"] == "shipped" and shipped.json()["shippedAt"]
    assert shipped.json()["nextSteps"] == ["intercept"]  # no channel to report to
    again = await client.post(f"{url}/ship", headers={**owner, "If-Match": "*"})
    assert again.status_code == 409 and again.json()["code"] == "shipment_not_in_state"
    assert shipped.json()["channelReported"] is None and shipped.json()["nextReportAt"] is None
    report = await client.post(f"{url}/report", headers={**owner, "If-Match": "*"})
    assert report.status_code == 409 and report.json()["code"] == "shipment_report_not_due"
    stock = await figures(client, owner, sku)
    assert (stock["onHand"], stock["pickLocked"], stock["available"]) == (8, 0, 8)
    ledger = await client.get("/api/v1/inventory/ledger", params={"skuId": sku}, headers=owner)
    issues = [e for e in ledger.json()["items"] if e["kind"] == "issue"]
    assert len(issues) == 1 and issues[0]["changes"]["onHand"] == -2
    shown = (await client.get(f"/api/v1/orders/{order['id']}", headers=owner)).json()
    assert shown["status"] == "shipped"
    waybills = sim.control.get(f"/sim/carriers/{booked.json()['carrierCode']}/waybills").json()
    assert [w["trackingNo"] for w in waybills["waybills"]] == [tracking]


async def test_log1_interception_before_dispatch_gives_back_the_pick_lock(
    tenant: TenantHandle, client: httpx.AsyncClient, sim: RunningCarrier
) -> None:
    owner, _, wave, order = await _planned(tenant, client, sim, units=3)
    sku = wave["lines"][0]["skuId"]
    (shipment,) = (await client.get(f"{BASE}/waves/{wave['id']}/shipments", headers=owner)).json()
    url = f"{BASE}/shipments/{shipment['id']}"
    stopped = await client.post(
        f"{url}/intercept", json={"reason": "买家申请退款"}, headers={**owner, "If-Match": "*"}
    )
    assert stopped.status_code == 200, stopped.text
    assert stopped.json()["status"] == "intercepted" and stopped.json()["nextSteps"] == []
    stock = await figures(client, owner, sku)
    assert (stock["onHand"], stock["pickLocked"], stock["available"]) == (10, 0, 10)
    shown = (await client.get(f"/api/v1/orders/{order['id']}", headers=owner)).json()
    assert shown["status"] == "cancelled"
    left = (await client.get(f"{BASE}/waves/{wave['id']}", headers=owner)).json()
    assert left["lines"] == []
