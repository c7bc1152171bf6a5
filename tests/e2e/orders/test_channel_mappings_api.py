"""Channel SKU mappings over HTTP (ORD-9, CHN-2): set, replace and list a channel's codes;
an unknown SKU, a blank code and another tenant's channel are refused."""

from __future__ import annotations

import httpx

from tests.conftest import TenantHandle
from tests.e2e.orders.support import BASE, channel, stocked_sku


async def test_channel_sku_mappings_are_set_replaced_and_listed_chn_2(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    first = await stocked_sku(client, owner, 0, "10.00")
    second = await stocked_sku(client, owner, 0, "10.00")
    channel_id = await channel(client, owner, "map_shop")
    url = f"{BASE}/channels/{channel_id}/sku-mappings"
    for code, sku in (("B-2", first), ("A-1", first), ("B-2", second)):
        answer = await client.put(url, json={"channelSkuCode": code, "skuId": sku}, headers=owner)
        assert answer.status_code == 200, answer.text
    listed = await client.get(url, headers=owner)
    assert listed.status_code == 200
    assert [(m["channelSkuCode"], m["skuId"]) for m in listed.json()] == [
        ("A-1", first),
        ("B-2", second),
    ]
    unknown = await client.put(
        url,
        json={"channelSkuCode": "C", "skuId": "01900000-0000-7000-8000-000000000000"},
        headers=owner,
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "skuId"
    blank = await client.put(url, json={"channelSkuCode": "  ", "skuId": first}, headers=owner)
    assert blank.status_code == 422
    assert blank.json()["errors"][0]["code"] == "invalid_channel_sku_code"
    nowhere = f"{BASE}/channels/01900000-0000-7000-8000-000000000000/sku-mappings"
    assert (await client.get(nowhere, headers=owner)).status_code == 404
