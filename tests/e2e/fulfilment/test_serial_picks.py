"""Serials at the pick (LOG-1 × INV-8), over HTTP: a serial-managed SKU's pick scan names
one serial a unit, each in stock in the wave's warehouse and once in the wave, refused
with nothing changed otherwise; verify takes only the serials picked; the shipment issues
them."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import TenantHandle
from tests.e2e.fulfilment.support import BASE, approved_order, carrier, stocked
from tests.support.carrier import RunningCarrier, simulated_carrier


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningCarrier]:
    with simulated_carrier() as running:
        yield running


async def test_log1_a_serial_managed_pick_takes_its_serials_and_verify_only_those(
    tenant: TenantHandle, client: httpx.AsyncClient, sim: RunningCarrier
) -> None:
    owner = await tenant.headers("owner")
    en = {**owner, "Accept-Language": "en"}
    goods = await stocked(client, owner, 3, serials=["SN-1", "SN-2", "SN-3"])
    code = await carrier(tenant, client, sim.url)
    await approved_order(client, owner, (goods.sku, 2))
    plan = {"carrier": code, "warehouseId": goods.warehouse}
    (wave,) = (await client.post(f"{BASE}/waves/plan", json=plan, headers=owner)).json()
    assert wave["lines"][0]["serialManaged"] is True
    picks = f"{BASE}/waves/{wave['id']}/picks"

    async def pick(serials: list[str]) -> httpx.Response:
        body = {"code": goods.barcode, "quantity": 2, "serials": serials}
        return await client.post(picks, json=body, headers=en)

    refused = {
        "scan_serial_needed": await pick(["SN-1"]),
        "scan_serial_repeated": await pick(["SN-1", "SN-1"]),
        "scan_serial_not_in_stock": await pick(["SN-1", "SN-9"]),
    }
    for code_, answer in refused.items():
        assert answer.status_code == 409 and answer.json()["code"] == code_, answer.text
    assert "SN-9" in refused["scan_serial_not_in_stock"].json()["title"]
    shown = (await client.get(f"{BASE}/waves/{wave['id']}", headers=owner)).json()
    assert shown["lines"][0]["picked"] == 0 and shown["lines"][0]["serials"] == []

    picked = await pick(["SN-2", "SN-1"])
    assert picked.status_code == 200, picked.text
    assert picked.json()["lines"][0]["serials"] == ["SN-2", "SN-1"]

    (shipment,) = (await client.get(f"{BASE}/waves/{wave['id']}/shipments", headers=owner)).json()
    url = f"{BASE}/shipments/{shipment['id']}"
    other = await client.post(
        f"{url}/verify", json={"code": goods.barcode, "serial": "SN-3"}, headers=en
    )
    assert other.status_code == 409 and other.json()["code"] == "scan_serial_not_picked"
    assert "SN-3" in other.json()["title"]
    for serial in ("SN-1", "SN-2"):
        body = {"code": goods.barcode, "serial": serial}
        scanned = await client.post(f"{url}/verify", json=body, headers=owner)
        assert scanned.status_code == 200, scanned.text
    weighed = await client.post(f"{url}/weigh", json={"grams": 500}, headers=owner)
    booked = await client.post(
        f"{url}/waybill", headers={**owner, "If-Match": weighed.headers["etag"]}
    )
    shipped = await client.post(
        f"{url}/ship", headers={**owner, "If-Match": booked.headers["etag"]}
    )
    assert shipped.status_code == 200, shipped.text
    serials = f"/api/v1/inventory/skus/{goods.sku}/serials"
    states = {
        s: (await client.get(f"{serials}/{s}", headers=owner)).json()["inStock"]
        for s in ("SN-1", "SN-2", "SN-3")
    }
    assert states == {"SN-1": False, "SN-2": False, "SN-3": True}


async def test_log1_a_serial_goes_into_one_parcel_of_its_wave_only(
    tenant: TenantHandle, client: httpx.AsyncClient, sim: RunningCarrier
) -> None:
    owner = await tenant.headers("owner")
    goods = await stocked(client, owner, 2, serials=["SN-A", "SN-B"])
    code = await carrier(tenant, client, sim.url)
    await approved_order(client, owner, (goods.sku, 1))
    await approved_order(client, owner, (goods.sku, 1))
    plan = {"carrier": code, "warehouseId": goods.warehouse}
    (wave,) = (await client.post(f"{BASE}/waves/plan", json=plan, headers=owner)).json()
    body = {"code": goods.barcode, "quantity": 2, "serials": ["SN-A", "SN-B"]}
    picked = await client.post(f"{BASE}/waves/{wave['id']}/picks", json=body, headers=owner)
    assert picked.status_code == 200, picked.text
    first, second = (await client.get(f"{BASE}/waves/{wave['id']}/shipments", headers=owner)).json()

    async def verify(shipment: dict[str, str], serial: str) -> httpx.Response:
        scan = {"code": goods.barcode, "serial": serial}
        return await client.post(
            f"{BASE}/shipments/{shipment['id']}/verify", json=scan, headers=owner
        )

    assert (await verify(first, "SN-A")).status_code == 200
    twice = await verify(second, "SN-A")  # already in the first parcel
    assert twice.status_code == 409 and twice.json()["code"] == "scan_serial_repeated", twice.text
    assert (await verify(second, "SN-B")).status_code == 200
