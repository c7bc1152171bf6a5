"""PLT-8 with ORD-1, ORD-4, ORD-5, ORD-8: the console's orders pages — the work queue with
its filters, saved views and bulk actions, the abnormal queue, an order's page and its
actions (approve, hold, release, payment, edit, split, merge), the review rules' dry run;
a refused action shows the problem's own message, and a role without the permission sees
no button and gets the forbidden page."""

from __future__ import annotations

import uuid

from entrypoints.messages import message
from tests.conftest import TenantHandle
from tests.e2e.console.orders_support import (
    awaiting_review,
    out_of_stock,
    paid,
    placed,
    unpaid,
)
from tests.e2e.console.support import ConsoleClient, csrf_token
from tests.e2e.orders.support import BASE, RECEIVER, stocked_sku
from tests.e2e.orders.test_bulk import READ_MESSAGES

QUEUE = "/console/orders"


async def signed_in(console: ConsoleClient, tenant: TenantHandle, role: str = "owner") -> None:
    await console.sign_in_as(tenant, role)
    chosen = await console.post_form(
        "/console", "/console/language", {"language": "en", "next": "/console"}
    )
    assert chosen.status_code == 303


async def test_the_queue_filters_by_status_and_number_and_answers_htmx_with_its_rows(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    review = await awaiting_review(tenant)
    waiting = await unpaid(tenant)
    await signed_in(console, tenant)
    page = await console.get(QUEUE)
    assert page.status_code == 200
    assert review["number"] in page.text and waiting["number"] in page.text
    assert "Order queue" in page.text
    only = await console.get(f"{QUEUE}?status=awaiting_review&ordering=amount")
    assert review["number"] in only.text and waiting["number"] not in only.text
    found = await console.get(f"{QUEUE}?q={waiting['number']}", **{"hx-request": "true"})
    assert waiting["number"] in found.text and review["number"] not in found.text
    assert "<html" not in found.text  # the rows only, for the page to swap in
    bad = await console.get(f"{QUEUE}?status=lost")
    assert bad.status_code == 422
    assert "Choose one of" in bad.text


async def test_a_view_saves_the_filters_and_picks_them_again(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    review = await awaiting_review(tenant)
    waiting = await unpaid(tenant)
    await signed_in(console, tenant)
    saved = await console.post_form(
        QUEUE,
        f"{QUEUE}/views",
        {"name": "待审核", "status": "awaiting_review", "ordering": "age"},
    )
    assert saved.status_code == 303
    location = saved.headers["location"]
    assert location.startswith(f"{QUEUE}?view=")
    shown = await console.get(location)
    assert "待审核" in shown.text and "is saved." in shown.text
    assert review["number"] in shown.text and waiting["number"] not in shown.text
    assert "selected>待审核" in shown.text
    unnamed = await console.post_form(QUEUE, f"{QUEUE}/views", {"name": " "})
    assert unnamed.status_code == 422 and "This field is required." in unnamed.text


async def test_bulk_approve_reports_what_was_done_and_why_the_rest_was_refused(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    review = await awaiting_review(tenant)
    waiting = await unpaid(tenant)
    await signed_in(console, tenant)
    done = await console.post_form(
        QUEUE,
        f"{QUEUE}/bulk",
        {"action": "approve", "order_ids": review["id"], "back": f"{QUEUE}?status=paid"},
    )
    assert done.status_code == 200 and "1 done, 0 refused." in done.text
    shown = await console.get(QUEUE)
    response = await console.http.post(
        f"{QUEUE}/bulk",
        data={
            "action": "hold",
            "reason": "核对地址",
            "order_ids": [review["id"], waiting["id"]],
            "_csrf_token": csrf_token(shown.text),
        },
    )
    assert response.status_code == 200, response.text
    assert "2 done, 0 refused." in response.text
    again = await console.post_form(
        QUEUE, f"{QUEUE}/bulk", {"action": "approve", "order_ids": waiting["id"]}
    )
    assert "0 done, 1 refused." in again.text
    assert waiting["number"] in again.text  # which one, and the problem's own message
    api = await tenant.client.get(f"{BASE}/{review['id']}", headers=await tenant.headers("owner"))
    assert api.json()["status"] == "held"
    missing = await console.post_form(
        QUEUE, f"{QUEUE}/bulk", {"action": "hold", "order_ids": review["id"]}
    )
    assert missing.status_code == 422 and "This field is required." in missing.text


async def test_the_abnormal_queue_counts_each_type_and_links_to_its_orders(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    abnormal = await out_of_stock(tenant)
    other = await awaiting_review(tenant)
    await signed_in(console, tenant)
    page = await console.get(f"{QUEUE}/abnormal")
    assert page.status_code == 200
    assert "Out of stock" in page.text
    assert f"{QUEUE}?abnormal=out_of_stock&amp;ordering=time_left" in page.text
    listed = await console.get(f"{QUEUE}?abnormal=out_of_stock&ordering=time_left")
    assert abnormal["number"] in listed.text
    assert other["number"] not in listed.text  # only the abnormal orders


async def test_the_queue_of_one_abnormal_type_releases_it_in_bulk(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    owner = await tenant.headers("owner")
    saved = await tenant.client.put(
        f"{BASE}/rules", json={"rules": READ_MESSAGES}, headers={**owner, "If-Match": '"v0"'}
    )
    assert saved.status_code == 200, saved.text
    sku = await stocked_sku(tenant.client, owner, 5, "20.00")
    body = {"lines": [{"skuId": sku, "quantity": 1}], "receiver": RECEIVER}
    marked = await paid(tenant, await placed(tenant, {**body, "buyerMessage": "周末送"}))
    assert marked["status"] == "abnormal", marked
    other = await awaiting_review(tenant)
    await signed_in(console, tenant)
    listed = await console.get(f"{QUEUE}?abnormal=message_to_read&ordering=time_left")
    bar = listed.text.split('id="bulk"', 1)[1].split("</form>", 1)[0]
    assert '<option value="resolve_abnormal">Resolve the abnormal type chosen</option>' in bar
    assert '<option value="message_to_read" selected>' in bar  # the queue's own type
    form = {
        "action": "resolve_abnormal",
        "abnormal_type": "message_to_read",
        "order_ids": [marked["id"], other["id"]],
    }
    missing = await console.post_form(QUEUE, f"{QUEUE}/bulk", form)
    assert missing.status_code == 422 and "This field is required." in missing.text
    done = await console.post_form(QUEUE, f"{QUEUE}/bulk", {**form, "reason": "已电话确认"})
    assert done.status_code == 200, done.text
    assert "1 done, 1 refused." in done.text
    assert other["number"] in done.text  # no message to read: refused, and why
    assert message("order_abnormal_release_refused", "en") in done.text
    after = (await tenant.client.get(f"{BASE}/{marked['id']}", headers=owner)).json()
    assert (after["status"], after["abnormalities"]) == ("awaiting_review", [])


async def test_an_order_page_shows_its_lines_money_timeline_and_approves(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    order = await awaiting_review(tenant, 1, 2)
    await signed_in(console, tenant)
    url = f"{QUEUE}/{order['id']}"
    page = await console.get(url)
    assert page.status_code == 200
    assert f"Order {order['number']}" in page.text and "Awaiting review" in page.text
    assert "¥60.00" in page.text  # 3 × 20.00
    assert "Approve" in page.text and "Alipay" in page.text
    assert "Payment recorded" in page.text  # the timeline, in words
    assert "payment_recorded" not in page.text
    assert "Own shop (API)" in page.text  # how the order came in, in words
    assert "<td>System</td>" in page.text and "system:orders" not in page.text  # who moved it
    approved = await console.post_form(url, f"{url}/approve", {"version": str(order["version"])})
    assert approved.status_code == 303 and approved.headers["location"] == url
    after = await console.get(url)
    assert "The order is approved." in after.text and "Approved" in after.text
    assert 'action="/console/orders/' + order["id"] + '/approve"' not in after.text


async def test_the_reasons_the_system_gives_are_said_in_the_page_s_language(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    """``fully paid`` and ``waiting for review`` are the system's words on the timeline:
    the page says them in its language (a person's own reason stays as written)."""
    order = await awaiting_review(tenant, 1, 2)
    await console.sign_in_as(tenant, "owner")
    chosen = await console.post_form(
        "/console", "/console/language", {"language": "zh-CN", "next": "/console"}
    )
    assert chosen.status_code == 303
    page = await console.get(f"{QUEUE}/{order['id']}")
    assert page.status_code == 200
    assert "已付清" in page.text and "等待审核" in page.text
    assert "fully paid" not in page.text and "waiting for review" not in page.text


async def test_a_stale_version_is_refused_with_the_problem_message_and_nothing_changes(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    order = await awaiting_review(tenant)
    await signed_in(console, tenant)
    url = f"{QUEUE}/{order['id']}"
    refused = await console.post_form(url, f"{url}/approve", {"version": str(order["version"] - 1)})
    assert refused.status_code == 412
    assert message("stale_version", "en") in refused.text
    api = await tenant.client.get(f"{BASE}/{order['id']}", headers=await tenant.headers("owner"))
    assert api.json()["status"] == "awaiting_review"


async def test_hold_release_payment_and_edit_from_the_order_page(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    order = await awaiting_review(tenant, 1, 2)
    waiting = await unpaid(tenant)
    await signed_in(console, tenant)
    url = f"{QUEUE}/{order['id']}"
    held = await console.post_form(
        url, f"{url}/hold", {"version": str(order["version"]), "reason": "核对地址"}
    )
    assert held.status_code == 303
    page = await console.get(url)
    assert "The order is held." in page.text and "核对地址" in page.text
    assert "Why it is held or abnormal" in page.text
    released = await console.post_form(url, f"{url}/release", {"version": _version(page.text)})
    assert released.status_code == 303
    page = await console.get(url)
    assert "The hold is released." in page.text and "Awaiting review" in page.text
    lines = order["lines"]
    edited = await console.post_form(
        url,
        f"{url}/edit",
        {
            "version": _version(page.text),
            "name": "李四",
            "phone": "13900001111",
            "province": "浙江省",
            "city": "杭州市",
            "district": "西湖区",
            "line": "文三路 2 号",
            f"quantity_{lines[0]['id']}": "1",
            f"quantity_{lines[1]['id']}": "3",
            "reason": "买家改地址",
        },
    )
    assert edited.status_code == 303, edited.text
    page = await console.get(url)
    assert "The order is changed." in page.text and "文三路 2 号" in page.text
    assert "¥80.00" in page.text  # 4 × 20.00
    pay_url = f"{QUEUE}/{waiting['id']}"
    bad = await console.post_form(pay_url, f"{pay_url}/payments", {"method": "cash", "amount": "x"})
    assert bad.status_code == 422 and message("invalid_amount", "en") in bad.text
    paid = await console.post_form(
        pay_url, f"{pay_url}/payments", {"method": "cash", "amount": waiting["total"]}
    )
    assert paid.status_code == 303
    page = await console.get(pay_url)
    assert "The payment is recorded." in page.text and "Awaiting review" in page.text


def _version(html: str) -> str:
    marker = 'name="version" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


async def test_split_by_the_lines_chosen(console: ConsoleClient, tenant: TenantHandle) -> None:
    order = await awaiting_review(tenant, 1, 2)
    await signed_in(console, tenant)
    url = f"{QUEUE}/{order['id']}"
    split = await console.post_form(
        url,
        f"{url}/split",
        {"version": str(order["version"]), "line_ids": order["lines"][1]["id"], "reason": "分仓"},
    )
    assert split.status_code == 303
    page = await console.get(url)
    number = order["number"]
    assert f"The order is split into {number}-1 and {number}-2." in page.text
    assert "Part 2" in page.text
    assert f"{url}/approve" not in page.text  # the original is retired: no action left
    owner = await tenant.headers("owner")
    retired = (await tenant.client.get(f"{BASE}/{order['id']}", headers=owner)).json()
    again = await console.post_form(
        url, f"{url}/split", {"version": str(retired["version"]), "reason": "再拆"}
    )
    assert again.status_code in (409, 422)  # the use case's own refusal, shown
    assert "<h1>" in again.text


async def test_merge_offers_the_customers_other_orders_and_merges_them(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    customer = str(uuid.uuid4())
    first = await awaiting_review(tenant, 1, customer=customer)
    second = await awaiting_review(tenant, 2, customer=customer)
    alone = await awaiting_review(tenant, 1)
    await signed_in(console, tenant)
    url = f"{QUEUE}/{first['id']}"
    page = await console.get(url)
    assert "Merge orders" in page.text
    assert second["number"] in page.text and alone["number"] not in page.text
    merged = await console.post_form(
        url, f"{url}/merge", {"order_ids": second["id"], "reason": "同一买家"}
    )
    assert merged.status_code == 303
    target = merged.headers["location"]
    assert target not in (url, f"{QUEUE}/{second['id']}")
    shown = await console.get(target)
    assert "Merged into order" in shown.text and "Merged from" in shown.text
    refused = await console.post_form(
        f"{QUEUE}/{alone['id']}",
        f"{QUEUE}/{alone['id']}/merge",
        {"order_ids": first["id"], "reason": "x"},
    )
    assert refused.status_code == 409 and "<h1>" in refused.text


async def test_a_role_without_review_sees_no_approve_and_is_refused_it(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    order = await awaiting_review(tenant)
    await signed_in(console, tenant, "warehouse")
    url = f"{QUEUE}/{order['id']}"
    page = await console.get(url)
    assert page.status_code == 200
    assert f"{url}/approve" not in page.text and f"{url}/split" not in page.text
    assert 'form="bulk"' not in (await console.get(QUEUE)).text
    refused = await console.post_form(url, f"{url}/approve", {"version": str(order["version"])})
    assert refused.status_code == 403 and "orders:review" in refused.text
    rules = await console.get("/console/settings/order-rules")
    assert rules.status_code == 403 and "orders:rules" in rules.text


async def test_a_role_without_orders_gets_the_forbidden_page(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    await signed_in(console, tenant, "purchasing")
    page = await console.get(QUEUE)
    assert page.status_code == 403 and "orders:read" in page.text
    home = await console.get("/console")
    assert 'href="/console/orders"' not in home.text.split("<main")[0]


RULES = [
    {
        "id": "big",
        "name": "大额订单人工复核",
        "priority": 10,
        "conditions": [{"kind": "amount_between", "min": "50"}],
        "actions": [{"kind": "hold", "hours": 4, "reason": "大额订单人工复核"}],
    },
]


async def test_the_rules_page_shows_the_rules_and_a_dry_run_names_the_rule_per_order(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    small = await awaiting_review(tenant, 1)
    big = await awaiting_review(tenant, 3)
    await signed_in(console, tenant)
    page = await console.get("/console/settings/order-rules")
    assert page.status_code == 200 and "No review rules yet." in page.text
    saved = await tenant.client.put(
        f"{BASE}/rules",
        json={"rules": RULES},
        headers={**await tenant.headers("owner"), "If-Match": '"v0"'},
    )
    assert saved.status_code == 200, saved.text
    page = await console.get("/console/settings/order-rules")
    assert "大额订单人工复核" in page.text and "big@v1" in page.text
    ran = await console.post_form(
        "/console/settings/order-rules", "/console/settings/order-rules/dry-run", {"limit": "10"}
    )
    assert ran.status_code == 200
    assert "Dry-run results" in ran.text, ran.text[-3000:]
    results = ran.text.split("Dry-run results")[-1]  # the results' table
    big_row = results.split(big["number"])[1].split("</tr>")[0]
    small_row = results.split(small["number"])[1].split("</tr>")[0]
    assert "big@v1" in big_row and "No rule acts" in small_row
    bad = await console.post_form(
        "/console/settings/order-rules",
        "/console/settings/order-rules/dry-run",
        {"draft": "[not json"},
    )
    assert bad.status_code == 422 and message("invalid_value", "en") in bad.text
    api = await tenant.client.get(f"{BASE}/{big['id']}", headers=await tenant.headers("owner"))
    assert api.json()["status"] == "awaiting_review"  # a dry run changes nothing
