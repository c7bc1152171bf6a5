"""Order files over HTTP on the real database (ORD-9, CHN-2, ORD-3, ORD-7): a CSV in
Shopify's order-export layout and the JSON order file are uploaded, checked (the dry run)
and committed through the channel intake — the same file twice creates nothing new, a
changed address updates the order, an unmapped SKU code marks the order abnormal
``sku_not_mapped`` and the mapping's arrival releases it, a refund done on the platform is
recorded against the payment once, the status change reaches the inbox, and row errors are
reported in the caller's language without changing anything."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import httpx

from application.orders.channels.imports.service import OrderImports
from tests.conftest import TenantHandle
from tests.e2e.orders.support import BASE, channel, stocked_sku

IMPORTS = f"{BASE}/channels/imports"
HEADER = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Currency,Subtotal,Shipping,Taxes,"
    "Total,Discount Code,Discount Amount,Created at,Lineitem quantity,Lineitem name,"
    "Lineitem price,Lineitem sku,Billing Name,Shipping Name,Shipping Address1,"
    "Shipping Address2,Shipping City,Shipping Zip,Shipping Province,Shipping Country,"
    "Shipping Phone,Notes,Payment Method,Id"
)


def _shopify(street: str = "文三路 1 号") -> bytes:
    """Two orders: #1001 with a mapped and an unmapped line (paid 58.80 with shipping
    10.00), #1002 with a discount of 1.90 (paid 18.00); order fields on the first row."""
    rows = [
        HEADER,
        "#1001,a@example.com,paid,2026-11-11 00:03:12 +0800,unfulfilled,CNY,48.80,10.00,0.00,"
        "58.80,,0.00,2026-11-11 00:01:00 +0800,2,衬衫,19.90,SHIRT-A,张三,张三,文一路 9 号,"
        "西湖区,杭州市,310000,浙江省,CN,13800001234,周末送货,alipay,5001",
        "#1001,,,,,,,,,,,,,1,杯子,9.00,MUG-B,,,,,,,,,,,,",
        "#1002,b@example.com,paid,2026-11-11 00:05:00 +0800,unfulfilled,CNY,19.90,0.00,0.00,"
        f"18.00,D11,1.90,2026-11-11 00:04:00 +0800,1,衬衫,19.90,SHIRT-A,李四,李四,{street},"
        "西湖区,杭州市,310000,浙江省,CN,13900005678,,alipay,5002",
    ]
    return ("\r\n".join(rows) + "\r\n").encode()


async def _imported(
    tenant: TenantHandle,
    client: httpx.AsyncClient,
    headers: dict[str, str],
    channel_id: str,
    name: str,
    body: bytes,
    *,
    commit: bool = True,
) -> dict[str, Any]:
    """Upload, check (the dry run) and — unless told not to — commit; the import."""
    service = tenant.container.get(OrderImports)
    uploaded = await client.post(
        f"{BASE}/channels/{channel_id}/imports", files={"file": (name, body)}, headers=headers
    )
    assert uploaded.status_code == 202, uploaded.text
    url = uploaded.headers["location"]
    await service.run_check(tenant.id, UUID(uploaded.json()["checkJob"]["id"]))
    checked = await client.get(url, headers=headers)
    assert checked.json()["status"] == "checked", checked.text
    if not commit:
        return dict(checked.json())
    started = await client.post(
        f"{url}/commit", json={}, headers={**headers, "If-Match": checked.headers["etag"]}
    )
    assert started.status_code == 202, started.text
    await service.run_commit(tenant.id, UUID(started.json()["commitJob"]["id"]))
    done = await client.get(url, headers=headers)
    assert done.json()["status"] == "committed", done.text
    return dict(done.json())


async def _orders(
    client: httpx.AsyncClient, headers: dict[str, str], channel_id: str
) -> dict[str, dict[str, Any]]:
    """The channel's orders by platform order id, each read whole."""
    listed = await client.get(BASE, params={"channelId": channel_id}, headers=headers)
    assert listed.status_code == 200, listed.text
    found = {}
    for item in listed.json()["items"]:
        order = await client.get(f"{BASE}/{item['id']}", headers=headers)
        found[order.json()["platformOrderIds"][0]] = order.json()
    return found


async def test_shopify_csv_import_is_idempotent_updates_and_releases_unmapped_ord_9_chn_2_ord_7(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    service = await tenant.headers("customer_service")
    shirt = await stocked_sku(client, owner, 10, "20.00")
    mug = await stocked_sku(client, owner, 10, "9.00")
    channel_id = await channel(client, owner, "shopify_csv")
    mappings = f"{BASE}/channels/{channel_id}/sku-mappings"
    put = await client.put(
        mappings, json={"channelSkuCode": "SHIRT-A", "skuId": shirt}, headers=owner
    )
    assert put.status_code == 200, put.text

    first = await _imported(tenant, client, owner, channel_id, "orders_export.csv", _shopify())
    assert first["counts"] == {
        "rows": 3,
        "orders": 2,
        "new": 2,
        "known": 0,
        "unmapped": 1,
        "rejected": 0,
        "placed": 2,
        "updated": 0,
        "failed": 0,
    }
    orders = await _orders(client, owner, channel_id)
    assert sorted(orders) == ["#1001", "#1002"]
    waiting, paid = orders["#1001"], orders["#1002"]
    # The unmapped code: placed with its mapped line, unpaid, abnormal sku_not_mapped.
    assert waiting["status"] == "abnormal" and waiting["source"] == "marketplace"
    [abnormal] = waiting["abnormalities"]
    assert (abnormal["type"], abnormal["detail"]["codes"]) == ("sku_not_mapped", "MUG-B")
    assert [(line["skuId"], line["quantity"]) for line in waiting["lines"]] == [(shirt, 2)]
    assert waiting["paidAmount"] == "0.00" and waiting["buyerMessage"] == "周末送货"
    # The discount is a platform discount line; paid in full, it waits for review.
    assert paid["status"] == "awaiting_review"
    assert (paid["total"], paid["paidAmount"], paid["discountTotal"]) == ("18.00", "18.00", "1.90")
    assert paid["lines"][0]["platformSubOrderId"] == "#1002-1"
    # ORD-7: the intake's status change reached the customer service inbox.
    inbox = (await client.get("/api/v1/inbox", headers=service)).json()["items"]
    assert any(
        m["topic"] == "order.status_changed" and waiting["number"] in m["title"] for m in inbox
    )

    # The same file again creates nothing new; a changed address updates #1002.
    again = await _imported(
        tenant, client, owner, channel_id, "orders_export.csv", _shopify("文二路 8 号")
    )
    assert (again["counts"]["new"], again["counts"]["known"]) == (0, 2)
    assert (again["counts"]["placed"], again["counts"]["updated"]) == (0, 1)
    after = await _orders(client, owner, channel_id)
    assert sorted(after) == ["#1001", "#1002"]
    assert after["#1002"]["receiver"]["address"]["line"] == "文二路 8 号"
    assert after["#1002"]["id"] == paid["id"]
    timeline = await client.get(f"{BASE}/{paid['id']}/timeline", headers=owner)
    assert "address_changed" in [e["kind"] for e in timeline.json()]

    # The mapping arrives: #1001 gets its line and its payment, and is released.
    put = await client.put(mappings, json={"channelSkuCode": "MUG-B", "skuId": mug}, headers=owner)
    assert put.status_code == 200, put.text
    released = (await client.get(f"{BASE}/{waiting['id']}", headers=owner)).json()
    assert released["abnormalities"] == []
    assert released["status"] == "awaiting_review"
    assert sorted((line["skuId"], line["quantity"]) for line in released["lines"]) == sorted(
        [(shirt, 2), (mug, 1)]
    )
    assert (released["total"], released["paidAmount"]) == ("58.80", "58.80")


def _json_order(pid: str, code: str, quantity: Any, **extra: Any) -> dict[str, Any]:
    return {
        "platformOrderId": pid,
        "subOrders": [
            {
                "subOrderId": f"{pid}-1",
                "channelSkuCode": code,
                "quantity": quantity,
                "unitPrice": "30.00",
                "title": "礼盒",
            }
        ],
        "receiver": {
            "name": "王五",
            "phone": "13700001111",
            "province": "广东省",
            "city": "深圳市",
            "district": "南山区",
            "address": "科技园 3 栋",
        },
        "paidAmount": "30.00",
        "paidAt": "2026-11-11T00:10:00+08:00",
        "modifiedAt": "2026-11-11T00:10:00+08:00",
        **extra,
    }


async def test_json_import_reports_row_errors_and_records_platform_refunds_once_ord_9_ord_3(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    gift = await stocked_sku(client, owner, 10, "30.00")
    channel_id = await channel(client, owner, "json_shop")
    mapped = await client.put(
        f"{BASE}/channels/{channel_id}/sku-mappings",
        json={"channelSkuCode": "BOX", "skuId": gift},
        headers=owner,
    )
    assert mapped.status_code == 200
    good = _json_order("J-1", "BOX", 1, refundStatus="refunded")
    body = json.dumps({"orders": [good, _json_order("J-2", "BOX", 0)]}).encode()

    checked = await _imported(tenant, client, owner, channel_id, "orders.json", body, commit=False)
    assert (checked["counts"]["orders"], checked["counts"]["rejected"]) == (1, 1)
    [error] = checked["firstErrors"]
    assert (error["row"], error["column"], error["code"]) == (
        2,
        "subOrders[0].quantity",
        "invalid_quantity",
    )
    url = f"{IMPORTS}/{checked['id']}"
    report = await client.get(f"{url}/errors", headers={**owner, "Accept-Language": "zh-CN"})
    assert report.status_code == 200 and "subOrders[0].quantity" in report.text
    assert "数量须为 1 到 100000 之间的整数" in report.text
    # A file with errors takes nothing unless validOnly.
    etag = (await client.get(url, headers=owner)).headers["etag"]
    refused = await client.post(f"{url}/commit", json={}, headers={**owner, "If-Match": etag})
    assert refused.status_code == 409 and refused.json()["code"] == "import_has_errors"
    assert await _orders(client, owner, channel_id) == {}

    # The valid file: the order is placed paid, then refunded against its payment.
    clean = json.dumps({"orders": [good]}).encode()
    for _ in range(2):  # twice: the refund is recorded once
        await _imported(tenant, client, owner, channel_id, "orders.json", clean)
    [order] = (await _orders(client, owner, channel_id)).values()
    [payment] = order["payments"]
    [refund] = order["refunds"]
    assert (payment["transactionId"], payment["amount"]) == ("J-1:paid", "30.00")
    assert (refund["paymentId"], refund["amount"]) == (payment["id"], "30.00")
    assert refund["transactionId"] == "J-1:paid:refund"
    assert order["status"] == "abnormal"
    assert [a["type"] for a in order["abnormalities"]] == ["refund_requested"]
    # Without orders:import there is no import.
    warehouse = await tenant.headers("warehouse")
    assert (await client.get(url, headers=warehouse)).status_code == 403


def _xlsx(csv: bytes) -> bytes:
    """The same rows as a workbook, the way a spreadsheet keeps them: numbers as numbers
    (quantities, prices, the zip code), everything else as text."""
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("orders_export")
    for r, line in enumerate(csv.decode().splitlines()):
        for c, cell in enumerate(line.split(",")):
            try:
                sheet.write_number(r, c, float(cell)) if cell else None
            except ValueError:
                sheet.write_string(r, c, cell)
    book.close()
    return buffer.getvalue()


async def test_an_xlsx_order_file_is_the_csv_layout_with_the_same_row_report_ord_9(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """ORD-9: an XLSX in Shopify's layout is read as the CSV is — the same counts, the
    same orders, the same row report (row numbers and column names) — and a second import
    of it creates nothing new."""
    owner = {**await tenant.headers("owner"), "Accept-Language": "en"}
    shirt = await stocked_sku(client, owner, 10, "20.00")
    mug = await stocked_sku(client, owner, 10, "9.00")
    by_format: dict[str, dict[str, Any]] = {}
    for fmt in ("csv", "xlsx"):
        channel_id = await channel(client, owner, f"shopify_{fmt}")
        for code, sku in (("SHIRT-A", shirt), ("MUG-B", mug)):
            put = await client.put(
                f"{BASE}/channels/{channel_id}/sku-mappings",
                json={"channelSkuCode": code, "skuId": sku},
                headers=owner,
            )
            assert put.status_code == 200, put.text
        bad = _shopify().replace(
            b",1,\xe6\x9d\xaf\xe5\xad\x90,", b",lots,\xe6\x9d\xaf\xe5\xad\x90,"
        )
        body = bad if fmt == "csv" else _xlsx(bad)
        checked = await _imported(
            tenant, client, owner, channel_id, f"orders_export.{fmt}", body, commit=False
        )
        errors = await client.get(f"{IMPORTS}/{checked['id']}/errors", headers=owner)
        assert errors.status_code == 200, errors.text
        by_format[fmt] = {"counts": checked["counts"], "errors": errors.text}
        good = _shopify() if fmt == "csv" else _xlsx(_shopify())
        done = await _imported(tenant, client, owner, channel_id, f"orders_export.{fmt}", good)
        assert (done["counts"]["placed"], done["counts"]["failed"]) == (2, 0)
        orders = await _orders(client, owner, channel_id)
        assert {pid: (o["total"], o["paidAmount"]) for pid, o in orders.items()} == {
            "#1001": ("58.80", "58.80"),
            "#1002": ("18.00", "18.00"),
        }
        by_format[fmt]["orders"] = {pid: len(o["lines"]) for pid, o in orders.items()}
        again = await _imported(tenant, client, owner, channel_id, f"orders_export.{fmt}", good)
        assert (again["counts"]["placed"], again["counts"]["known"]) == (0, 2)
    assert by_format["xlsx"] == by_format["csv"]
    assert by_format["csv"]["counts"]["rejected"] == 1
    assert "Lineitem quantity" in by_format["csv"]["errors"]
