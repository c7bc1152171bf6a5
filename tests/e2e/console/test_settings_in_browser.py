"""PLT-8 in a real browser, in English: the customers, inbox, audit and settings pages —
each scanned by axe-core (no serious or critical violation) and photographed at phone and
desktop widths; a custom role made by ticking boxes with the keyboard-reachable form."""

from __future__ import annotations

import re

from playwright.async_api import Page

from tests.conftest import PASSWORD, TenantHandle
from tests.e2e.console.browser import photograph, serious_violations

PAGES = {
    "customers": "/console/customers",
    "customer-new": "/console/customers/new",
    "inbox": "/console/inbox",
    "audit": "/console/settings/audit",
    "roles": "/console/settings/roles",
    "api-keys": "/console/settings/api-keys",
    "webhooks": "/console/settings/webhooks",
    "jobs": "/console/jobs",
}


async def _sign_in_in_english(tab: Page, tenant: TenantHandle) -> None:
    await tab.goto("/console/login")
    await tab.get_by_label("语言").select_option("en")
    await tab.get_by_role("button", name="切换").click()
    await tab.get_by_label("Company").fill(tenant.slug)
    await tab.get_by_label("Email").fill(tenant.owner_email)
    await tab.get_by_label("Password").fill(PASSWORD)
    await tab.get_by_role("button", name="Sign in").click()
    await tab.wait_for_url("**/console")


async def test_settings_pages_pass_the_accessibility_scan(tab: Page, tenant: TenantHandle) -> None:
    await _sign_in_in_english(tab, tenant)
    for name, path in PAGES.items():
        await tab.goto(path)
        assert await serious_violations(tab) == [], name
        await photograph(tab, name)


async def test_a_customer_registered_and_a_role_made_in_the_browser(
    tab: Page, tenant: TenantHandle
) -> None:
    await _sign_in_in_english(tab, tenant)
    await tab.goto("/console/customers/new")
    await tab.get_by_label("Name").fill("陈小春")
    await tab.get_by_label("Phone").fill("13600001234")
    await tab.get_by_role("button", name="Save").click()
    await tab.wait_for_url(re.compile(r".*/console/customers/[0-9a-f-]{36}$"))
    assert await tab.get_by_text("The customer was registered.").count() == 1
    assert await serious_violations(tab) == []
    await photograph(tab, "customer-profile")
    await tab.goto("/console/settings/roles")
    await tab.get_by_label("Key", exact=True).fill("packer")
    await tab.get_by_label("Name", exact=True).fill("Packer")
    await tab.get_by_label("fulfilment:pick").check()
    await tab.get_by_role("button", name="Create the role").click()
    await tab.wait_for_url(re.compile(r".*/console/settings/roles/[0-9a-f-]{36}$"))
    assert await tab.get_by_text("Role packer created.").count() == 1
    assert await tab.get_by_label("fulfilment:pick").is_checked()
