"""LOG-1 and ORD-6 in a real Chromium (PLT-8), in English: a wave's pick list picked by
typing barcodes into the scan field and pressing Enter as a USB scanner does (a wrong one
refused with the problem's message, the field keeping the focus), the parcel verified the
same way, weighed, booked with the simulated carrier and shipped; a return case received
and refunded. The pick page (at phone width too) and the case page scanned by axe and
photographed."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.conftest import TenantHandle
from tests.e2e.aftersales.support import open_case, paid_order, returns_warehouse, step
from tests.e2e.console.browser import PHONE, photograph, serious_violations
from tests.e2e.console.fulfilment_support import planned
from tests.e2e.console.test_in_browser import sign_in
from tests.support.carrier import RunningCarrier, simulated_carrier


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningCarrier]:
    with simulated_carrier() as running:
        yield running


async def sign_in_in_english(tab: Page, tenant: TenantHandle, email: str) -> None:
    """Signed in (the browser asks for Chinese), then English chosen in the header."""
    await sign_in(tab, tenant, email)
    await tab.locator("#language-choice").select_option("en")
    await tab.locator('form[action="/console/language"] button').click()
    await expect(tab.locator("html")).to_have_attribute("lang", "en")


async def scan(tab: Page, code: str) -> None:
    """As a keyboard-wedge scanner: the code typed into the focused field, then Enter."""
    await tab.keyboard.type(code)
    await tab.keyboard.press("Enter")


async def test_pick_verify_and_ship_by_scanning(
    tab: Page, tenant: TenantHandle, client: httpx.AsyncClient, sim: RunningCarrier
) -> None:
    goods = await planned(tenant, client, sim.url)
    await sign_in_in_english(tab, tenant, tenant.owner_email)
    await tab.goto(f"/console/fulfilment/waves/{goods.wave}")
    field = tab.get_by_label("Scan a barcode")
    await expect(field).to_be_focused()
    assert await serious_violations(tab) == []
    await photograph(tab, "fulfilment-pick")

    await scan(tab, "6900000000005")
    await expect(tab.locator("#feedback")).to_contain_text("6900000000005")
    await expect(field).to_be_focused()
    await expect(field).to_have_value("")
    count = tab.locator("#picklist .count").first
    await scan(tab, goods.barcode)
    await expect(count).to_have_text("1")
    await expect(tab.locator("#feedback")).to_contain_text(f"Scanned {goods.barcode}.")
    await expect(field).to_be_focused()
    await scan(tab, goods.barcode)
    await expect(count).to_have_text("2")
    await expect(tab.locator("#picklist")).to_contain_text("Picked")

    await tab.set_viewport_size(PHONE)
    await tab.reload()
    assert await tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    await tab.get_by_role("link", name=goods.order_number).click()
    await tab.wait_for_url("**/console/fulfilment/shipments/*")
    verify = tab.get_by_label("Scan a barcode")
    await expect(verify).to_be_focused()
    await scan(tab, "X-1")
    await expect(tab.locator("#feedback")).to_contain_text("X-1")
    await expect(verify).to_be_focused()
    for done in ("1", "2"):
        await scan(tab, goods.barcode)
        await expect(tab.locator("#parcel .count").first).to_have_text(done)
    # the last unit brings the whole page back, weighing next: no reload by hand
    await expect(tab.locator("#feedback")).to_contain_text("every unit is verified")
    await tab.get_by_label("Weight (grams)").fill("510")
    await tab.get_by_role("button", name="Record the weight").click()
    await expect(tab.locator("#feedback")).to_contain_text("510")
    await expect(tab.get_by_text("Within the tolerance")).to_be_visible()
    await tab.get_by_role("button", name="Book the waybill").click()
    await expect(tab.locator("#feedback")).to_contain_text("tracking number")
    tracking = (await tab.locator("dd.tracking").inner_text()).split(" ")[0]
    assert tracking and tracking != "—"
    slip = tab.get_by_role("link", name="Download the packing slip (PDF)")
    async with tab.expect_download() as downloading:
        await slip.click()
    assert (await downloading.value).suggested_filename.endswith(".pdf")
    await tab.get_by_role("button", name="Ship", exact=True).click()
    await expect(tab.locator("#feedback")).to_contain_text(
        f"Shipped with tracking number {tracking}"
    )
    assert await serious_violations(tab) == []
    await tab.set_viewport_size(PHONE)
    assert await tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    await photograph(tab, "fulfilment-shipment")


async def test_a_return_received_and_refunded(
    tab: Page, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    order = await paid_order(client, owner, (2, "30.00"))
    returns = await returns_warehouse(client, owner)
    case = await open_case(client, owner, order, "return_refund", (0, 1))
    await step(client, owner, case, "approve")
    await sign_in_in_english(tab, tenant, tenant.owner_email)
    await tab.goto("/console/aftersales?kind=return_refund")
    await tab.locator(f'a[href="/console/aftersales/cases/{case["id"]}"]').click()
    await tab.wait_for_url(f"**/console/aftersales/cases/{case['id']}")
    await tab.get_by_label("Returns warehouse").select_option(returns)
    await tab.get_by_label("Line 1: resellable units").fill("1")
    await tab.get_by_role("button", name="Receive", exact=True).click()
    await expect(tab.locator("#feedback")).to_contain_text("received into stock")
    await tab.get_by_role("button", name="Conclude the inspection").click()
    await expect(tab.locator("#feedback")).to_contain_text("Inspection concluded")
    assert await serious_violations(tab) == []
    await photograph(tab, "aftersales-case")
    await tab.get_by_role("button", name="Record the refund").click()
    await expect(tab.locator("#feedback")).to_contain_text("Refund recorded")
    await expect(tab.locator("h1")).to_contain_text("Refunded")
