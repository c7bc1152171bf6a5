"""PLT-8 in a real browser: sign in, the dashboard with its charts, the menu on a phone;
each page scanned by axe-core (no serious or critical violation) and photographed at phone
and desktop widths."""

from __future__ import annotations

from playwright.async_api import Page

from tests.conftest import PASSWORD, TenantHandle
from tests.e2e.console.browser import PHONE, photograph, serious_violations


async def sign_in(tab: Page, tenant: TenantHandle, email: str) -> None:
    await tab.goto("/console")
    await tab.get_by_label("公司代码").fill(tenant.slug)
    await tab.get_by_label("邮箱").fill(email)
    await tab.get_by_label("密码").fill(PASSWORD)
    await tab.get_by_role("button", name="登录").click()
    await tab.wait_for_url("**/console")


async def test_sign_in_and_the_dashboard_in_chinese(tab: Page, tenant: TenantHandle) -> None:
    await tab.goto("/console/login")
    assert await serious_violations(tab) == []
    await photograph(tab, "login")
    await sign_in(tab, tenant, tenant.owner_email)
    assert await tab.locator("h1").inner_text() != ""
    assert await tab.get_by_text("今日订单").count() == 1
    # The charts are drawn by ECharts from the page's own copy (a canvas appears).
    await tab.locator("[data-chart] canvas").first.wait_for()
    legend = await tab.evaluate(  # each channel's slice is named by a legend, not a cut label
        "echarts.getInstanceByDom(document.querySelector('[data-chart=pie]')).getOption().legend"
    )
    assert legend and legend[0]["show"] is not False
    assert await serious_violations(tab) == []
    await photograph(tab, "dashboard")
    cookies = await tab.context.cookies()
    session = next(c for c in cookies if c["name"] == "shopkeeper_console")
    assert session["httpOnly"] is True
    assert await tab.evaluate("document.cookie") == ""  # no script reads a console cookie


async def test_the_menu_works_on_a_phone_and_by_keyboard(tab: Page, tenant: TenantHandle) -> None:
    await tab.set_viewport_size(PHONE)
    await sign_in(tab, tenant, tenant.owner_email)
    await tab.keyboard.press("Tab")  # the first stop is the skip link
    assert await tab.evaluate("document.activeElement.className") == "skip"
    await tab.get_by_role("navigation").get_by_role("link", name="用户与角色").click()
    await tab.wait_for_url("**/console/settings/users")
    assert await tab.get_by_text(tenant.owner_email).count() == 1
    assert await serious_violations(tab) == []
    await photograph(tab, "users")
    # Nothing wider than the phone: the page never scrolls sideways as a whole.
    assert await tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
