"""PUT of a published product that would leave a SKU without a price on its channel is a
422 problem+json naming the SKU and the channel in the caller's language (CAT-7,
CAT-10); the same PUT keeping the price is accepted."""

from __future__ import annotations

import httpx

from tests.conftest import TenantHandle

CATALOG = "/api/v1/catalog"


async def test_removing_a_published_skus_only_price_is_refused_in_three_languages(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    body = {"code": "EAR", "name": "蓝牙耳机", "skus": [{"code": "EAR-1", "listPrice": "199"}]}
    product = (await client.post(f"{CATALOG}/products", json=body, headers=owner)).json()
    channel = (
        await client.post(
            f"{CATALOG}/channels",
            json={
                "code": "tmall",
                "name": "天猫旗舰店",
                "kind": "marketplace",
                "platform": "tmall",
            },
            headers=owner,
        )
    ).json()
    url = f"{CATALOG}/products/{product['id']}"
    published = await client.post(
        f"{url}/publish", json={"channelId": channel["id"]}, headers=owner
    )
    assert published.status_code == 200, published.text
    etag = (await client.get(url, headers=owner)).headers["etag"]
    sku = {"id": product["skus"][0]["id"], "code": "EAR-1"}

    titles = {}
    for language in ("zh-CN", "zh-TW", "en"):
        refused = await client.put(
            url,
            json={"name": "蓝牙耳机", "skus": [sku]},
            headers={**owner, "If-Match": etag, "Accept-Language": language},
        )
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        problem = refused.json()
        assert problem["code"] == "sku_unpriced_on_channel"
        assert problem["errors"][0]["field"] == "skus[EAR-1]"
        titles[language] = problem["title"]
    assert all("EAR-1" in t and "天猫旗舰店" in t for t in titles.values()), titles
    assert titles["zh-CN"].startswith("商品已在销售渠道") and "銷售通路" in titles["zh-TW"]
    assert titles["en"].startswith("SKU EAR-1 would have no price on sales channel 天猫旗舰店")

    kept = await client.put(
        url,
        json={"name": "蓝牙耳机 Pro", "skus": [{**sku, "listPrice": "219"}]},
        headers={**owner, "If-Match": etag},
    )
    assert kept.status_code == 200, kept.text
    assert kept.json()["skus"][0]["listPrice"] == "219.00"
