"""/api/v1/inventory over HTTP (INV-1, INV-2, INV-6, CHN-1/CHN-2): warehouses with ETag /
If-Match, movements and reservations with idempotent POSTs, problem+json in the caller's
language naming the SKU and what is available, unit costs hidden without
``inventory:costing``, channel supply and the availability query with its working."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from tests.conftest import TenantHandle

BASE = "/api/v1/inventory"


async def sku_of(client: httpx.AsyncClient, headers: dict[str, str], code: str) -> str:
    body = {"code": code, "name": f"商品 {code}", "skus": [{"code": f"{code}-A", "listPrice": "9"}]}
    response = await client.post("/api/v1/catalog/products", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["skus"][0]["id"])


async def warehouse(
    client: httpx.AsyncClient, headers: dict[str, str], code: str, **extra: object
) -> str:
    response = await client.post(
        f"{BASE}/warehouses", json={"code": code, "name": f"仓 {code}", **extra}, headers=headers
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def own_shop(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    """A sales channel (the catalog's) to supply."""
    channel = await client.post(
        "/api/v1/catalog/channels",
        json={"code": "own_shop", "name": "自营商城", "kind": "own_shop"},
        headers=headers,
    )
    assert channel.status_code == 201, channel.text
    return str(channel.json()["id"])


async def test_warehouses_with_etags_and_closing(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    created = await client.post(
        f"{BASE}/warehouses",
        json={"code": "SH-1", "name": "上海仓", "region": "上海", "priority": 1},
        headers=owner,
    )
    assert created.status_code == 201, created.text
    url = created.headers["location"]
    assert created.headers["etag"] == '"v1"' and created.json()["kind"] == "own"
    duplicate = await client.post(
        f"{BASE}/warehouses", json={"code": "SH-1", "name": "又一个"}, headers=owner
    )
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "warehouse_code_taken"
    patch = {"name": "上海一号仓", "region": "上海", "priority": 2}
    assert (await client.patch(url, json=patch, headers=owner)).status_code == 428
    stale = await client.patch(url, json=patch, headers={**owner, "If-Match": '"v9"'})
    assert stale.status_code == 412
    changed = await client.patch(url, json=patch, headers={**owner, "If-Match": '"v1"'})
    assert changed.status_code == 200 and changed.headers["etag"] == '"v2"'
    closed = await client.post(f"{url}/close", headers={**owner, "If-Match": '"v2"'})
    assert closed.status_code == 200 and closed.json()["closed"] is True
    sku = await sku_of(client, owner, "CLOSED")
    refused = await client.post(
        f"{BASE}/receipts",
        json={"skuId": sku, "warehouseId": created.json()["id"], "quantity": 1},
        headers={**owner, "Accept-Language": "en"},
    )
    assert refused.status_code == 409 and refused.json()["code"] == "warehouse_closed"
    listed = (await client.get(f"{BASE}/warehouses", headers=owner)).json()
    assert [w["code"] for w in listed["items"]] == ["SH-1"]
    bins = await client.post(f"{url}/bins", json={"code": "A-01-01"}, headers=owner)
    assert bins.status_code == 409  # a closed warehouse takes no new bins either


async def test_stock_reservations_and_the_ledger(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    sku = await sku_of(client, owner, "RES")
    main = await warehouse(client, owner, "MAIN")
    receipt = {"skuId": sku, "warehouseId": main, "quantity": 3, "unitCost": "12.5"}
    key = {**owner, "Idempotency-Key": "receipt-1"}
    first = await client.post(f"{BASE}/receipts", json=receipt, headers=key)
    assert first.status_code == 201, first.text
    again = await client.post(f"{BASE}/receipts", json=receipt, headers=key)
    assert again.headers.get("idempotent-replayed") == "true"
    assert first.json()["figures"]["onHand"] == 3  # received once
    reserved = await client.post(
        f"{BASE}/reservations",
        json={"lines": [{"skuId": sku, "quantity": 2}], "sourceType": "order"},
        headers=owner,
    )
    assert reserved.status_code == 201, reserved.text
    reservation = reserved.json()
    assert reservation["status"] == "active" and reservation["lines"][0]["warehouseId"] == main
    titles = {  # the merchant's SKU code in the message, the id beside it
        "en": "Insufficient stock of SKU RES-A: 2 requested, 1 available.",
        "zh-CN": "SKU RES-A 库存不足：需要 2，可用 1。",
        "zh-TW": "SKU RES-A 庫存不足：需要 2，可用 1。",
    }
    for language, title in titles.items():
        refused = await client.post(
            f"{BASE}/reservations",
            json={"lines": [{"skuId": sku, "quantity": 2}]},
            headers={**owner, "Accept-Language": language},
        )
        assert refused.status_code == 409, refused.text
        assert refused.json()["code"] == "insufficient_stock"
        assert refused.json()["title"] == title
        assert (refused.json()["sku"], refused.json()["skuCode"]) == (sku, "RES-A")
    url = f"{BASE}/reservations/{reservation['id']}"
    assert (await client.post(f"{url}/pick-lock", headers=owner)).json()["status"] == "picking"
    assert (await client.post(f"{url}/commit", headers=owner)).json()["status"] == "committed"
    again_commit = await client.post(f"{url}/commit", headers=owner)
    assert again_commit.status_code == 409
    levels = (await client.get(f"{BASE}/stock", params={"skuId": sku}, headers=owner)).json()
    figures = levels["items"][0]["figures"]
    assert (figures["onHand"], figures["reserved"], figures["pickLocked"]) == (1, 0, 0)
    ledger = (await client.get(f"{BASE}/ledger", params={"skuId": sku}, headers=owner)).json()
    assert [e["kind"] for e in ledger["items"]] == ["receipt", "reservation", "pick_lock", "issue"]
    assert ledger["costsShown"] is True and ledger["items"][0]["unitCost"] == "12.500000"
    assert ledger["items"][3]["changes"] == {"onHand": -2, "pickLocked": -2}


async def test_costs_are_hidden_without_costing(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    sku = await sku_of(client, owner, "COST")
    main = await warehouse(client, owner, "MAIN")
    receipt = {"skuId": sku, "warehouseId": main, "quantity": 1, "unitCost": "8.25"}
    assert (await client.post(f"{BASE}/receipts", json=receipt, headers=owner)).status_code == 201
    keeper = await tenant.headers("warehouse")
    ledger = (await client.get(f"{BASE}/ledger", params={"skuId": sku}, headers=keeper)).json()
    assert ledger["costsShown"] is False
    assert [e["unitCost"] for e in ledger["items"]] == [None]
    refused = await client.post(f"{BASE}/receipts", json=receipt, headers=keeper)
    assert refused.status_code == 403
    without_cost = {k: v for k, v in receipt.items() if k != "unitCost"}
    assert (
        await client.post(f"{BASE}/receipts", json=without_cost, headers=keeper)
    ).status_code == 201
    finance = await tenant.headers("finance")
    shown = (await client.get(f"{BASE}/ledger", params={"skuId": sku}, headers=finance)).json()
    assert shown["costsShown"] is True and shown["items"][0]["unitCost"] == "8.250000"


async def test_channel_supply_and_availability_with_its_working(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    sku = await sku_of(client, owner, "CHN")
    east = await warehouse(client, owner, "EAST", priority=1)
    west = await warehouse(client, owner, "WEST", priority=2)
    await warehouse(client, owner, "RET", kind="returns")
    for warehouse_id, quantity in ((east, 30), (west, 20)):
        body = {"skuId": sku, "warehouseId": warehouse_id, "quantity": quantity}
        assert (await client.post(f"{BASE}/receipts", json=body, headers=owner)).status_code == 201
    channel_id = await own_shop(client, owner)
    supply_url = f"{BASE}/channels/{channel_id}/supply"
    default = await client.get(supply_url, headers=owner)
    assert default.headers["etag"] == '"v0"' and default.json()["warehouseIds"] == []
    settings = {
        "warehouseIds": [east, west],
        "safetyStock": 10,
        "shareKind": "percent",
        "shareValue": "50",
    }
    saved = await client.put(supply_url, json=settings, headers={**owner, "If-Match": '"v0"'})
    assert saved.status_code == 200, saved.text
    assert saved.headers["etag"] == '"v1"'
    found = await client.get(f"{BASE}/channels/{channel_id}/availability/{sku}", headers=owner)
    body = found.json()
    assert body["sellable"] == 20 and body["totalAvailable"] == 50
    assert body["explanation"] == (
        "available 30 + 20 = 50; minus safety stock 10 = 40; 50% rounded down = 20"
    )
    capped = {**settings, "warehouseIds": [west], "shareKind": "cap", "shareValue": "4"}
    await client.put(supply_url, json=capped, headers={**owner, "If-Match": '"v1"'})
    found = await client.get(f"{BASE}/channels/{channel_id}/availability/{sku}", headers=owner)
    assert found.json()["sellable"] == 4 and found.json()["totalAvailable"] == 20
    unknown = await client.get(
        f"{BASE}/channels/01900000-0000-7000-8000-000000000000/supply", headers=owner
    )
    assert unknown.status_code == 404


async def test_a_reservation_expiry_needs_its_time_zone(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    sku = await sku_of(client, owner, "TZ")
    main = await warehouse(client, owner, "MAIN")
    body = {"skuId": sku, "warehouseId": main, "quantity": 2}
    assert (await client.post(f"{BASE}/receipts", json=body, headers=owner)).status_code == 201
    line = {"lines": [{"skuId": sku, "quantity": 1}]}
    naive = await client.post(
        f"{BASE}/reservations", json={**line, "expiresAt": "2099-01-01T12:00:00"}, headers=owner
    )
    assert naive.status_code in (400, 422), naive.text
    held = await client.post(
        f"{BASE}/reservations",
        json={**line, "expiresAt": "2099-01-01T12:00:00+08:00"},
        headers=owner,
    )
    assert held.status_code == 201, held.text
    expires = datetime.fromisoformat(held.json()["expiresAt"])
    assert expires == datetime(2099, 1, 1, 4, tzinfo=UTC)
