"""PLT-8, PLT-7 for inventory in a real browser, in traditional Chinese: stock received by
scanning a barcode shows on the stock page; a blind count is entered on a 360 px phone
(the scan field keeps the focus, one big field per SKU); the stock, count entry and
valuation pages pass axe and are photographed."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from playwright.async_api import Browser, Page

from entrypoints.messages import message
from tests.conftest import PASSWORD, TenantHandle
from tests.e2e.console.browser import DESKTOP, PHONE, photograph, serious_violations
from tests.e2e.console.inventory_support import a_sku_and_warehouses

LANGUAGE = "zh-TW"


def t(key: str, **params: object) -> str:
    return message(key, LANGUAGE, **params)


@pytest.fixture
async def tw_tab(browser: Browser, console_url: str) -> AsyncIterator[Page]:
    """A fresh browser whose language is traditional Chinese (Accept-Language zh-TW)."""
    context = await browser.new_context(base_url=console_url, viewport=DESKTOP, locale=LANGUAGE)
    page = await context.new_page()
    try:
        yield page
    finally:
        await context.close()


async def sign_in(tab: Page, tenant: TenantHandle) -> None:
    await tab.goto("/console")
    await tab.get_by_label(t("signin.company")).fill(tenant.slug)
    await tab.get_by_label(t("signin.email")).fill(tenant.owner_email)
    await tab.get_by_label(t("signin.password")).fill(PASSWORD)
    await tab.get_by_role("button", name=t("signin.submit")).click()
    await tab.wait_for_url("**/console")


async def test_receive_by_scan_then_a_blind_count_on_a_phone(
    tw_tab: Page, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    tab = tw_tab
    stocked = await a_sku_and_warehouses(tenant, client)
    await sign_in(tab, tenant)
    await tab.get_by_role("navigation").get_by_role("link", name=t("nav.inventory")).click()
    await tab.get_by_role("link", name=t("inventory.tab_receive")).click()
    await tab.get_by_label(t("inventory.warehouse")).select_option(stocked.warehouse)
    await tab.get_by_label(t("inventory.sku_or_barcode")).fill(stocked.barcode)
    await tab.get_by_label(t("inventory.quantity")).fill("12")
    await tab.get_by_label(t("inventory.unit_cost")).fill("3.50")
    await tab.get_by_role("button", name=t("inventory.receive"), exact=True).click()
    await tab.wait_for_url(f"**/console/inventory?sku={stocked.sku}")
    feedback = await tab.locator("#feedback").inner_text()
    assert feedback == t("inventory.stock_received", sku=stocked.sku, on_hand=12, available=12)
    assert await tab.get_by_role("link", name=stocked.sku).count() == 1
    assert await serious_violations(tab) == []
    await photograph(tab, "inventory-stock")

    await tab.goto("/console/inventory/valuation")
    assert await tab.get_by_text(stocked.sku).count() == 1
    assert await serious_violations(tab) == []
    await photograph(tab, "inventory-valuation")

    await tab.set_viewport_size(PHONE)
    await tab.goto("/console/inventory/counts")
    rights = await tab.locator("nav.tabs a").evaluate_all(
        "links => links.map(link => link.getBoundingClientRect().right)"
    )
    assert len(rights) > 3 and max(rights) <= PHONE["width"]  # the tabs wrap: none off screen
    await tab.get_by_label(t("inventory.warehouse")).select_option(stocked.warehouse)
    await tab.get_by_label(t("inventory.count_skus")).fill(stocked.sku)
    await tab.get_by_role("button", name=t("inventory.create_count")).click()
    await tab.get_by_role("button", name=t("inventory.start_count")).click()
    await tab.wait_for_url("**/entry")
    scan = tab.get_by_label(t("inventory.scan"), exact=True)
    assert await scan.evaluate("field => field === document.activeElement")
    for _ in range(3):  # a scanner types the barcode and Enter
        await tab.keyboard.type(stocked.barcode)
        async with tab.expect_navigation():
            await tab.keyboard.press("Enter")
    await tab.get_by_text(t("inventory.scanned", sku=stocked.sku, count=3)).wait_for()
    counted = tab.get_by_label(stocked.sku, exact=True)
    assert await counted.input_value() == "3"
    assert await scan.evaluate("field => field === document.activeElement")
    assert await tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert await serious_violations(tab) == []
    await photograph(tab, "inventory-count-entry")
    await counted.fill("11")
    await tab.get_by_role("button", name=t("inventory.save_counts")).click()
    await tab.get_by_role("button", name=t("inventory.submit_count")).click()
    await tab.get_by_role("columnheader", name=t("inventory.variance"), exact=True).wait_for()
    assert await tab.locator("tr.differs strong").inner_text() == "-1"
