"""PLT-8 with ORD-4, ORD-5, ORD-8 in a real browser, in Chinese: from the work queue to an
order awaiting review, split by a line chosen, then a part approved; the queue and the
order's page scanned by axe-core and photographed at phone and desktop widths."""

from __future__ import annotations

from playwright.async_api import Page

from tests.conftest import TenantHandle
from tests.e2e.console.browser import DESKTOP, PHONE, photograph, serious_violations
from tests.e2e.console.orders_support import awaiting_review
from tests.e2e.console.test_in_browser import sign_in


async def test_an_order_is_split_and_a_part_approved_from_the_queue(
    tab: Page, tenant: TenantHandle
) -> None:
    order = await awaiting_review(tenant, 1, 2)
    number = order["number"]
    await sign_in(tab, tenant, tenant.owner_email)
    await tab.get_by_role("navigation").get_by_role("link", name="订单").click()
    await tab.wait_for_url("**/console/orders")
    await tab.get_by_label("状态").select_option("awaiting_review")
    await tab.get_by_role("link", name=number).wait_for()
    assert await serious_violations(tab) == []
    await photograph(tab, "orders-queue")
    await tab.set_viewport_size(PHONE)  # each cell's Chinese words on one line, not a column
    broken = await tab.locator(".table-wrap tbody td").evaluate_all(
        """cells => cells.flatMap(cell => {
            const texts = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            const found = [];
            while (texts.nextNode()) {
                const text = texts.currentNode;
                if (!/[\u4e00-\u9fff]{2}/.test(text.data)) continue;
                const range = document.createRange();
                range.selectNodeContents(text);
                const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                if (tops.size > 1) found.push(text.data.trim());
            }
            return found;
        })"""
    )
    assert broken == []
    await tab.set_viewport_size(DESKTOP)

    await tab.get_by_role("link", name=number).click()
    await tab.wait_for_url(f"**/console/orders/{order['id']}")
    assert await tab.get_by_text("待审核").count() >= 1
    await tab.get_by_text("拆分订单").click()  # the split panel opens
    await tab.locator("#split input[type=checkbox]").nth(1).check()
    await tab.locator("#split-reason").fill("分仓发货")
    await tab.get_by_role("button", name="拆分", exact=True).click()
    await tab.get_by_text(f"订单已拆分为 {number}-1和{number}-2。").wait_for()
    assert await serious_violations(tab) == []
    await photograph(tab, "orders-order")

    await tab.get_by_role("link", name="第 2 单").click()
    await tab.get_by_role("button", name="审核通过").click()
    await tab.get_by_text("订单已审核通过。").wait_for()
    assert await tab.locator("h1").inner_text() == f"订单 {number}-2 已审核"
