"""ORD-1 in the console: staff enter an order by hand on "New order" — SKUs by code or
barcode, quantities, channel, customer, receiver, messages, memo flag, cash on delivery and
a payment already received — and the API's ``PlaceOrder`` places it with source staff,
its stock reserved; the form sent again places nothing more. A missing receiver field, an
unknown SKU code, a malformed payment or missing stock shows the form again as typed with
the problem in the caller's language, and nothing is written. A role without
``orders:write`` sees no link and is refused."""

from __future__ import annotations

import re
from typing import Any

import httpx

from entrypoints.messages import message
from tests.conftest import TenantHandle
from tests.e2e.console.support import ConsoleClient, csrf_token
from tests.e2e.customers.isolation_routes import _customer
from tests.e2e.orders.support import BASE, all_orders, available, channel, sku_code, stocked_sku

QUEUE = "/console/orders"
NEW = "/console/orders/new"
BOOSTED = {"HX-Request": "true", "HX-Boosted": "true"}
RECEIVER = {
    "name": "李四",
    "phone": "13900001111",
    "province": "广东省",
    "city": "深圳市",
    "district": "南山区",
    "line": "科技园 8 栋 1201",
    "postal_code": "518057",
}


async def signed_in(
    console: ConsoleClient, tenant: TenantHandle, role: str = "owner", language: str = "en"
) -> None:
    await console.sign_in_as(tenant, role)
    chosen = await console.post_form(
        "/console", "/console/language", {"language": language, "next": "/console"}
    )
    assert chosen.status_code == 303


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"the form carries no {name}"
    return found[1]


async def _form(console: ConsoleClient, query: str = "") -> dict[str, Any]:
    """The blank form's own fields (CSRF token, key, the payment's reference)."""
    shown = await console.get(NEW + query)
    assert shown.status_code == 200, shown.text
    return {
        "_csrf_token": csrf_token(shown.text),
        "key": _hidden(shown.text, "key"),
        "payment_reference": _hidden(shown.text, "payment_reference"),
    }


async def _written(tenant: TenantHandle) -> list[str]:
    """The company's audit records of changes made (a refusal writes none)."""
    found = await tenant.client.get(
        "/api/v1/audit", params={"limit": 100}, headers=await tenant.headers("owner")
    )
    assert found.status_code == 200, found.text
    return [e["id"] for e in found.json()["items"] if e["outcome"] == "success"]


async def test_a_staff_order_entered_on_the_form_is_placed_priced_paid_and_its_stock_reserved(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    shirt = await stocked_sku(client, owner, 10, "20.00")
    mug = await stocked_sku(client, owner, 5, "15.00")
    shop = await channel(client, owner, "phone_sales")
    customer = await _customer(tenant, client)
    await signed_in(console, tenant)
    queue = await console.get(QUEUE)
    assert f'href="{NEW}"' in queue.text and "New order" in queue.text
    profile = await console.get(f"/console/customers/{customer}")
    assert f'href="{NEW}?customer={customer}"' in profile.text  # for this customer
    own = await _form(console, f"?customer={customer}")
    shown = await console.get(f"{NEW}?customer={customer}")
    assert "王小明" in shown.text and f'value="{customer}"' in shown.text
    form = {
        **own,
        **RECEIVER,
        "sku": [sku_code(shirt), sku_code(mug).lower(), ""],  # codes as typed; a blank row
        "quantity": ["2", "1", "1"],
        "channel": shop,
        "customer": customer,
        "buyer_message": "请周末送达",
        "seller_memo": "老客户，送贺卡",
        "memo_flag": "red",
        "cash_on_delivery": "",
        "payment_method": "wechat_pay",
        "payment_amount": "55.00",  # 2 × 20.00 + 15.00: paid in full
    }
    placed = await console.http.post(NEW, data=form)
    assert placed.status_code == 303, placed.text
    location = placed.headers["location"]
    assert re.fullmatch(rf"{QUEUE}/[0-9a-f-]{{36}}", location), location
    order_id = location.rsplit("/", 1)[1]

    page = await console.get(location)
    order = (await client.get(f"{BASE}/{order_id}", headers=owner)).json()
    assert f"Order {order['number']} is placed." in page.text
    assert sku_code(shirt) in page.text and sku_code(mug) in page.text  # lines by code
    assert "¥55.00" in page.text and "Entered by staff" in page.text
    assert "李四" in page.text and "科技园 8 栋 1201" in page.text
    assert "老客户，送贺卡" in page.text and 'class="flag flag-red">Red<' in page.text
    assert "WeChat Pay" in page.text  # the payment received, recorded

    assert order["source"] == "staff"
    assert [(line["skuId"], line["quantity"]) for line in order["lines"]] == [
        (shirt, 2),
        (mug, 1),
    ]
    assert [line["unitPrice"] for line in order["lines"]] == ["20.00", "15.00"]  # priced
    assert order["total"] == "55.00" and order["paidAmount"] == "55.00"
    assert order["status"] == "awaiting_review"  # paid in full: waiting for review
    assert [(p["method"], p["amount"]) for p in order["payments"]] == [("wechat_pay", "55.00")]
    assert order["payments"][0]["transactionId"] == own["payment_reference"]
    assert order["receiver"]["name"] == "李四"
    assert order["receiver"]["address"] == {
        "province": "广东省",
        "city": "深圳市",
        "district": "南山区",
        "line": "科技园 8 栋 1201",
        "postalCode": "518057",
    }
    assert (order["channelId"], order["customerId"]) == (shop, customer)
    assert (order["buyerMessage"], order["sellerMemo"], order["memoFlag"]) == (
        "请周末送达",
        "老客户，送贺卡",
        "red",
    )
    assert order["cashOnDelivery"] is False
    assert order["reserved"] == {shirt: 2, mug: 1}
    assert await available(client, owner, shirt) == 8  # reserved in the same transaction
    assert await available(client, owner, mug) == 4

    # The same form sent again (a double click, a reload): the order it placed, once.
    again = await console.http.post(NEW, data=form)
    assert again.status_code == 303 and again.headers["location"] == location
    note = await console.get(location)
    assert "This form was already sent" in note.text
    assert [o["id"] for o in await all_orders(client, owner)] == [order_id]
    after = (await client.get(f"{BASE}/{order_id}", headers=owner)).json()
    assert len(after["payments"]) == 1 and await available(client, owner, shirt) == 8


async def test_a_missing_receiver_field_or_an_unknown_sku_shows_the_form_again_and_writes_nothing(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    shirt = await stocked_sku(client, owner, 10, "20.00")
    await signed_in(console, tenant, language="zh-CN")  # the caller's language
    before = await _written(tenant)
    own = await _form(console)
    typed = {**own, **RECEIVER, "name": " ", "sku": [sku_code(shirt), "NOPE-404"]}
    typed |= {"quantity": ["3", "1"], "seller_memo": "先别发"}
    refused = await console.http.post(NEW, data=typed)
    assert refused.status_code == 422, refused.text
    text = refused.text
    assert message("unknown_sku_code", "zh-CN", sku="NOPE-404") in text  # the code named
    assert message("required", "zh-CN") in text  # the receiver's name
    assert "<code>name</code>" in text and "<code>lines[1].sku</code>" in text
    assert 'name="name" value=" "' in text and 'aria-invalid="true"' in text
    # what was typed stays: the lines, the other receiver fields, the memo, the form's key
    assert 'value="NOPE-404"' in text and f'value="{sku_code(shirt)}"' in text
    assert 'value="3"' in text and 'value="科技园 8 栋 1201"' in text and "先别发" in text
    assert _hidden(text, "key") == own["key"]

    # a receiver's field left out, through htmx (a boosted form): the problem only, in
    # #feedback — the page keeps the typing in the browser
    only = {**own, **RECEIVER, "sku": [sku_code(shirt)], "quantity": ["1"]}
    del only["district"]
    boosted = await console.http.post(NEW, data=only, headers=BOOSTED)
    assert boosted.status_code == 422 and boosted.headers["hx-retarget"] == "#feedback"
    assert "<form" not in boosted.text and message("required", "zh-CN") in boosted.text
    assert "<code>district</code>" in boosted.text

    # a payment with no method, or an amount not in fen: refused before anything is placed
    paying = {**only, "district": "南山区", "payment_amount": "10.005"}
    odd = await console.http.post(NEW, data=paying)
    assert odd.status_code == 422
    assert message("amount_not_in_minor_unit", "zh-CN", currency="CNY") in odd.text
    half = await console.http.post(NEW, data={**paying, "payment_amount": "10.00"})
    assert half.status_code == 422 and "<code>payment_method</code>" in half.text

    assert await all_orders(client, owner) == []
    assert await available(client, owner, shirt) == 10
    assert await _written(tenant) == before  # no change in the audit trail


async def test_missing_stock_is_the_409_naming_the_skus_and_nothing_is_written(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    scarce = await stocked_sku(client, owner, 1, "30.00")
    plenty = await stocked_sku(client, owner, 9, "10.00")
    await signed_in(console, tenant)
    before = await _written(tenant)
    form = {
        **await _form(console),
        **RECEIVER,
        "sku": [sku_code(plenty), sku_code(scarce)],
        "quantity": ["1", "3"],
        "payment_method": "cash",
        "payment_amount": "100.00",
    }
    refused = await console.http.post(NEW, data=form)
    assert refused.status_code == 409, refused.text
    assert message("order_out_of_stock", "en", skus=[sku_code(scarce)]) in refused.text
    assert sku_code(plenty) not in refused.text.split('role="alert"', 1)[1].split("</div>")[0]
    assert f'value="{sku_code(scarce)}"' in refused.text and 'value="100.00"' in refused.text
    assert await all_orders(client, owner) == []
    assert await available(client, owner, scarce) == 1
    assert await available(client, owner, plenty) == 9  # all lines or none
    assert await _written(tenant) == before


async def test_a_role_without_orders_write_sees_no_link_and_is_refused(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    shirt = await stocked_sku(client, owner, 10, "20.00")
    await signed_in(console, tenant, role="warehouse")  # reads orders, may not place them
    queue = await console.get(QUEUE)
    assert queue.status_code == 200 and f'href="{NEW}"' not in queue.text
    page = await console.get(NEW)
    assert page.status_code == 403 and "orders:write" in page.text
    form = {
        **RECEIVER,
        "key": "a-form-key",
        "sku": [sku_code(shirt)],
        "quantity": ["1"],
        "_csrf_token": csrf_token(queue.text),
    }
    refused = await console.http.post(NEW, data=form)
    assert refused.status_code == 403 and "orders:write" in refused.text
    assert await all_orders(client, owner) == []
    assert await available(client, owner, shirt) == 10


async def test_customer_service_places_an_order_by_barcode_with_cash_on_delivery(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """The built-in role that takes orders by phone (``orders:write`` with the catalog's
    read to find SKUs): a SKU scanned by its barcode, cash on delivery, no payment."""
    owner = await tenant.headers("owner")
    body = {
        "code": "TEA-1",
        "name": "龙井茶",
        "skus": [{"code": "TEA-1-250G", "barcode": "6901234567892", "listPrice": "88.00"}],
    }
    made = await client.post("/api/v1/catalog/products", json=body, headers=owner)
    assert made.status_code == 201, made.text
    tea = made.json()["skus"][0]["id"]
    store = await client.post(
        "/api/v1/inventory/warehouses", json={"code": "W-TEA", "name": "杭州仓"}, headers=owner
    )
    receipt = {"skuId": tea, "warehouseId": store.json()["id"], "quantity": 4}
    assert (await client.post("/api/v1/inventory/receipts", json=receipt, headers=owner)).is_success
    await signed_in(console, tenant, role="customer_service")
    queue = await console.get(QUEUE)
    assert f'href="{NEW}"' in queue.text
    form = {
        **await _form(console),
        **RECEIVER,
        "sku": ["6901234567892"],
        "quantity": ["2"],
        "cash_on_delivery": "on",
    }
    placed = await console.http.post(NEW, data=form, headers=BOOSTED)
    assert placed.status_code == 200, placed.text
    location = placed.headers["hx-redirect"]
    order = (await client.get(f"{BASE}/{location.rsplit('/', 1)[1]}", headers=owner)).json()
    assert order["source"] == "staff" and order["cashOnDelivery"] is True
    assert order["status"] == "awaiting_review" and order["payments"] == []  # COD: reviewed
    assert order["lines"][0]["skuId"] == tea and order["lines"][0]["title"] == "龙井茶"
    assert order["total"] == "176.00" and await available(client, owner, tea) == 2
