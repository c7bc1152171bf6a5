"""PLT-8 for the catalog in a real Chromium, in English: search the list live, create a
product with a SKU (adding the row with htmx), publish it on a sales channel; the list and
the editor scanned by axe and photographed at phone and desktop widths."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from playwright.async_api import Browser, Page

from tests.conftest import PASSWORD, TenantHandle
from tests.e2e.console.browser import DESKTOP, PHONE, photograph, serious_violations
from tests.e2e.console.catalog_support import api_channel, api_product


@pytest.fixture
async def english_tab(browser: Browser, console_url: str) -> AsyncIterator[Page]:
    """A fresh browser context whose Accept-Language is English."""
    context = await browser.new_context(base_url=console_url, viewport=DESKTOP, locale="en")
    page = await context.new_page()
    try:
        yield page
    finally:
        await context.close()


async def test_create_a_product_with_a_sku_and_publish_it(
    english_tab: Page, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    tab = english_tab
    await api_channel(tenant, client, "own_shop", "Own web shop")
    await api_product(tenant, client, "EAR-1", "降噪蓝牙耳机")
    await api_product(tenant, client, "CHG-1", "快速充电器")
    await tab.goto("/console/catalog")
    await tab.get_by_label("Company").fill(tenant.slug)
    await tab.get_by_label("Email").fill(tenant.owner_email)
    await tab.get_by_label("Password").fill(PASSWORD)
    await tab.get_by_role("button", name="Sign in").click()
    await tab.wait_for_url("**/console/catalog")
    # Live search: typing swaps the results in place.
    await tab.get_by_label("Search").fill("蓝牙")
    await tab.get_by_role("link", name="EAR-1").wait_for()
    await tab.get_by_text("快速充电器").wait_for(state="detached")
    assert await serious_violations(tab) == []
    await photograph(tab, "catalog-products")

    await tab.get_by_role("link", name="New product").click()
    await tab.wait_for_url("**/console/catalog/products/new")
    await tab.get_by_label("Code", exact=True).fill("MUG-1")
    await tab.get_by_label("Name", exact=True).fill("Ceramic mug")
    rows = tab.locator("#sku-rows tr")
    assert await rows.count() == 1
    await tab.get_by_role("button", name="Add a SKU row").click()
    await rows.nth(1).wait_for()
    first = rows.nth(0)
    await first.get_by_label("SKU code").fill("MUG-1-W")
    await first.get_by_label("Barcode").fill("6901234567892")
    await first.get_by_label("List price").fill("39.90")
    await first.get_by_label("Weight (g)").fill("350")
    await tab.get_by_role("button", name="Save", exact=True).click()
    await tab.get_by_text("Product MUG-1 created.").wait_for()
    assert await tab.get_by_label("SKU code").first.input_value() == "MUG-1-W"
    assert await serious_violations(tab) == []
    await photograph(tab, "catalog-editor")

    await tab.get_by_role("button", name="Publish on Own web shop").click()
    await tab.get_by_text("Published.").wait_for()
    assert await tab.get_by_text("On sale", exact=True).count() == 1
    assert await tab.get_by_role("button", name="Unpublish from Own web shop").count() == 1
    assert await serious_violations(tab) == []

    # A refused form (posted through htmx: console.js boosts every posted form) keeps what
    # was typed; the problem's message is said in #feedback, the page stays where it was.
    address = tab.url
    await tab.get_by_label("MUG-1-W").fill("12,5元")
    await tab.get_by_role("button", name="Save channel prices").click()
    await tab.locator("#feedback").get_by_text("The amount is not a valid number.").first.wait_for()
    assert await tab.get_by_label("MUG-1-W").input_value() == "12,5元"
    assert await tab.get_by_label("Name", exact=True).input_value() == "Ceramic mug"
    assert tab.url == address


async def test_a_typed_product_gets_its_skus_from_the_matrix(
    english_tab: Page, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    tab = english_tab
    owner = await tenant.headers("owner")
    axes = [
        {"code": "colour", "name": "Colour", "kind": "enum", "variantAxis": True,
         "allowedValues": ["Red", "Blue"]},
        {"code": "size", "name": "Size", "kind": "text", "variantAxis": True},
    ]  # fmt: skip
    made = await client.post(
        "/api/v1/catalog/product-types", json={"name": "T-shirt", "attributes": axes}, headers=owner
    )
    assert made.status_code == 201, made.text
    body = {"code": "TEE-9", "name": "Cotton tee", "productTypeId": made.json()["id"], "skus": []}
    product = await client.post("/api/v1/catalog/products", json=body, headers=owner)
    assert product.status_code == 201, product.text
    await tab.goto("/console/settings/product-types")
    await tab.get_by_label("Company").fill(tenant.slug)
    await tab.get_by_label("Email").fill(tenant.owner_email)
    await tab.get_by_label("Password").fill(PASSWORD)
    await tab.get_by_role("button", name="Sign in").click()
    await tab.wait_for_url("**/console/settings/product-types")
    assert await tab.get_by_role("cell", name="Colour × Size").count() == 1
    assert await serious_violations(tab) == []
    for size in (PHONE, DESKTOP):  # the attribute table scrolls in its box, not the page
        await tab.set_viewport_size(size)
        assert await tab.evaluate("document.documentElement.scrollWidth") <= size["width"]
    await photograph(tab, "catalog-product-types")

    await tab.goto(f"/console/catalog/products/{product.json()['id']}")
    variants = tab.locator("#variants")
    await variants.get_by_label("Red").check()
    await variants.get_by_label("Blue").check()
    await variants.get_by_label("Size").fill("S, M")
    await variants.get_by_label("List price of new SKUs").fill("59")
    await variants.get_by_role("button", name="Preview the SKUs").click()
    await tab.get_by_role("cell", name="TEE-9-BLUE-M").wait_for()  # swapped in by htmx
    assert await tab.locator("#matrix-preview tbody tr").count() == 4
    assert await serious_violations(tab) == []
    await variants.get_by_role("button", name="Generate the SKUs").click()
    await tab.get_by_text("SKUs generated: the product has 4 active SKUs.").wait_for()
    assert await tab.get_by_label("SKU code").first.input_value() == "TEE-9-RED-S"
    await photograph(tab, "catalog-variants")
