"""Batches, expiry and serials over HTTP (INV-8): the settings with If-Match, receipts
with a batch and serials, the picking suggestion, stock per batch, the expiring-stock
report, a serial's history, and refusals as problem+json naming what was wrong."""

from __future__ import annotations

from datetime import date, timedelta

import httpx

from tests.conftest import TenantHandle
from tests.e2e.inventory.test_inventory_api import BASE, sku_of, warehouse


async def test_batches_and_serials_end_to_end(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    sku = await sku_of(client, owner, "MILK")
    main = await warehouse(client, owner, "MAIN")
    settings_url = f"{BASE}/skus/{sku}/stock-settings"
    initial = await client.get(settings_url, headers=owner)
    assert initial.status_code == 200 and initial.headers["etag"] == '"v0"'
    assert initial.json()["batchManaged"] is False
    body = {"batchManaged": True, "serialManaged": True}
    assert (await client.put(settings_url, json=body, headers=owner)).status_code == 428
    put = await client.put(settings_url, json=body, headers={**owner, "If-Match": '"v0"'})
    assert put.status_code == 200 and put.headers["etag"] == '"v1"', put.text
    tenant_settings = await client.put(
        f"{BASE}/stock-settings",
        json={"pickingRule": "fefo", "expiryWarningDays": 30},
        headers={**owner, "If-Match": '"v0"'},
    )
    assert tenant_settings.status_code == 200, tenant_settings.text
    no_batch = await client.post(
        f"{BASE}/receipts",
        json={"skuId": sku, "warehouseId": main, "quantity": 1, "serials": ["A-1"]},
        headers={**owner, "Accept-Language": "en"},
    )
    assert no_batch.status_code == 422, no_batch.text
    assert no_batch.json()["errors"][0]["code"] == "batch_required"
    today = date.today()
    for number, days, serials in (("L2", 40, ["B-1", "B-2"]), ("L1", 10, ["A-1", "A-2", "A-3"])):
        received = await client.post(
            f"{BASE}/receipts",
            json={
                "skuId": sku,
                "warehouseId": main,
                "quantity": len(serials),
                "batchNo": number,
                "productionDate": today.isoformat(),
                "expiryDate": (today + timedelta(days=days)).isoformat(),
                "serials": serials,
            },
            headers=owner,
        )
        assert received.status_code == 201, received.text
    again = await client.post(
        f"{BASE}/receipts",
        json={
            "skuId": sku,
            "warehouseId": main,
            "quantity": 1,
            "batchNo": "L1",
            "serials": ["A-2"],
        },
        headers={**owner, "Accept-Language": "en"},
    )
    assert again.status_code == 409 and again.json()["code"] == "serials_in_stock"
    assert "A-2" in again.json()["title"]
    suggestion = await client.get(
        f"{BASE}/picking-suggestion",
        params={"skuId": sku, "warehouseId": "MAIN", "quantity": 4},
        headers=owner,
    )
    assert suggestion.status_code == 200, suggestion.text
    picks = [(p["batch"]["number"], p["quantity"]) for p in suggestion.json()["picks"]]
    assert picks == [("L1", 3), ("L2", 1)] and suggestion.json()["rule"] == "fefo"
    unknown = await client.post(
        f"{BASE}/issues",
        json={"skuId": sku, "warehouseId": main, "quantity": 2, "serials": ["A-1", "Z-9"]},
        headers={**owner, "Accept-Language": "zh-CN"},
    )
    assert unknown.status_code == 409 and unknown.json()["code"] == "serials_not_in_stock"
    assert "Z-9" in unknown.json()["title"]
    issued = await client.post(
        f"{BASE}/issues",
        json={"skuId": sku, "warehouseId": main, "quantity": 2, "serials": ["A-1", "B-1"]},
        headers=owner,
    )
    assert issued.status_code == 201 and issued.json()["figures"]["onHand"] == 3, issued.text
    batches = await client.get(
        f"{BASE}/batch-stock", params={"skuId": sku, "warehouseId": main}, headers=owner
    )
    assert [(b["batch"]["number"], b["onHand"]) for b in batches.json()] == [
        ("L2", 1),
        ("L1", 2),
    ]
    expiring = await client.get(f"{BASE}/expiring", params={"withinDays": 15}, headers=owner)
    assert expiring.status_code == 200, expiring.text
    (item,) = expiring.json()["items"]
    assert (item["batch"]["number"], item["onHand"], item["expired"]) == ("L1", 2, False)
    history = await client.get(f"{BASE}/skus/{sku}/serials/A-1", headers=owner)
    assert history.status_code == 200, history.text
    assert history.json()["inStock"] is False
    assert [m["kind"] for m in history.json()["moves"]] == ["receipt", "issue"]
    missing = await client.get(f"{BASE}/skus/{sku}/serials/NOPE", headers=owner)
    assert missing.status_code == 404
    # Batch keeping cannot change while the SKU holds stock.
    held = await client.put(
        settings_url, json={"batchManaged": False}, headers={**owner, "If-Match": '"v1"'}
    )
    assert held.status_code == 409 and held.json()["code"] == "sku_has_stock"
    check = await client.get(f"{BASE}/ledger", params={"skuId": sku}, headers=owner)
    batch_ids = {row["batchId"] for row in check.json()["items"]}
    assert None not in batch_ids and len(batch_ids) == 2


async def test_batch_routes_need_their_permissions(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """Reading needs ``inventory:read``, changing the settings ``inventory:write``."""
    owner = await tenant.headers("owner")
    sku = await sku_of(client, owner, "PERM")
    customer_service = await tenant.headers("customer_service")
    refused = await client.put(
        f"{BASE}/skus/{sku}/stock-settings",
        json={"batchManaged": True},
        headers={**customer_service, "If-Match": '"v0"'},
    )
    assert refused.status_code == 403


async def _managed(
    client: httpx.AsyncClient, owner: dict[str, str], sku: str, *, serials: bool
) -> None:
    body = {"batchManaged": not serials, "serialManaged": serials}
    put = await client.put(
        f"{BASE}/skus/{sku}/stock-settings", json=body, headers={**owner, "If-Match": '"v0"'}
    )
    assert put.status_code == 200, put.text


async def test_counts_by_batch_and_shipments_with_serials_over_http(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """INV-4, INV-8: a count entry gives its batches (a batch found with its expiry) and
    approval posts each batch; INV-2, INV-8: a shipment's body scans serials out, unknown
    ones refused by name as problem+json in the caller's language."""
    owner = await tenant.headers("owner")
    milk, phone = await sku_of(client, owner, "MILK-C"), await sku_of(client, owner, "PHONE")
    main = await warehouse(client, owner, "MAIN")
    await _managed(client, owner, milk, serials=False)
    await _managed(client, owner, phone, serials=True)
    for body in (
        {"skuId": milk, "quantity": 5, "batchNo": "L1"},
        {"skuId": phone, "quantity": 2, "serials": ["P-1", "P-2"]},
    ):
        received = await client.post(
            f"{BASE}/receipts", json={"warehouseId": main, **body}, headers=owner
        )
        assert received.status_code == 201, received.text
    created = await client.post(
        f"{BASE}/counts", json={"warehouseId": main, "skuIds": [milk]}, headers=owner
    )
    url = created.headers["location"]
    await client.post(f"{url}/start", headers={**owner, "If-Match": '"v1"'})
    expiry = (date.today() + timedelta(days=60)).isoformat()
    batches = [
        {"batchNo": "L1", "counted": 3},
        {"batchNo": "L9", "counted": 4, "expiryDate": expiry},
    ]
    wrong = await client.post(
        f"{url}/entries",
        json={"lines": [{"skuId": milk, "counted": 6, "batches": batches}]},
        headers={**owner, "Accept-Language": "en"},
    )
    assert wrong.status_code == 422, wrong.text
    assert wrong.json()["errors"][0]["code"] == "batch_counts_differ"
    entered = await client.post(
        f"{url}/entries",
        json={"lines": [{"skuId": milk, "counted": 7, "batches": batches}]},
        headers=owner,
    )
    assert entered.status_code == 200, entered.text
    await client.post(f"{url}/submit", headers={**owner, "If-Match": '"v2"'})
    posted = await client.post(f"{url}/approve", headers={**owner, "If-Match": '"v3"'})
    assert posted.status_code == 200, posted.text
    per_batch = await client.get(
        f"{BASE}/batch-stock", params={"skuId": milk, "warehouseId": main}, headers=owner
    )
    assert per_batch.status_code == 200, per_batch.text
    held = {b["batch"]["number"]: b["onHand"] for b in per_batch.json()}
    assert held == {"L1": 3, "L9": 4}
    # INV-4 × INV-8: the variance report per batch, its totals the line's
    by_batch = await client.get(f"{url}/variances", params={"by": "batch"}, headers=owner)
    assert by_batch.status_code == 200, by_batch.text
    rows = [
        (li["batchNo"], li["book"], li["counted"], li["variance"], li["onHandNow"], li["posted"])
        for li in by_batch.json()["lines"]
    ]
    assert rows == [("L1", 5, 3, -2, 3, -2), ("L9", 0, 4, 4, 4, 4)]
    assert by_batch.json()["lines"][1]["expiryDate"] == expiry
    per_line = await client.get(f"{url}/variances", headers=owner)
    assert per_line.json()["totalVariance"] == by_batch.json()["totalVariance"] == 2
    assert per_line.json()["lines"][0]["batchNo"] is None
    csv = await client.get(
        f"{url}/variances", params={"by": "batch", "format": "csv"}, headers=owner
    )
    assert csv.status_code == 200, csv.text
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:5] == ["skuId", "skuCode", "batchNo", "expiryDate", "book"]
    assert lines[2].split(",")[2:7] == ["L9", expiry, "0", "4", "4"]
    assert lines[-1].split(",")[1] == "total" and lines[-1].split(",")[6] == "2"
    xlsx = await client.get(
        f"{url}/variances", params={"by": "batch", "format": "xlsx"}, headers=owner
    )
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"

    reserved = await client.post(
        f"{BASE}/reservations",
        json={"lines": [{"skuId": phone, "quantity": 1, "warehouseId": main}]},
        headers=owner,
    )
    commit = f"{BASE}/reservations/{reserved.json()['id']}/commit"
    titles = {}
    for language in ("en", "zh-CN", "zh-TW"):
        refused = await client.post(
            commit,
            json={"lines": [{"skuId": phone, "serials": ["P-404"]}]},
            headers={**owner, "Accept-Language": language},
        )
        assert refused.status_code == 409, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["code"] == "serials_not_in_stock"
        titles[language] = refused.json()["title"]
    assert all("P-404" in title for title in titles.values()) and len(set(titles.values())) == 3
    none = await client.post(commit, headers=owner)
    assert none.status_code == 422 and none.json()["errors"][0]["code"] == "serials_required"
    shipped = await client.post(
        commit, json={"lines": [{"skuId": phone, "serials": ["P-2"]}]}, headers=owner
    )
    assert shipped.status_code == 200 and shipped.json()["status"] == "committed", shipped.text
    serial = await client.get(f"{BASE}/skus/{phone}/serials/P-2", headers=owner)
    assert serial.json()["inStock"] is False


async def test_transfers_and_counts_carry_serials_over_http(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """INV-5 × INV-8: the shipment's body names the serials (in transit after it), the
    receipt names the serials sound, damaged and short, one the transfer did not ship is
    refused by name (problem+json, 409). INV-4 × INV-8: a count entry lists the serials
    found and approval posts the difference. A batch-managed SKU's receipt names the
    batch of its damaged unit."""
    owner = await tenant.headers("owner")
    phone, milk = await sku_of(client, owner, "PHONE-T"), await sku_of(client, owner, "MILK-T")
    source = await warehouse(client, owner, "SRC")
    await warehouse(client, owner, "DST")
    await _managed(client, owner, phone, serials=True)
    await _managed(client, owner, milk, serials=False)
    for body in (
        {"skuId": phone, "quantity": 4, "serials": ["P-1", "P-2", "P-3", "P-4"]},
        {"skuId": milk, "quantity": 2, "batchNo": "L1"},
        {"skuId": milk, "quantity": 2, "batchNo": "L2"},
    ):
        received = await client.post(
            f"{BASE}/receipts", json={"warehouseId": source, **body}, headers=owner
        )
        assert received.status_code == 201, received.text
    created = await client.post(
        f"{BASE}/transfers",
        json={
            "source": "SRC",
            "destination": "DST",
            "lines": [{"skuId": phone, "quantity": 3}, {"skuId": milk, "quantity": 4}],
        },
        headers=owner,
    )
    assert created.status_code == 201, created.text
    url = created.headers["location"]
    serials = {"lines": [{"skuId": phone, "serials": ["P-1", "P-2", "P-3"]}]}
    shipped = await client.post(f"{url}/ship", json=serials, headers={**owner, "If-Match": '"v1"'})
    assert shipped.status_code == 200, shipped.text
    travelling = await client.get(f"{BASE}/skus/{phone}/serials/P-1", headers=owner)
    assert travelling.json()["inTransit"] is True and travelling.json()["inStock"] is False
    foreign = await client.post(
        f"{url}/receipts",
        json={"lines": [{"skuId": phone, "received": 1, "serials": ["P-4"]}]},
        headers={**owner, "If-Match": '"v2"', "Accept-Language": "en"},
    )
    assert foreign.status_code == 409, foreign.text
    assert foreign.json()["code"] == "serials_not_in_transit" and "P-4" in foreign.json()["title"]
    receipt = {
        "lines": [
            {
                "skuId": phone,
                "received": 1,
                "damaged": 1,
                "short": 1,
                "serials": ["P-1"],
                "damagedSerials": ["P-2"],
                "shortSerials": ["P-3"],
            },
            {
                "skuId": milk,
                "received": 3,
                "damaged": 1,
                "batches": [{"batchNo": "L2", "damaged": 1}],
            },
        ]
    }
    done = await client.post(f"{url}/receipts", json=receipt, headers={**owner, "If-Match": '"v2"'})
    assert done.status_code == 200 and done.json()["status"] == "received", done.text
    per_batch = await client.get(
        f"{BASE}/batch-stock", params={"skuId": milk, "warehouseId": "DST"}, headers=owner
    )
    held = {b["batch"]["number"]: (b["onHand"], b["nonSellable"]) for b in per_batch.json()}
    assert held == {"L1": (2, 0), "L2": (1, 1)}
    lost = await client.get(f"{BASE}/skus/{phone}/serials/P-3", headers=owner)
    assert lost.json()["inStock"] is False and lost.json()["inTransit"] is False

    count = await client.post(
        f"{BASE}/counts", json={"warehouse": "SRC", "skuIds": [phone]}, headers=owner
    )
    count_url = count.headers["location"]
    await client.post(f"{count_url}/start", headers={**owner, "If-Match": '"v1"'})
    entered = await client.post(
        f"{count_url}/entries",
        json={"lines": [{"skuId": phone, "counted": 1, "serials": ["P-3"]}]},
        headers=owner,
    )
    assert entered.status_code == 200, entered.text
    await client.post(f"{count_url}/submit", headers={**owner, "If-Match": '"v2"'})
    posted = await client.post(f"{count_url}/approve", headers={**owner, "If-Match": '"v3"'})
    assert posted.status_code == 200, posted.text
    found = await client.get(f"{BASE}/skus/{phone}/serials/P-3", headers=owner)
    missing = await client.get(f"{BASE}/skus/{phone}/serials/P-4", headers=owner)
    assert found.json()["inStock"] is True and missing.json()["inStock"] is False
