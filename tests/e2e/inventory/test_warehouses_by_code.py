"""Warehouses by their code (#9 item 16) over HTTP: the stock and ledger filters, the
movements, a reservation line and a channel's supplying warehouses take a warehouse's code
where they took its id; an unknown code is a 422 naming the parameter or field, in the
caller's language; a body naming its warehouse twice is refused."""

from __future__ import annotations

import httpx

from tests.conftest import TenantHandle
from tests.e2e.inventory.test_inventory_api import BASE, own_shop, sku_of, warehouse


async def test_filters_and_movements_take_the_warehouse_code(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    sku = await sku_of(client, owner, "BYCODE")
    north = await warehouse(client, owner, "BJ-01")
    await warehouse(client, owner, "GZ-01")
    received = await client.post(
        f"{BASE}/receipts", json={"skuId": sku, "warehouse": "BJ-01", "quantity": 5}, headers=owner
    )
    assert received.status_code == 201, received.text
    assert received.json()["warehouseId"] == north
    for path, body in (
        ("issues", {"quantity": 1}),
        ("adjustments", {"change": -1, "reason": "盘亏"}),
        ("state-changes", {"quantity": 1, "toState": "non_sellable"}),
    ):
        moved = await client.post(
            f"{BASE}/{path}", json={"skuId": sku, "warehouse": "BJ-01", **body}, headers=owner
        )
        assert moved.status_code == 201, moved.text
        assert moved.json()["warehouseId"] == north
    await warehouse(client, owner, "RET-01", kind="returns")
    returned = await client.post(
        f"{BASE}/return-receipts",
        json={"skuId": sku, "warehouse": "RET-01", "quantity": 1, "inspection": "resellable"},
        headers=owner,
    )
    assert returned.status_code == 201, returned.text
    for params in ({"warehouseId": "BJ-01"}, {"warehouseId": north}):
        levels = await client.get(f"{BASE}/stock", params={"skuId": sku, **params}, headers=owner)
        assert levels.status_code == 200, levels.text
        assert [level["warehouseId"] for level in levels.json()["items"]] == [north]
        ledger = await client.get(f"{BASE}/ledger", params=params, headers=owner)
        assert [e["kind"] for e in ledger.json()["items"]] == [
            "receipt",
            "issue",
            "adjustment",
            "state_change",
        ]
    reserved = await client.post(
        f"{BASE}/reservations",
        json={"lines": [{"skuId": sku, "quantity": 1, "warehouse": "BJ-01"}]},
        headers=owner,
    )
    assert reserved.status_code == 201, reserved.text
    assert reserved.json()["lines"][0]["warehouseId"] == north


async def test_an_unknown_warehouse_code_is_a_422_naming_the_field(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    sku = await sku_of(client, owner, "NOCODE")
    await warehouse(client, owner, "BJ-01")
    messages = {
        "en": "There is no warehouse SH-09.",
        "zh-CN": "没有仓库 SH-09。",
        "zh-TW": "沒有倉庫 SH-09。",
    }
    for language, message in messages.items():
        headers = {**owner, "Accept-Language": language}
        for path in ("stock", "ledger"):
            found = await client.get(
                f"{BASE}/{path}", params={"warehouseId": "SH-09"}, headers=headers
            )
            assert found.status_code == 422, found.text
            [error] = found.json()["errors"]
            assert (error["field"], error["code"]) == ("warehouseId", "unknown_warehouse")
            assert error["message"] == message
    headers = {**owner, "Accept-Language": "en"}
    # an id the company has no warehouse for is no empty page either
    stranger = "01900000-0000-7000-8000-000000000000"
    found = await client.get(f"{BASE}/stock", params={"warehouseId": stranger}, headers=headers)
    assert found.status_code == 422 and found.json()["code"] == "unknown_warehouse"
    receipt = {"skuId": sku, "warehouse": "SH-09", "quantity": 1}
    refused = await client.post(f"{BASE}/receipts", json=receipt, headers=headers)
    assert refused.status_code == 422, refused.text
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [
        ("warehouse", "unknown_warehouse")
    ]
    lines = [
        {"skuId": sku, "quantity": 1, "warehouse": "BJ-01"},
        {"skuId": sku, "quantity": 1, "warehouse": "SH-09"},
    ]
    refused = await client.post(f"{BASE}/reservations", json={"lines": lines}, headers=headers)
    assert refused.status_code == 422, refused.text
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [
        ("lines[1].warehouse", "unknown_warehouse")
    ]
    both = {"skuId": sku, "warehouse": "BJ-01", "warehouseId": stranger, "quantity": 1}
    refused = await client.post(f"{BASE}/receipts", json=both, headers=headers)
    assert refused.status_code == 422 and refused.json()["code"] == "warehouse_given_twice"
    neither = await client.post(
        f"{BASE}/receipts", json={"skuId": sku, "quantity": 1}, headers=headers
    )
    assert neither.status_code == 422
    assert neither.json()["errors"][0]["field"] == "warehouseId"


async def test_a_channel_is_supplied_by_warehouse_codes(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    east = await warehouse(client, owner, "EAST")
    west = await warehouse(client, owner, "WEST")
    supply_url = f"{BASE}/channels/{await own_shop(client, owner)}/supply"
    settings = {"warehouses": ["WEST", east]}  # a code, or an id
    saved = await client.put(supply_url, json=settings, headers={**owner, "If-Match": '"v0"'})
    assert saved.status_code == 200, saved.text
    assert saved.json()["warehouseIds"] == [west, east]
    unknown = {"warehouses": ["EAST", "NORTH"]}
    refused = await client.put(
        supply_url, json=unknown, headers={**owner, "If-Match": '"v1"', "Accept-Language": "en"}
    )
    assert refused.status_code == 422, refused.text
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [
        ("warehouses[1]", "unknown_warehouse")
    ]
    both = {"warehouses": ["EAST"], "warehouseIds": [west]}
    refused = await client.put(supply_url, json=both, headers={**owner, "If-Match": '"v1"'})
    assert refused.status_code == 422 and refused.json()["code"] == "warehouse_given_twice"
