"""PLT-8 with ORD-1..ORD-5: the order page's further actions — a payment form sent twice
records one payment (its reference), an edit sent back unchanged writes nothing, unmerge,
rejoin a split, resolve an abnormality, and the review rules saved from the console at
the version shown; each refusal in the problem's own words. Lines are named by SKU code,
timeline entries in words."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from entrypoints.messages import message
from tests.conftest import TenantHandle
from tests.e2e.console.orders_support import awaiting_review, paid, placed, unpaid
from tests.e2e.console.support import ConsoleClient
from tests.e2e.console.test_orders import QUEUE, signed_in
from tests.e2e.orders.support import BASE, RECEIVER, sku_code, stocked_sku

RULES_PAGE = "/console/settings/order-rules"


def _field(html: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html)
    assert found is not None, name
    return found.group(1)


async def _api(tenant: TenantHandle, order_id: str) -> dict[str, Any]:
    owner = await tenant.headers("owner")
    response = await tenant.client.get(f"{BASE}/{order_id}", headers=owner)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_a_payment_form_sent_twice_records_one_payment(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    order = await unpaid(tenant)
    await signed_in(console, tenant)
    url = f"{QUEUE}/{order['id']}"
    page = await console.get(url)
    reference = _field(page.text, "transaction_id")
    assert reference.startswith("PAY-")
    assert _field((await console.get(url)).text, "transaction_id") != reference  # per form
    form = {"method": "cash", "amount": "10.00", "transaction_id": reference}
    for _ in range(2):
        sent = await console.post_form(url, f"{url}/payments", form)
        assert sent.status_code == 303, sent.text
    after = await _api(tenant, order["id"])
    assert len(after["payments"]) == 1 and after["paidAmount"] == "10.00"
    assert after["status"] == "pending_payment"


async def test_lines_show_their_sku_code_and_an_unchanged_edit_writes_nothing(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    order = await awaiting_review(tenant, 1, 2)
    await signed_in(console, tenant)
    url = f"{QUEUE}/{order['id']}"
    page = await console.get(url)
    for line in order["lines"]:
        assert sku_code(line["skuId"]) in page.text
        assert line["skuId"] not in page.text  # never the id
    assert "Order created" in page.text and "Status changed" in page.text
    address = RECEIVER["address"]
    assert isinstance(address, dict)
    same = {
        "version": str(order["version"]),
        "name": str(RECEIVER["name"]),
        "phone": str(RECEIVER["phone"]),
        **{k: str(v) for k, v in address.items()},
        **{f"quantity_{x['id']}": str(x["quantity"]) for x in order["lines"]},
        "reason": "核对",
    }
    unchanged = await console.post_form(url, f"{url}/edit", same)
    assert unchanged.status_code == 303, unchanged.text
    assert "Nothing was changed." in (await console.get(url)).text
    assert (await _api(tenant, order["id"]))["version"] == order["version"]
    stale = await console.post_form(url, f"{url}/edit", {**same, "name": "李四", "version": "1"})
    assert stale.status_code == 412 and message("stale_version", "en") in stale.text
    assert (await _api(tenant, order["id"]))["receiver"]["name"] == RECEIVER["name"]


async def test_unmerge_gives_the_originals_back_and_is_refused_for_an_order_not_merged(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    customer = str(uuid.uuid4())
    first = await awaiting_review(tenant, 1, customer=customer)
    second = await awaiting_review(tenant, 2, customer=customer)
    await signed_in(console, tenant)
    url = f"{QUEUE}/{first['id']}"
    assert f"{url}/unmerge" not in (await console.get(url)).text  # not a merged order
    refused = await console.post_form(
        url, f"{url}/unmerge", {"version": str(first["version"]), "reason": "x"}
    )
    assert refused.status_code == 409
    said = message("orders_not_mergeable", "en", condition="not_a_merged_order")
    assert said in refused.text
    merged = await console.post_form(
        url, f"{url}/merge", {"order_ids": second["id"], "reason": "同一买家"}
    )
    target = merged.headers["location"]
    page = await console.get(target)
    assert f"{target}/unmerge" in page.text
    undone = await console.post_form(
        target, f"{target}/unmerge", {"version": _field(page.text, "version"), "reason": "拆回"}
    )
    assert undone.status_code == 303 and undone.headers["location"] == target
    shown = await console.get(target)
    assert first["number"] in shown.text and second["number"] in shown.text  # the message
    assert "Unmerged" in shown.text
    assert (await _api(tenant, first["id"]))["status"] == "awaiting_review"
    assert (await _api(tenant, second["id"]))["status"] == "awaiting_review"
    assert (await _api(tenant, target.rsplit("/", 1)[1]))["status"] == "cancelled"
    assert f"{target}/unmerge" not in shown.text


async def test_rejoin_adds_the_parts_back_and_is_refused_once_a_part_moved_on(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    order = await awaiting_review(tenant, 1, 2)
    await signed_in(console, tenant)
    url = f"{QUEUE}/{order['id']}"
    assert f"{url}/rejoin" not in (await console.get(url)).text  # not split
    split = {"version": str(order["version"]), "line_ids": order["lines"][1]["id"], "reason": "拆"}
    assert (await console.post_form(url, f"{url}/split", split)).status_code == 303
    page = await console.get(url)
    assert f"{url}/rejoin" in page.text and "Split into parts" in page.text
    rejoined = await console.post_form(
        url, f"{url}/rejoin", {"version": _field(page.text, "version"), "reason": "合回"}
    )
    assert rejoined.status_code == 303
    page = await console.get(url)
    assert "The parts are rejoined into this order." in page.text
    back = await _api(tenant, order["id"])
    assert back["status"] == "awaiting_review" and len(back["lines"]) == 2
    other = await awaiting_review(tenant, 1, 2)  # (a rejoined order split again: below)
    other_url = f"{QUEUE}/{other['id']}"
    cut = {"version": str(other["version"]), "line_ids": other["lines"][1]["id"], "reason": "拆"}
    assert (await console.post_form(other_url, f"{other_url}/split", cut)).status_code == 303
    retired = await _api(tenant, other["id"])
    part_url = f"{QUEUE}/{retired['splitInto'][0]}"
    part = await console.get(part_url)
    approved = await console.post_form(
        part_url, f"{part_url}/approve", {"version": _field(part.text, "version")}
    )
    assert approved.status_code == 303
    refused = await console.post_form(
        other_url, f"{other_url}/rejoin", {"version": str(retired["version"]), "reason": "合回"}
    )
    assert refused.status_code == 409
    assert message("order_split_refused", "en", reason="parts_moved_on") in refused.text
    assert (await _api(tenant, other["id"]))["splitInto"] == retired["splitInto"]


FRAUD_RULE = [
    {
        "id": "fraud",
        "name": "可疑订单",
        "priority": 10,
        "conditions": [],
        "actions": [{"kind": "mark_abnormal", "type": "suspected_fraud"}],
    }
]


async def test_the_rules_are_saved_from_the_console_at_the_version_shown(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    await signed_in(console, tenant)
    page = await console.get(RULES_PAGE)
    assert 'name="rules"' in page.text and _field(page.text, "version") == "0"
    draft = json.dumps(FRAUD_RULE, ensure_ascii=False)
    bad = await console.post_form(RULES_PAGE, RULES_PAGE, {"rules": "[oops", "version": "0"})
    assert bad.status_code == 422 and message("invalid_value", "en") in bad.text
    wrong = json.dumps([{**FRAUD_RULE[0], "actions": [{"kind": "teleport"}]}])
    refused = await console.post_form(RULES_PAGE, RULES_PAGE, {"rules": wrong, "version": "0"})
    assert refused.status_code == 422
    saved = await console.post_form(RULES_PAGE, RULES_PAGE, {"rules": draft, "version": "0"})
    assert saved.status_code == 303 and saved.headers["location"] == RULES_PAGE
    page = await console.get(RULES_PAGE)
    assert "The rules are saved (version 1)." in page.text and "fraud@v1" in page.text
    assert "可疑订单" in _field_text(page.text)  # the current rules, as JSON to edit
    same = await console.post_form(RULES_PAGE, RULES_PAGE, {"rules": draft, "version": "1"})
    assert same.status_code == 303
    assert "Nothing was changed." in (await console.get(RULES_PAGE)).text
    stale = await console.post_form(RULES_PAGE, RULES_PAGE, {"rules": "[]", "version": "0"})
    assert stale.status_code == 412 and message("stale_version", "en") in stale.text
    api = await tenant.client.get(f"{BASE}/rules", headers=await tenant.headers("owner"))
    assert api.json()["version"] == 1 and len(api.json()["rules"]) == 1


def _field_text(html: str) -> str:
    return html.split('name="rules"')[1].split("</textarea>", maxsplit=1)[0]


async def test_an_abnormality_is_resolved_from_the_order_page(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    owner = await tenant.headers("owner")
    saved = await tenant.client.put(
        f"{BASE}/rules", json={"rules": FRAUD_RULE}, headers={**owner, "If-Match": '"v0"'}
    )
    assert saved.status_code == 200, saved.text
    sku = await stocked_sku(tenant.client, owner, 5, "20.00")
    order = await paid(
        tenant,
        await placed(tenant, {"lines": [{"skuId": sku, "quantity": 1}], "receiver": RECEIVER}),
    )
    assert order["status"] == "abnormal", order
    await signed_in(console, tenant)
    url = f"{QUEUE}/{order['id']}"
    page = await console.get(url)
    assert f"{url}/resolve-abnormal" in page.text and "Marked abnormal" in page.text
    version = _field(page.text, "version")
    bad = await console.post_form(
        url, f"{url}/resolve-abnormal", {"version": version, "type": "lost", "reason": "x"}
    )
    assert bad.status_code == 422 and "Choose one of" in bad.text
    form = {"version": version, "type": "suspected_fraud", "reason": "已核实"}
    resolved = await console.post_form(url, f"{url}/resolve-abnormal", form)
    assert resolved.status_code == 303
    page = await console.get(url)
    assert "The abnormality is resolved." in page.text
    assert f"{url}/resolve-abnormal" not in page.text
    after = await _api(tenant, order["id"])
    assert after["status"] == "awaiting_review"
    refused = await console.post_form(
        url, f"{url}/resolve-abnormal", {**form, "version": str(after["version"])}
    )
    assert refused.status_code == 409
    assert message("order_abnormal_release_refused", "en") in refused.text
