"""Sales channels, publishing and prices over HTTP (CAT-7, CAT-10, CHN-1): If-Match on
every update, Idempotency-Key on POSTs, problem+json in zh-CN, the price query, and who
may do what (marketing publishes and prices, warehouse only reads, admins set tiers); a
channel's shop group (ORD-4) set, read, refused when malformed, moved, cleared, audited."""

from __future__ import annotations

import httpx
import pytest

from domain.identity.permissions import BUILTIN_ROLES
from tests.conftest import TenantHandle

CATALOG = "/api/v1/catalog"
CHANNELS = f"{CATALOG}/channels"
PRODUCTS = f"{CATALOG}/products"
TIERS = f"{CATALOG}/membership-tiers"
TMALL = {"code": "tmall_flagship", "name": "天猫旗舰店", "kind": "marketplace", "platform": "tmall"}


async def new_product(
    client: httpx.AsyncClient, headers: dict[str, str], code: str, price: str | None = "199"
) -> tuple[str, str]:
    body = {"code": code, "name": "蓝牙耳机", "skus": [{"code": f"{code}-A", "listPrice": price}]}
    response = await client.post(PRODUCTS, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["id"], response.json()["skus"][0]["id"]


async def test_channels_with_etags_idempotency_and_deactivation(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    keyed = {**owner, "Idempotency-Key": "channel-1"}
    created = await client.post(CHANNELS, json=TMALL, headers=keyed)
    again = await client.post(CHANNELS, json=TMALL, headers=keyed)
    assert created.status_code == again.status_code == 201, created.text
    assert again.headers["idempotent-replayed"] == "true"
    channel = created.json()
    url = f"{CHANNELS}/{channel['id']}"
    assert created.headers["location"] == url and created.headers["etag"] == '"v1"'
    assert again.json()["id"] == channel["id"]
    taken = await client.post(CHANNELS, json=TMALL, headers=owner)
    assert taken.status_code == 409 and taken.json()["code"] == "channel_code_taken"
    bad = await client.post(
        CHANNELS, json={**TMALL, "code": "x", "platform": "ebay"}, headers=owner
    )
    assert bad.status_code == 422
    assert {e["code"] for e in bad.json()["errors"]} == {"invalid_channel_code", "invalid_choice"}

    assert (await client.patch(url, json={"name": "天猫店"}, headers=owner)).status_code == 428
    stale = await client.patch(url, json={"name": "天猫店"}, headers={**owner, "If-Match": '"v9"'})
    assert stale.status_code == 412
    renamed = await client.patch(
        url, json={"name": "天猫店"}, headers={**owner, "If-Match": '"v1"'}
    )
    assert renamed.status_code == 200 and renamed.headers["etag"] == '"v2"'

    product_id, _ = await new_product(client, owner, "CH-1")
    published = await client.post(
        f"{PRODUCTS}/{product_id}/publish", json={"channelId": channel["id"]}, headers=owner
    )
    assert published.status_code == 200 and published.json()["status"] == "published"
    off = await client.patch(url, json={"active": False}, headers={**owner, "If-Match": '"v2"'})
    assert off.status_code == 200 and off.json()["active"] is False
    listings = (await client.get(f"{PRODUCTS}/{product_id}/listings", headers=owner)).json()
    assert [x["status"] for x in listings["items"]] == ["unpublished"]
    listed = (await client.get(CHANNELS, headers=owner)).json()
    assert [c["code"] for c in listed["items"]] == ["tmall_flagship"]


async def test_a_channels_shop_group_is_set_read_checked_and_audited(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner, warehouse = await tenant.headers("owner"), await tenant.headers("warehouse")
    created = await client.post(CHANNELS, json={**TMALL, "shopGroup": "tmall-main"}, headers=owner)
    assert created.status_code == 201 and created.json()["shopGroup"] == "tmall-main"
    url = created.headers["location"]
    seen = await client.get(url, headers=warehouse)
    assert seen.status_code == 200 and seen.json()["shopGroup"] == "tmall-main"
    plain = await client.post(CHANNELS, json={**TMALL, "code": "tmall_b"}, headers=owner)
    assert plain.status_code == 201 and plain.json()["shopGroup"] is None  # its own group

    bad = await client.post(
        CHANNELS,
        json={**TMALL, "code": "tmall_c", "shopGroup": "Tmall Main"},
        headers={**owner, "Accept-Language": "en"},
    )
    assert bad.status_code == 422, bad.text
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert bad.json()["errors"] == [
        {"field": "shopGroup", "code": "invalid_shop_group",
         "message": "Shop group codes are 2–32 lower-case letters, digits, underscores or "
                    "hyphens, starting with a letter."},
    ]  # fmt: skip
    refused = await client.patch(
        url,
        json={"shopGroup": "天猫"},
        headers={**owner, "If-Match": '"v1"', "Accept-Language": "zh-CN"},
    )
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    [error] = refused.json()["errors"]
    assert error["field"] == "shopGroup" and error["code"] == "invalid_shop_group"
    assert "店铺组编码" in error["message"]
    not_text = await client.patch(url, json={"shopGroup": 7}, headers={**owner, "If-Match": '"v1"'})
    assert not_text.status_code == 400  # not text at all: the body is malformed, as elsewhere
    assert not_text.json()["errors"][0]["field"] == "shopGroup"
    assert not_text.headers["content-type"].startswith("application/problem+json")
    assert (await client.get(url, headers=owner)).headers["etag"] == '"v1"'  # nothing written

    moved = await client.patch(
        url, json={"shopGroup": "tmall_all"}, headers={**owner, "If-Match": '"v1"'}
    )
    assert moved.status_code == 200 and moved.headers["etag"] == '"v2"', moved.text
    assert moved.json()["shopGroup"] == "tmall_all" and moved.json()["name"] == TMALL["name"]
    renamed = await client.patch(
        url, json={"name": "天猫店"}, headers={**owner, "If-Match": '"v2"'}
    )
    assert renamed.json()["shopGroup"] == "tmall_all"  # a PATCH without it keeps it
    cleared = await client.patch(
        url, json={"shopGroup": None}, headers={**owner, "If-Match": '"v3"'}
    )
    assert cleared.status_code == 200 and cleared.json()["shopGroup"] is None
    listed = (await client.get(CHANNELS, headers=owner)).json()["items"]
    assert [(c["code"], c["shopGroup"]) for c in listed] == [
        ("tmall_flagship", None),
        ("tmall_b", None),
    ]

    trail = await client.get(
        "/api/v1/audit",
        params={"entityId": created.json()["id"], "action": "sales_channel.update"},
        headers=owner,
    )
    changes = [
        (r["outcome"], [(c["field"], c["before"], c["after"]) for c in r["changes"]])
        for r in trail.json()["items"]
    ]
    assert changes == [
        ("success", [("shopGroup", "tmall_all", None)]),
        ("success", [("name", TMALL["name"], "天猫店")]),
        ("success", [("shopGroup", "tmall-main", "tmall_all")]),
        ("failed", []),  # the malformed group refused (the 422), newest first
    ]


async def test_publishing_reports_blockers_in_chinese_and_marketing_may_publish(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner, marketing = await tenant.headers("owner"), await tenant.headers("marketing")
    warehouse = await tenant.headers("warehouse")
    channel_id = (await client.post(CHANNELS, json=TMALL, headers=owner)).json()["id"]
    product_id, sku_id = await new_product(client, owner, "PB-1", price=None)
    publish = f"{PRODUCTS}/{product_id}/publish"

    refused = await client.post(
        publish, json={"channelId": channel_id}, headers={**marketing, "Accept-Language": "zh-CN"}
    )
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.json()
    assert problem["code"] == "sku_has_no_price" and "没有价格" in problem["title"]
    assert problem["errors"] == [
        {"field": "skus[PB-1-A]", "code": "sku_has_no_price",
         "message": "SKU PB-1-A 在该渠道没有价格。"},
    ]  # fmt: skip

    denied = await client.post(
        publish, json={"channelId": channel_id, "prices": {sku_id: "219"}}, headers=warehouse
    )
    assert denied.status_code == 403 and denied.json()["code"] == "permission_denied"
    keyed = {**marketing, "Idempotency-Key": "publish-1"}
    body = {"channelId": channel_id, "prices": {sku_id: "219"}}
    first = await client.post(publish, json=body, headers=keyed)
    replay = await client.post(publish, json=body, headers=keyed)
    assert first.status_code == replay.status_code == 200, first.text
    assert replay.headers["idempotent-replayed"] == "true"
    listing = first.json()
    assert listing["status"] == "published" and listing["prices"] == {sku_id: "219.00"}
    assert first.headers["etag"] == '"v1"'
    product = (await client.get(f"{PRODUCTS}/{product_id}", headers=owner)).json()
    assert product["lifecycle"] == "active"  # launched by its first publication

    prices = f"{PRODUCTS}/{product_id}/channel-prices"
    change = {"channelId": channel_id, "prices": {sku_id: "209"}}
    assert (await client.put(prices, json=change, headers=marketing)).status_code == 428
    assert (await client.put(prices, json=change, headers=warehouse)).status_code == 403
    changed = await client.put(prices, json=change, headers={**marketing, "If-Match": '"v1"'})
    assert changed.status_code == 200 and changed.headers["etag"] == '"v2"', changed.text

    unpublish = f"{PRODUCTS}/{product_id}/unpublish"
    assert (
        await client.post(unpublish, json={"channelId": channel_id}, headers=warehouse)
    ).status_code == 403
    down = await client.post(unpublish, json={"channelId": channel_id}, headers=marketing)
    assert down.status_code == 200 and down.json()["status"] == "unpublished"
    seen = await client.get(f"{PRODUCTS}/{product_id}/listings", headers=warehouse)
    assert seen.status_code == 200 and seen.json()["items"][0]["prices"] == {sku_id: "209.00"}
    unknown = await client.post(
        publish, json={"channelId": "01900000-0000-7000-8000-000000000000"}, headers=marketing
    )
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_channel"


async def test_tiers_member_prices_promotions_and_the_price_query(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner, marketing = await tenant.headers("owner"), await tenant.headers("marketing")
    admin, warehouse = await tenant.headers("admin"), await tenant.headers("warehouse")
    tiers = {"tiers": [{"code": "silver", "name": "银卡"}, {"code": "gold", "name": "金卡"}]}
    empty = await client.get(TIERS, headers=warehouse)
    assert empty.status_code == 200 and empty.json() == {"tiers": [], "version": 0}
    assert empty.headers["etag"] == '"v0"'
    assert (await client.put(TIERS, json=tiers, headers=admin)).status_code == 428
    denied = await client.put(TIERS, json=tiers, headers={**warehouse, "If-Match": '"v0"'})
    assert denied.status_code == 403
    bad = await client.put(
        TIERS, json={"tiers": [{"code": "Gold", "name": ""}]}, headers={**admin, "If-Match": '"v0"'}
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"tiers[0].code", "tiers[0].name"}
    set_ = await client.put(TIERS, json=tiers, headers={**admin, "If-Match": '"v0"'})
    assert set_.status_code == 200 and set_.headers["etag"] == '"v1"', set_.text

    _, sku_id = await new_product(client, owner, "PR-1", price="100")
    sku = f"{CATALOG}/skus/{sku_id}"
    keyed = {**marketing, "Idempotency-Key": "member-price-1"}
    member = await client.post(f"{sku}/member-prices", json={"tier": "gold", "amount": "90"},
                               headers=keyed)  # fmt: skip
    replay = await client.post(f"{sku}/member-prices", json={"tier": "gold", "amount": "90"},
                               headers=keyed)  # fmt: skip
    assert member.status_code == replay.status_code == 201, member.text
    assert replay.json()["id"] == member.json()["id"]
    member_url = member.headers["location"]
    assert (
        await client.patch(member_url, json={"amount": "85"}, headers=marketing)
    ).status_code == 428
    patched = await client.patch(
        member_url, json={"amount": "85"}, headers={**marketing, "If-Match": '"v1"'}
    )
    assert patched.status_code == 200 and patched.json()["amount"] == "85.00"
    assert patched.headers["etag"] == '"v2"'

    promotion = {"amount": "80", "startsAt": "2026-11-11T00:00:00", "endsAt": "2026-11-12T00:00:00"}
    created = await client.post(f"{sku}/promotions", json=promotion, headers=marketing)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["startsAt"] == "2026-11-11T00:00:00+08:00"  # shown in the tenant's zone
    promo_url = created.headers["location"]
    assert (
        await client.post(f"{sku}/promotions", json=promotion, headers=warehouse)
    ).status_code == 403

    async def price(**params: str) -> dict[str, str]:
        response = await client.get(f"{sku}/price", params=params, headers=warehouse)
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    listed = await price(at="2026-11-10T12:00:00+08:00")
    assert (listed["amount"], listed["currency"], listed["rule"], listed["ruleId"]) == (
        "100.00", "CNY", "list_price", sku_id,
    )  # fmt: skip
    gold = await price(tier="gold", at="2026-11-10T12:00:00+08:00")
    assert (gold["amount"], gold["rule"], gold["ruleId"]) == (
        "85.00", "member_price", member.json()["id"],
    )  # fmt: skip
    sale = await price(tier="gold", at="2026-11-11T00:00:00")
    assert (sale["amount"], sale["rule"], sale["ruleId"]) == (
        "80.00",
        "promotional_price",
        body["id"],
    )
    assert sale["at"] == "2026-11-11T00:00:00+08:00"
    bad_tier = await client.get(f"{sku}/price", params={"tier": "vip"}, headers=warehouse)
    assert bad_tier.status_code == 422 and bad_tier.json()["code"] == "unknown_membership_tier"

    moved = {**promotion, "amount": "79"}
    assert (await client.put(promo_url, json=moved, headers=marketing)).status_code == 428
    put = await client.put(promo_url, json=moved, headers={**marketing, "If-Match": '"v1"'})
    assert put.status_code == 200 and put.json()["amount"] == "79.00"
    inverted = {**promotion, "endsAt": "2026-11-10T00:00:00"}
    wrong = await client.put(promo_url, json=inverted, headers={**marketing, "If-Match": '"v2"'})
    assert wrong.status_code == 422 and wrong.json()["code"] == "must_be_after_start"
    page = (await client.get(f"{sku}/promotions", headers=warehouse)).json()
    assert [p["id"] for p in page["items"]] == [body["id"]]
    gone = await client.delete(promo_url, headers={**marketing, "If-Match": '"v2"'})
    assert gone.status_code == 204
    assert (await client.get(promo_url, headers=owner)).status_code == 404

    in_use = await client.put(TIERS, json={"tiers": []}, headers={**admin, "If-Match": '"v1"'})
    assert in_use.status_code == 409 and in_use.json()["code"] == "membership_tier_in_use"
    assert (
        await client.delete(member_url, headers={**marketing, "If-Match": '"v2"'})
    ).status_code == 204
    assert (await client.get(f"{sku}/member-prices", headers=owner)).json() == {"items": []}


# Who may publish, price and manage channels and tiers: catalog:publish; who may read them:
# catalog:read (docs/catalog.md, "Permissions").
@pytest.mark.parametrize("role", sorted(BUILTIN_ROLES))
async def test_publish_and_price_permissions_per_builtin_role(
    role: str, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner, headers = await tenant.headers("owner"), await tenant.headers(role)
    permissions = BUILTIN_ROLES[role]
    channel = await client.post(CHANNELS, json={**TMALL, "code": f"c_{role}"}, headers=headers)
    channel_id = (await client.post(CHANNELS, json={**TMALL, "code": "own"}, headers=owner)).json()[
        "id"
    ]
    product_id, sku_id = await new_product(client, owner, f"RB-{role}")
    published = await client.post(
        f"{PRODUCTS}/{product_id}/publish", json={"channelId": channel_id}, headers=headers
    )
    promotion = await client.post(
        f"{CATALOG}/skus/{sku_id}/promotions",
        json={"amount": "1", "startsAt": "2026-01-01T00:00:00+08:00"},
        headers=headers,
    )
    reads = [
        await client.get(CHANNELS, headers=headers),
        await client.get(f"{PRODUCTS}/{product_id}/listings", headers=headers),
        await client.get(f"{CATALOG}/skus/{sku_id}/price", headers=headers),
        await client.get(TIERS, headers=headers),
    ]
    may_publish = "catalog:publish" in permissions
    assert channel.status_code == (201 if may_publish else 403), channel.text
    assert published.status_code == (200 if may_publish else 403), published.text
    assert promotion.status_code == (201 if may_publish else 403), promotion.text
    expected_read = 200 if "catalog:read" in permissions else 403
    assert [r.status_code for r in reads] == [expected_read] * 4


async def test_search_by_channel_price_and_sort_over_http(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    channel_id = (await client.post(CHANNELS, json=TMALL, headers=owner)).json()["id"]
    listed, _ = await new_product(client, owner, "SR-1", price="300")
    await new_product(client, owner, "SR-2", price="100")
    published = await client.post(
        f"{PRODUCTS}/{listed}/publish", json={"channelId": channel_id}, headers=owner
    )
    assert published.status_code == 200, published.text

    async def codes(**params: str) -> list[str]:
        response = await client.get(f"{PRODUCTS}/search", params={"q": "蓝牙", **params},
                                    headers=owner)  # fmt: skip
        assert response.status_code == 200, response.text
        return [p["code"] for p in response.json()["items"]]

    assert await codes(channel=channel_id) == ["SR-1"]
    assert await codes(minPrice="150") == ["SR-1"]
    assert await codes(maxPrice="150", minPrice="0") == ["SR-2"]
    assert await codes(sort="price") == ["SR-2", "SR-1"]
    assert await codes(sort="-price") == ["SR-1", "SR-2"]
    first = (
        await client.get(
            f"{PRODUCTS}/search",
            params={"q": "蓝牙", "sort": "-created", "limit": 1},
            headers=owner,
        )
    ).json()
    assert [p["code"] for p in first["items"]] == ["SR-2"]
    assert await codes(sort="-created", cursor=first["nextCursor"]) == ["SR-1"]
    for bad in ({"minPrice": "cheap"}, {"sort": "name"}, {"sort": "price", "cursor": "x"}):
        response = await client.get(f"{PRODUCTS}/search", params={"q": "蓝牙", **bad},
                                    headers=owner)  # fmt: skip
        assert response.status_code == 422, (bad, response.text)
