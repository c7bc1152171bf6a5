"""ORD-6 in the console (PLT-8): a case opened on an order from its lines, the list with
filters (kind, status, order; htmx swaps the rows), a return-and-refund case moved
through approve, the receipt with its inspection (resellable, damaged) into a returns
warehouse, the inspection, a refund refused above the amount agreed with the problem's
message, the refund, completion; the history; the actions the case's flow allows shown
only to a role that may take them; roles without the permissions refused."""

from __future__ import annotations

import httpx

from tests.conftest import TenantHandle
from tests.e2e.aftersales.support import (
    figures,
    open_case,
    paid_order,
    returns_warehouse,
    step,
)
from tests.e2e.console.fulfilment_support import HTMX, in_english, version_on
from tests.e2e.console.support import ConsoleClient
from tests.e2e.orders.support import sku_code

HOME = "/console/aftersales"


async def test_open_a_return_case_and_take_it_through_receipt_and_refund(
    tenant: TenantHandle, client: httpx.AsyncClient, console: ConsoleClient
) -> None:
    owner = await tenant.headers("owner")
    order = await paid_order(client, owner, (3, "99.50"))
    line, payment = order["lines"][0], order["payments"][0]["id"]
    returns = await returns_warehouse(client, owner)
    await console.sign_in_as(tenant, "owner")
    await in_english(console)

    new = f"{HOME}/new?order={order['id']}"
    shown = await console.get(new)
    assert shown.status_code == 200 and order["number"] in shown.text
    form = {
        "order": order["id"],
        "kind": "return_refund",
        "reason": "quality_issue",
        "reason_text": "seam came open",
        "line": line["id"],
        "quantity": "2",
    }
    opened = await console.post_form(new, f"{HOME}/new", form)
    assert opened.status_code == 303, opened.text
    page = opened.headers["location"]
    case = await console.get(page)
    assert "The case is open." in case.text and "Return and refund" in case.text
    assert "seam came open" in case.text and "In review" in case.text
    assert "199.00" in case.text  # the two units' share, agreed by default
    lines = case.text.split("<table>")[1]
    assert sku_code(line["skuId"]) in lines and line["skuId"] not in case.text  # no raw id

    listed = await console.get(f"{HOME}?kind=return_refund&status=review")
    assert page in listed.text
    rows = await console.get(f"{HOME}?kind=exchange", **HTMX)
    assert rows.text.lstrip().startswith('<div id="case-rows">') and page not in rows.text
    assert page in (await console.get(f"{HOME}?order={order['id']}")).text

    approved = await console.post_form(
        page, f"{page}/approve", {"version": version_on(case.text), "reason": "confirmed"}
    )
    assert approved.status_code == 303
    case = await console.get(page)
    assert "Approved." in case.text and "Awaiting the return" in case.text
    assert f'value="{returns}"' in case.text  # the returns warehouse to receive into

    receipt = {
        "version": version_on(case.text),
        "warehouse": returns,
        "line_no": "1",
        "resellable": "1",
        "damaged": "1",
    }
    received = await console.post_form(page, f"{page}/receipts", receipt)
    assert received.status_code == 303
    case = await console.get(page)
    assert "The return is received into stock." in case.text and "Received" in case.text
    stock = await figures(client, owner, line["skuId"], returns)
    assert (stock["available"], stock["nonSellable"]) == (1, 1)

    inspected = await console.post_form(page, f"{page}/inspect", {"version": version_on(case.text)})
    assert inspected.status_code == 303
    case = await console.get(page)
    assert f'value="{payment}"' in case.text and 'value="199.00"' in case.text
    assert f'<option value="{payment}">Cash · ' in case.text  # the method in words

    above = {"payment": payment, "amount": "199.01", "key": "RF-WEB-0"}
    refused = await console.post_form(page, f"{page}/refunds", above)
    assert refused.status_code == 409 and "199.01" in refused.text
    refund = {"payment": payment, "amount": "199.00", "key": "RF-WEB-1"}
    refunded = await console.post_form(page, f"{page}/refunds", refund)
    assert refunded.status_code == 303
    case = await console.get(page)
    assert "Refund recorded." in case.text and "RF-WEB-1" in case.text

    completed = await console.post_form(
        page, f"{page}/complete", {"version": version_on(case.text)}
    )
    assert completed.status_code == 303
    case = await console.get(page)
    assert "The case is complete." in case.text and 'action="' + page not in case.text
    history = case.text.split('<ol class="history">')[1]
    for status in ("In review", "Approved", "Received", "Inspected", "Refunded", "Completed"):
        assert f" · {status} · " in history, status  # each step in words, no raw codes
    assert "<code>" not in history and "user:" not in history
    assert "goods to come back" not in history  # no English note of the case's own move


async def test_a_refused_step_shows_the_problem_and_changes_nothing(
    tenant: TenantHandle, client: httpx.AsyncClient, console: ConsoleClient
) -> None:
    owner = await tenant.headers("owner")
    order = await paid_order(client, owner, (1, "10.00"))
    case = await open_case(client, owner, order, "return_refund", (0, 1))
    await console.sign_in_as(tenant, "owner")
    await in_english(console)
    page = f"{HOME}/cases/{case['id']}"
    too_many = {
        "order": order["id"],
        "kind": "return_refund",
        "reason": "other",
        "line": order["lines"][0]["id"],
        "quantity": "1",
    }
    opened = await console.post_form(f"{HOME}/new?order={order['id']}", f"{HOME}/new", too_many)
    assert opened.status_code == 422 and "Only 0 units of this line" in opened.text
    version = str(case["version"])
    no_reason = await console.post_form(page, f"{page}/reject", {"version": version, "reason": " "})
    assert no_reason.status_code == 422
    stale = await console.post_form(page, f"{page}/approve", {"version": str(case["version"] + 1)})
    assert stale.status_code == 412 and "Someone changed this record" in stale.text
    assert "In review" in (await console.get(page)).text


async def test_roles_without_the_permissions_are_refused(
    tenant: TenantHandle, client: httpx.AsyncClient, console: ConsoleClient
) -> None:
    owner = await tenant.headers("owner")
    order = await paid_order(client, owner, (1, "10.00"))
    case = await open_case(client, owner, order, "return_refund", (0, 1))
    await console.sign_in_as(tenant, "marketing")
    await in_english(console)
    page = f"{HOME}/cases/{case['id']}"
    shown = await console.get(page)
    assert shown.status_code == 200 and "Approve" not in shown.text  # reading only
    refused = await console.post_form(page, f"{page}/approve", {"version": "1"})
    assert refused.status_code == 403 and "aftersales:write" in refused.text
    assert (await console.get(f"{HOME}/new")).status_code == 403


async def test_the_actions_shown_are_the_flows_and_the_roles(
    tenant: TenantHandle, client: httpx.AsyncClient, console: ConsoleClient
) -> None:
    owner = await tenant.headers("owner")
    order = await paid_order(client, owner, (1, "10.00"))
    case = await open_case(client, owner, order, "return_refund", (0, 1))
    page = f"{HOME}/cases/{case['id']}"
    await console.sign_in_as(tenant, "warehouse")  # aftersales:write, not aftersales:refund
    await in_english(console)
    shown = (await console.get(page)).text
    assert f'action="{page}/approve"' in shown and f'action="{page}/reject"' in shown
    assert f'action="{page}/receipts"' not in shown  # not before approval
    returns = await returns_warehouse(client, owner)
    case = await step(client, owner, case, "approve")
    receipt = {"warehouseId": returns, "lines": [{"lineNo": 1, "resellable": 1}]}
    case = await step(client, owner, case, "receipts", receipt)
    case = await step(client, owner, case, "inspect")
    shown = (await console.get(page)).text
    assert "<h2>Actions</h2>" not in shown and f'action="{page}/refunds"' not in shown
    await console.sign_in_as(tenant, "finance")  # aftersales:refund
    await in_english(console)
    shown = (await console.get(page)).text
    assert f'action="{page}/refunds"' in shown and f'action="{page}/complete"' not in shown


async def test_a_filter_outside_its_choices_names_them(
    tenant: TenantHandle, console: ConsoleClient
) -> None:
    await console.sign_in_as(tenant, "owner")
    await in_english(console)
    refused = await console.get(f"{HOME}?kind=swap")
    assert refused.status_code == 422
    assert "refund_only, return_refund, exchange, resend, and complaint" in refused.text
