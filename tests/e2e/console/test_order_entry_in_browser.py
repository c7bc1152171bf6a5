"""ORD-1 in a real browser, in Chinese: from the work queue to "New order"; a mistyped SKU
code is refused in the page's feedback with everything typed still in the form; the code
corrected and a line more added with htmx, the order is placed and its page opens. The
form is scanned by axe-core and photographed at phone and desktop widths."""

from __future__ import annotations

from playwright.async_api import Page

from entrypoints.messages import message
from tests.conftest import TenantHandle
from tests.e2e.console.browser import photograph, serious_violations
from tests.e2e.console.test_in_browser import sign_in
from tests.e2e.orders.support import BASE, sku_code, stocked_sku


async def test_an_order_is_entered_by_hand_after_a_mistyped_code_is_refused(
    tab: Page, tenant: TenantHandle
) -> None:
    owner = await tenant.headers("owner")
    shirt = await stocked_sku(tenant.client, owner, 10, "20.00")
    mug = await stocked_sku(tenant.client, owner, 10, "15.00")
    await sign_in(tab, tenant, tenant.owner_email)
    await tab.goto("/console/orders")
    await tab.get_by_role("link", name="新建订单").click()
    await tab.wait_for_url("**/console/orders/new")
    assert await serious_violations(tab) == []
    await photograph(tab, "orders-new")

    codes = tab.get_by_label("SKU 编码或条码")
    await codes.nth(0).fill("NO-SUCH-SKU")
    await tab.get_by_label("收货人姓名").fill("李四")
    await tab.get_by_label("收货人电话").fill("13900001111")
    await tab.get_by_label("省份").fill("广东省")
    await tab.get_by_label("城市").fill("深圳市")
    await tab.get_by_label("区县").fill("南山区")
    await tab.get_by_label("详细地址").fill("科技园 8 栋 1201")
    await tab.get_by_role("button", name="创建订单").click()
    refusal = message("unknown_sku_code", "zh-CN", sku="NO-SUCH-SKU")
    await tab.locator("#feedback").get_by_text(refusal, exact=True).wait_for()
    assert await tab.get_by_label("收货人姓名").input_value() == "李四"  # the typing stays
    assert tab.url.endswith("/console/orders/new")

    await codes.nth(0).fill(sku_code(shirt))
    before = await codes.count()
    await tab.get_by_role("button", name="添加一行").click()
    await tab.wait_for_function(f"document.querySelectorAll('input[name=sku]').length > {before}")
    await codes.last.fill(sku_code(mug))
    await tab.get_by_role("button", name="创建订单").click()
    await tab.wait_for_url("**/console/orders/0*")
    order_id = tab.url.rsplit("/", 1)[1]
    order = (await tenant.client.get(f"{BASE}/{order_id}", headers=owner)).json()
    await tab.get_by_text(f"订单 {order['number']} 已创建。").wait_for()
    assert order["source"] == "staff" and order["total"] == "35.00"
    assert [line["skuId"] for line in order["lines"]] == [shirt, mug]
