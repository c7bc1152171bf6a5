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
