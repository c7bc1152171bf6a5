"""LOG-1 in the console (PLT-8): waves planned and listed, a pick list in bin order picked
by scanning into its scan field (htmx: the line's count changes, a wrong barcode answers
the problem's message), a parcel verified by scan, weighed (a deviation flagged), booked
with the simulated carrier, its packing slip downloaded, shipped; a role without
fulfilment:read sees the forbidden page (and without fulfilment:pick may not scan)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import httpx
import pytest
from pdfminer.high_level import extract_text

from tests.conftest import TenantHandle
from tests.e2e.console.fulfilment_support import (
    approved,
    htmx_post,
    in_english,
    planned,
    shipment_of,
    version_on,
)
from tests.e2e.console.support import ConsoleClient
from tests.e2e.fulfilment.support import approved_order, carrier, stocked
from tests.support.carrier import RunningCarrier, simulated_carrier

WAVES = "/console/fulfilment"


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningCarrier]:
    with simulated_carrier() as running:
        yield running


async def test_plan_a_wave_and_see_its_orders(
    tenant: TenantHandle, client: httpx.AsyncClient, console: ConsoleClient, sim: RunningCarrier
) -> None:
    goods = await approved(tenant, client, sim.url)
    await console.sign_in_as(tenant, "warehouse")
    await in_english(console)
    shown = await console.get(WAVES)
    assert shown.status_code == 200
    assert f'value="{goods.carrier}"' in shown.text and f'value="{goods.warehouse}"' in shown.text
    form = {"carrier": goods.carrier, "warehouse": goods.warehouse, "limit": "50"}
    answer = await console.post_form(WAVES, f"{WAVES}/waves/plan", form)
    assert answer.status_code == 303
    wave_page = answer.headers["location"]
    assert wave_page.startswith(f"{WAVES}/waves/")
    wave = await console.get(wave_page)
    assert "1 wave(s) planned." in wave.text
    assert goods.order_number in wave.text and "A-01-03" in wave.text
    assert "data-scan" in wave.text and "0</span> / 2" in wave.text
    listed = await console.get(WAVES)
    assert wave_page in listed.text and goods.carrier in listed.text
    # Nothing left to plan: the use case's own message, nothing planned.
    again = await console.post_form(WAVES, f"{WAVES}/waves/plan", form)
    assert again.status_code == 303
    assert "0 wave(s) planned." in (await console.get(again.headers["location"])).text


async def test_a_wave_across_zones_shows_one_pick_list_per_zone(
    tenant: TenantHandle, client: httpx.AsyncClient, console: ConsoleClient, sim: RunningCarrier
) -> None:
    owner = await tenant.headers("owner")
    first = await stocked(client, owner, 5, bin_code="B-02-01", zone="B")
    second = await stocked(client, owner, 5, warehouse=first.warehouse, bin_code="A-09-09")
    code = await carrier(tenant, client, sim.url)
    await approved_order(client, owner, (first.sku, 1), (second.sku, 2))
    plan = {"carrier": code, "warehouseId": first.warehouse}
    wave = (await client.post("/api/v1/fulfilment/waves/plan", json=plan, headers=owner)).json()
    assert [(w["zone"], w["zones"]) for w in wave] == [(None, ["A", "B"])]
    await console.sign_in_as(tenant, "warehouse")
    await in_english(console)
    shown = (await console.get(f"{WAVES}/waves/{wave[0]['id']}")).text
    assert "<dt>Zones</dt><dd>A · B</dd>" in shown
    zone_a, zone_b = shown.index(">Zone A</h3>"), shown.index(">Zone B</h3>")
    bin_a, bin_b = shown.index(">A-09-09<"), shown.index(">B-02-01<")
    assert zone_a < bin_a < zone_b < bin_b  # each line under its zone's heading, A first
    assert 'aria-label="Zone A"' in shown and 'aria-label="Zone B"' in shown
    assert "0</span> / 2" in shown[zone_a:zone_b] and "0</span> / 1" in shown[zone_b:]


async def test_pick_by_scan_and_a_wrong_barcode_refused(
    tenant: TenantHandle, client: httpx.AsyncClient, console: ConsoleClient, sim: RunningCarrier
) -> None:
    goods = await planned(tenant, client, sim.url)
    await console.sign_in_as(tenant, "warehouse")
    await in_english(console)
    page = f"{WAVES}/waves/{goods.wave}"
    wrong = await htmx_post(console, page, f"{page}/picks", {"code": "6900000000005"})
    assert wrong.status_code == 409
    assert wrong.headers["hx-retarget"] == "#feedback"
    assert "wrong item" in wrong.text.lower() and "6900000000005" in wrong.text
    first = await htmx_post(console, page, f"{page}/picks", {"code": goods.barcode})
    assert first.status_code == 200
    assert 'id="picklist"' in first.text and 'data-picked="1"' in first.text
    assert f"Scanned {goods.barcode}." in first.text and 'hx-swap-oob="true"' in first.text
    second = await htmx_post(console, page, f"{page}/picks", {"code": goods.barcode})
    assert 'data-picked="2"' in second.text and "Picked" in second.text
    extra = await htmx_post(console, page, f"{page}/picks", {"code": goods.barcode})
    assert extra.status_code == 409 and "6900000000005" not in extra.text
    # A plain form post (no script): the page again with the note.
    shown = await console.get(page)
    assert 'data-picked="2"' in shown.text and "data-scan" not in shown.text


async def test_verify_weigh_book_print_and_ship(
    tenant: TenantHandle, client: httpx.AsyncClient, console: ConsoleClient, sim: RunningCarrier
) -> None:
    goods = await planned(tenant, client, sim.url)
    owner = await tenant.headers("owner")
    picks = f"/api/v1/fulfilment/waves/{goods.wave}/picks"
    picked = await client.post(picks, json={"code": goods.barcode, "quantity": 2}, headers=owner)
    assert picked.status_code == 200, picked.text
    shipment = await shipment_of(tenant, client, goods.wave)
    await console.sign_in_as(tenant, "warehouse")
    await in_english(console)
    page = f"{WAVES}/shipments/{shipment}"
    wrong = await console.post_form(page, f"{page}/verify", {"code": "X-1"})
    assert wrong.status_code == 409 and "X-1" in wrong.text  # the whole problem page
    scanned = await htmx_post(console, page, f"{page}/verify", {"code": goods.barcode})
    assert scanned.status_code == 200 and "1</span> / 2" in scanned.text  # the lines swapped
    last = await htmx_post(console, page, f"{page}/verify", {"code": goods.barcode})
    assert last.headers.get("HX-Redirect") == page  # the whole page again: weighing is next
    shown = await console.get(page)
    assert "every unit is verified. Weigh the parcel next." in shown.text
    assert "2</span> / 2" in shown.text and f'action="{page}/weigh"' in shown.text
    extra = await htmx_post(console, page, f"{page}/verify", {"code": goods.barcode})
    assert extra.status_code == 409 and "extra" in extra.text.lower()

    heavy = await console.post_form(page, f"{page}/weigh", {"grams": "800", "packages": "1"})
    assert heavy.status_code == 303
    shown = await console.get(page)
    assert "outside the tolerance" in shown.text.lower() and "60" in shown.text
    await console.post_form(page, f"{page}/weigh", {"grams": "510", "packages": "1"})
    shown = await console.get(page)
    assert "Within the tolerance" in shown.text and "Book the waybill" in shown.text

    booked = await console.post_form(page, f"{page}/waybill", {"version": version_on(shown.text)})
    assert booked.status_code == 303
    shown = await console.get(page)
    tracking = shown.text.split('class="tracking">', maxsplit=1)[1].split(" ")[0].split("<")[0]
    assert tracking and f"tracking number {tracking}" in shown.text

    pdf = await console.get(f"{page}/documents")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("attachment;")
    text = extract_text(io.BytesIO(pdf.content))
    assert "装箱单" in text and tracking in text

    stale = await console.post_form(page, f"{page}/ship", {"version": "1"})
    assert stale.status_code == 412 and "Someone changed this record" in stale.text
    shipped = await console.post_form(page, f"{page}/ship", {"version": version_on(shown.text)})
    assert shipped.status_code == 303
    shown = await console.get(page)
    assert f"Shipped with tracking number {tracking}." in shown.text
    assert "Shipped" in shown.text and "Book the waybill" not in shown.text
    order = (await client.get(f"/api/v1/fulfilment/shipments/{shipment}", headers=owner)).json()
    assert order["status"] == "shipped" and order["trackingNo"] == tracking


async def test_a_role_without_fulfilment_read_sees_the_forbidden_page(
    tenant: TenantHandle, client: httpx.AsyncClient, console: ConsoleClient, sim: RunningCarrier
) -> None:
    goods = await planned(tenant, client, sim.url)
    await console.sign_in_as(tenant, "finance")
    await in_english(console)
    home = await console.get("/console")
    assert 'href="/console/fulfilment"' not in home.text
    for path in (WAVES, f"{WAVES}/waves/{goods.wave}"):
        refused = await console.get(path)
        assert refused.status_code == 403 and "fulfilment:read" in refused.text
    scan = await htmx_post(console, "/console", f"{WAVES}/waves/{goods.wave}/picks", {"code": "1"})
    assert scan.status_code == 403 and "fulfilment:pick" in scan.text
