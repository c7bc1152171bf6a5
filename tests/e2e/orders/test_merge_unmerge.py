"""Merge (合单) and unmerge over HTTP on the real database (ORD-4): orders of one customer,
shop and receiver merge into one awaiting review holding every line, payment and the stock;
a different receiver is refused naming the condition; the merged order says it allows an
unmerge, the retired originals nothing; unmerging gives the originals back as they were,
each holding its stock again, and cancels the merged order."""

from __future__ import annotations

import uuid
from decimal import Decimal

import httpx

from tests.conftest import TenantHandle
from tests.e2e.orders.support import BASE, RECEIVER, available, stocked_sku


async def _paid(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    body: dict,  # type: ignore[type-arg]
) -> dict:  # type: ignore[type-arg]
    placed = await client.post(BASE, json=body, headers=headers)
    assert placed.status_code == 201, placed.text
    order = placed.json()
    paid = await client.post(
        f"{BASE}/{order['id']}/payments",
        json={"method": "wechat_pay", "amount": order["total"], "transactionId": uuid.uuid4().hex},
        headers=headers,
    )
    assert paid.status_code == 201 and paid.json()["status"] == "awaiting_review", paid.text
    return paid.json()  # type: ignore[no-any-return]


async def test_ord4_merge_then_unmerge_gives_the_originals_back(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    a = await stocked_sku(client, owner, 10, "20.00")
    b = await stocked_sku(client, owner, 10, "5.50")
    customer = str(uuid.uuid4())
    spaced = {**RECEIVER, "name": " 张 三 "}  # the same receiver, written differently
    first = await _paid(
        client,
        owner,
        {
            "lines": [{"skuId": a, "quantity": 2}],
            "receiver": RECEIVER,
            "customerId": customer,
            "buyerMessage": "周末送",
        },
    )
    second = await _paid(
        client,
        owner,
        {"lines": [{"skuId": b, "quantity": 3}], "receiver": spaced, "customerId": customer},
    )
    other = await _paid(
        client,
        owner,
        {
            "lines": [{"skuId": b, "quantity": 1}],
            "customerId": customer,
            "receiver": {**RECEIVER, "address": {**RECEIVER["address"], "line": "别处 2 号"}},
        },
    )
    refused = await client.post(
        f"{BASE}/merge",
        json={"orderIds": [first["id"], other["id"]], "reason": "同一买家"},
        headers={**owner, "Accept-Language": "en"},
    )
    assert refused.status_code == 409 and refused.json()["code"] == "orders_not_mergeable"
    assert "same_receiver" in refused.json()["title"]

    merged = await client.post(
        f"{BASE}/merge",
        json={"orderIds": [first["id"], second["id"]], "reason": "同一买家"},
        headers=owner,
    )
    assert merged.status_code == 201, merged.text
    one = merged.json()
    assert one["status"] == "awaiting_review"
    assert one["total"] == str(Decimal(first["total"]) + Decimal(second["total"]))
    assert one["paidAmount"] == one["total"] and len(one["payments"]) == 2
    assert one["reserved"] == {a: 2, b: 3} and one["buyerMessage"] == "周末送"
    assert "unmerge" in one["allowedActions"]  # made by merging: the API says so too
    read = (await client.get(f"{BASE}/{one['id']}", headers=owner)).json()
    assert "unmerge" in read["allowedActions"]
    assert await available(client, owner, a) == 8 and await available(client, owner, b) == 6
    for original in (first, second):
        kept = (await client.get(f"{BASE}/{original['id']}", headers=owner)).json()
        assert kept["reserved"] == {}  # the merged order holds the stock now
        assert kept["allowedActions"] == []  # retired into the merged order
        entries = (await client.get(f"{BASE}/{original['id']}/timeline", headers=owner)).json()
        assert (
            entries[-1]["kind"] == "merged_into" and entries[-1]["detail"]["into"] == one["number"]
        )

    back = await client.post(
        f"{BASE}/{one['id']}/unmerge",
        json={"reason": "分开发货"},
        headers={**owner, "If-Match": merged.headers["etag"]},
    )
    assert back.status_code == 200, back.text
    restored = {o["id"]: o for o in back.json()}
    assert set(restored) == {first["id"], second["id"]}
    for original in (first, second):
        again = restored[original["id"]]
        assert again["status"] == "awaiting_review" and again["total"] == original["total"]
        assert again["lines"] == original["lines"] and again["payments"] == original["payments"]
        assert again["reserved"] == original["reserved"]
        assert again["version"] > original["version"]
    gone = (await client.get(f"{BASE}/{one['id']}", headers=owner)).json()
    assert gone["status"] == "cancelled" and gone["reserved"] == {}
    assert await available(client, owner, a) == 8 and await available(client, owner, b) == 6
    entries = (await client.get(f"{BASE}/{first['id']}/timeline", headers=owner)).json()
    assert [e["kind"] for e in entries[-2:]] == ["merged_into", "unmerged"]


async def test_ord4_a_hand_merge_takes_two_channels_of_one_shop_group_not_two_groups(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """Two Tmall stores in the shop group ``tmall-main`` (set over the catalog's API): their
    orders of one customer and receiver merge by hand; an order of the JD store, in the group
    ``jd-main``, is refused with ``same_shop_group`` naming it — until the JD store joins."""
    owner = await tenant.headers("owner")
    sku = await stocked_sku(client, owner, 10, "20.00")
    channels = {}
    for code, platform, group in (
        ("tmall_a", "tmall", "tmall-main"),
        ("tmall_b", "tmall", "tmall-main"),
        ("jd_a", "jd", "jd-main"),
    ):
        made = await client.post(
            "/api/v1/catalog/channels",
            json={"code": code, "name": f"店铺 {code}", "kind": "marketplace",
                  "platform": platform, "shopGroup": group},
            headers=owner,
        )  # fmt: skip
        assert made.status_code == 201 and made.json()["shopGroup"] == group, made.text
        channels[code] = made.json()["id"]
    customer = str(uuid.uuid4())

    def on(code: str) -> dict:  # type: ignore[type-arg]
        return {
            "lines": [{"skuId": sku, "quantity": 1}],
            "receiver": RECEIVER,
            "customerId": customer,
            "channelId": channels[code],
        }

    a, b, jd = [await _paid(client, owner, on(code)) for code in ("tmall_a", "tmall_b", "jd_a")]
    refused = await client.post(
        f"{BASE}/merge",
        json={"orderIds": [a["id"], jd["id"]], "reason": "同一买家"},
        headers={**owner, "Accept-Language": "en"},
    )
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.json()
    assert problem["code"] == "orders_not_mergeable" and "same_shop_group" in problem["title"]

    merged = await client.post(
        f"{BASE}/merge",
        json={"orderIds": [a["id"], b["id"]], "reason": "同一买家"},
        headers=owner,
    )
    assert merged.status_code == 201, merged.text
    one = merged.json()
    assert one["channelId"] == channels["tmall_a"]  # the first original's channel
    assert [line["quantity"] for line in one["lines"]] == [1, 1]
    assert one["total"] == str(Decimal(a["total"]) + Decimal(b["total"]))
    for original in (a, b):
        kept = (await client.get(f"{BASE}/{original['id']}", headers=owner)).json()
        assert kept["mergedInto"] == one["id"]

    joined = await client.patch(
        f"/api/v1/catalog/channels/{channels['jd_a']}",
        json={"shopGroup": "tmall-main"},
        headers={**owner, "If-Match": '"v1"'},
    )
    assert joined.status_code == 200, joined.text
    again = await client.post(
        f"{BASE}/merge",
        json={"orderIds": [one["id"], jd["id"]], "reason": "同一买家"},
        headers=owner,
    )
    assert again.status_code == 201, again.text
    assert (await client.get(f"{BASE}/{jd['id']}", headers=owner)).json()["mergedInto"] == (
        again.json()["id"]
    )
