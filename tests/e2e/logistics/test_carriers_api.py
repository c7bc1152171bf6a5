"""/api/v1/logistics/carriers over HTTP (LOG-3): created with a code unique per tenant,
changed with If-Match, deactivated;
the tolerance a shipment's weight is judged by is the tenant's."""

from __future__ import annotations

import uuid

import httpx

from tests.conftest import TenantHandle

BASE = "/api/v1/logistics/carriers"


async def test_log3_carriers_are_created_changed_and_deactivated(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    code = f"zt{uuid.uuid4().hex[:4]}"
    made = await client.post(BASE, json={"code": code, "name": "中通快递"}, headers=owner)
    assert made.status_code == 201, made.text
    carrier = made.json()
    assert carrier["code"] == code.upper() and carrier["active"] and not carrier["connected"]
    assert carrier["cashOnDelivery"] is False
    taken = await client.post(
        BASE,
        json={"code": code.upper(), "name": "重复"},
        headers={**owner, "Accept-Language": "zh-TW"},
    )
    assert taken.status_code == 409 and taken.json()["code"] == "carrier_code_taken"
    assert "已存在" in taken.json()["title"]
    url = f"{BASE}/{carrier['id']}"
    body = {"name": "中通快递（华东）", "cashOnDelivery": True, "active": False}
    assert (await client.patch(url, json=body, headers=owner)).status_code == 428
    changed = await client.patch(
        url, json=body, headers={**owner, "If-Match": made.headers["etag"]}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["active"] is False and changed.json()["cashOnDelivery"] is True
    stale = await client.patch(url, json=body, headers={**owner, "If-Match": made.headers["etag"]})
    assert stale.status_code == 412
    listed = (await client.get(BASE, headers=owner)).json()["items"]
    assert [c["code"] for c in listed] == [code.upper()]


async def test_log1_the_weight_tolerance_is_the_tenant_s(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    url = "/api/v1/fulfilment/settings"
    first = await client.get(url, headers=owner)
    assert first.json() == {"weightTolerancePercent": "5", "version": 0}
    put = await client.put(
        url, json={"weightTolerancePercent": "12.5"}, headers={**owner, "If-Match": '"v0"'}
    )
    assert put.status_code == 200 and put.json()["weightTolerancePercent"] == "12.5"
    wide = await client.put(
        url,
        json={"weightTolerancePercent": "101"},
        headers={**owner, "If-Match": put.headers["etag"]},
    )
    assert wide.status_code == 422
