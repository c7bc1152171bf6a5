"""Thresholds, alerts, the alert robot, the daily position and the analysis over HTTP
(INV-3, INV-9, INV-10): If-Match on thresholds, one alert per crossing listed and read,
problem+json in three languages, values hidden without ``inventory:costing``."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import httpx

from application.inventory.imports.service import StockImports
from tests.conftest import TenantHandle
from tests.e2e.inventory.test_inventory_api import BASE, sku_of, warehouse


async def test_thresholds_and_alerts_over_http(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    sku = await sku_of(client, owner, "ALERT")
    main = await warehouse(client, owner, "AL-1")
    url = f"{BASE}/warehouses/{main}/thresholds/{sku}"
    empty = await client.get(url, headers=owner)
    assert empty.status_code == 200 and empty.headers["etag"] == '"v0"'
    assert empty.json() == {
        "skuId": sku,
        "warehouseId": main,
        "low": None,
        "high": None,
        "version": 0,
    }
    assert (await client.put(url, json={"low": 5}, headers=owner)).status_code == 428
    for language, text in (
        ("en", "above"),
        ("zh-CN", "高于"),
        ("zh-TW", "高於"),
    ):
        bad = await client.put(
            url,
            json={"low": 5, "high": 5},
            headers={**owner, "If-Match": '"v0"', "Accept-Language": language},
        )
        assert bad.status_code == 422, bad.text
        assert bad.headers["content-type"].startswith("application/problem+json")
        [error] = bad.json()["errors"]
        assert error["code"] == "threshold_high_not_above_low" and text in error["message"]
    put = await client.put(url, json={"low": 5, "high": 50}, headers={**owner, "If-Match": '"v0"'})
    assert put.status_code == 200 and put.headers["etag"] == '"v1"', put.text
    listed = await client.get(f"{BASE}/thresholds", params={"warehouseId": "AL-1"}, headers=owner)
    assert [t["skuId"] for t in listed.json()["items"]] == [sku]

    for quantity in (3, 1):  # 3, then 4: below 5 twice, one alert
        receipt = {"skuId": sku, "warehouse": "AL-1", "quantity": quantity}
        moved = await client.post(f"{BASE}/receipts", json=receipt, headers=owner)
        assert moved.status_code == 201, moved.text
    alerts = await client.get(f"{BASE}/alerts", params={"status": "open"}, headers=owner)
    [alert] = alerts.json()["items"]
    assert (alert["kind"], alert["threshold"], alert["quantity"]) == ("low", 5, 3)
    assert alert["warehouseCode"] == "AL-1" and alert["skuCode"] == "ALERT-A"
    one = await client.get(f"{BASE}/alerts/{alert['id']}", headers=owner)
    assert one.status_code == 200 and one.json()["id"] == alert["id"]
    missing = await client.get(
        f"{BASE}/alerts/01900000-0000-7000-8000-000000000000",
        headers={**owner, "Accept-Language": "zh-CN"},
    )
    assert missing.status_code == 404

    # The warehouse role may read alerts; customer service may not set thresholds.
    service = await tenant.headers("customer_service")
    refused = await client.put(url, json={"low": 1}, headers={**service, "If-Match": '"v1"'})
    assert refused.status_code == 403


async def test_category_defaults_and_the_robot_over_http(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    category = await client.post("/api/v1/catalog/categories", json={"name": "鞋靴"}, headers=owner)
    assert category.status_code == 201, category.text
    category_id = category.json()["id"]
    put = await client.put(
        f"{BASE}/categories/{category_id}/thresholds",
        json={"low": 3},
        headers={**owner, "If-Match": '"v0"'},
    )
    assert put.status_code == 200 and put.json()["low"] == 3, put.text
    listed = await client.get(f"{BASE}/category-thresholds", headers=owner)
    assert [(t["categoryId"], t["low"]) for t in listed.json()] == [(category_id, 3)]

    robot = await client.put(
        f"{BASE}/alert-robot",
        json={"kind": "wecom", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"},
        headers={**owner, "If-Match": '"v0"'},
    )
    assert robot.status_code == 200 and robot.headers["etag"] == '"v1"', robot.text
    assert robot.json()["url"] == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?…"
    shown = await client.get(f"{BASE}/alert-robot", headers=owner)
    assert shown.json()["kind"] == "wecom" and "key=k" not in shown.text
    removed = await client.put(
        f"{BASE}/alert-robot", json={"kind": None}, headers={**owner, "If-Match": '"v1"'}
    )
    assert removed.json() == {"kind": None, "url": None, "version": 0}


async def test_position_and_analysis_over_http(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    sku = await sku_of(client, owner, "POS")
    main = await warehouse(client, owner, "PS-1")
    for code in ("A-01", "A-02"):
        added = await client.post(
            f"{BASE}/warehouses/{main}/bins", json={"code": code}, headers=owner
        )
        assert added.status_code == 201, added.text
    receipt = {"skuId": sku, "warehouseId": main, "quantity": 10, "unitCost": "2.5"}
    assert (await client.post(f"{BASE}/receipts", json=receipt, headers=owner)).status_code == 201
    issue = {"skuId": sku, "warehouseId": main, "quantity": 4}
    assert (await client.post(f"{BASE}/issues", json=issue, headers=owner)).status_code == 201

    position = await client.get(f"{BASE}/position", params={"warehouseId": "PS-1"}, headers=owner)
    assert position.status_code == 200, position.text
    body = position.json()
    assert body["costsShown"] is True and body["timeZone"]
    [row] = body["warehouses"]
    assert (row["onHand"], row["receivedToday"], row["issuedToday"]) == (6, 10, 4)
    assert (row["bins"], row["freeBins"]) == (2, 2)
    assert (row["costAmount"], row["stockValue"]) == ("15.00", "54.00")
    assert body["stockValueAtTodaysPrices"] is False
    # INV-9: a past day (before anything moved): that day's figures, and its value priced
    # at today's list prices (said so)
    yesterday = (date.fromisoformat(body["date"]) - timedelta(days=1)).isoformat()
    past = await client.get(
        f"{BASE}/position", params={"warehouseId": "PS-1", "date": yesterday}, headers=owner
    )
    assert past.status_code == 200, past.text
    assert past.json()["stockValueAtTodaysPrices"] is True
    [then] = past.json()["warehouses"]
    assert (then["onHand"], then["skus"], then["receivedToday"]) == (0, 0, 0)
    warehouse_staff = await tenant.headers("warehouse")
    hidden = await client.get(f"{BASE}/position", headers=warehouse_staff)
    assert hidden.json()["costsShown"] is False
    assert all(w["costAmount"] is None for w in hidden.json()["warehouses"])

    day = body["date"]
    turnover = await client.get(
        f"{BASE}/analysis/turnover", params={"from": day, "to": day}, headers=owner
    )
    assert turnover.status_code == 200, turnover.text
    [item] = turnover.json()["items"]
    assert (item["issued"], item["opening"], item["closing"]) == (4, 0, 6)
    assert item["turnover"] == "1.33" and item["daysOfStock"] == "1.50"
    reversed_ = await client.get(
        f"{BASE}/analysis/turnover",
        params={"from": day, "to": "2000-01-01"},
        headers={**owner, "Accept-Language": "en"},
    )
    assert (
        reversed_.status_code == 422 and reversed_.json()["errors"][0]["code"] == "period_reversed"
    )
    idle = await client.get(f"{BASE}/analysis/idle-stock", params={"slowDays": 1}, headers=owner)
    assert idle.status_code == 200 and idle.json()["slowMoving"] == [] == idle.json()["dead"]


async def test_the_opening_stock_import_over_http(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """#10: upload → the check job (a dry run) → the report in the caller's language →
    commit with If-Match → receipts with source type opening_stock."""
    owner = await tenant.headers("owner")
    sku = await sku_of(client, owner, "OPEN")
    await warehouse(client, owner, "OP-1")
    body = b"sku_code,warehouse_code,quantity\r\nOPEN-A,OP-1,8\r\nNOPE,OP-1,1\r\n"
    uploaded = await client.post(
        f"{BASE}/stock-imports", files={"file": ("open.csv", body, "text/csv")}, headers=owner
    )
    assert uploaded.status_code == 202, uploaded.text
    url = uploaded.headers["location"]
    service = tenant.container.get(StockImports)
    await service.run_check(tenant.id, UUID(uploaded.json()["checkJob"]["id"]))
    checked = await client.get(url, headers={**owner, "Accept-Language": "zh-CN"})
    assert checked.json()["status"] == "checked", checked.text
    assert checked.json()["counts"] == {"rows": 2, "valid": 1, "rejected": 1, "units": 8}
    [error] = checked.json()["firstErrors"]
    assert (error["row"], error["code"]) == (3, "unknown_sku_code") and "NOPE" in error["message"]
    report = await client.get(f"{url}/errors", headers={**owner, "Accept-Language": "en"})
    assert report.status_code == 200 and "There is no SKU with the code NOPE" in report.text
    refused = await client.post(
        f"{url}/commit", json={}, headers={**owner, "If-Match": checked.headers["etag"]}
    )
    assert refused.status_code == 409 and refused.json()["code"] == "import_has_errors"
    started = await client.post(
        f"{url}/commit",
        json={"validOnly": True},
        headers={**owner, "If-Match": checked.headers["etag"]},
    )
    assert started.status_code == 202, started.text
    await service.run_commit(tenant.id, UUID(started.json()["commitJob"]["id"]))
    done = await client.get(url, headers=owner)
    assert done.json()["status"] == "committed"
    ledger = await client.get(f"{BASE}/ledger", params={"skuId": sku}, headers=owner)
    [row] = ledger.json()["items"]
    assert (row["kind"], row["sourceType"]) == ("receipt", "opening_stock")
    # Without inventory:write there is no import at all.
    service_staff = await tenant.headers("customer_service")
    assert (await client.get(url, headers=service_staff)).status_code == 403
