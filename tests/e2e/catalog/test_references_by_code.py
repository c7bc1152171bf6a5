"""#9 item 16: filters and queries name a category by its path, a brand by its name and a
sales channel by its code wherever they take an id; an unknown one is a 422 naming the
parameter, in the caller's language."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

import httpx

from application.catalog.brands import CreateBrand
from application.catalog.categories import CreateCategory
from application.catalog.channels import CreateChannel
from application.catalog.listings import PublishListing
from application.catalog.products import CreateProduct, ProductData, SkuData
from tests.conftest import TenantHandle

SEARCH = "/api/v1/catalog/products/search"


async def _catalog(tenant: TenantHandle) -> dict[str, object]:
    run, call = tenant.container.use_cases.run, tenant.admin_context
    clothes = await run(call, CreateCategory("服装", None))
    men = await run(call, CreateCategory("男装", clothes.id))
    brand = await run(call, CreateBrand("棉语 Cotton"))
    shop = await run(call, CreateChannel("tmall_flagship", "天猫旗舰店", "marketplace", "tmall"))
    tee = await run(
        call,
        CreateProduct(
            "TEE",
            ProductData(
                name="纯棉T恤",
                category_id=men.id,
                brand_id=brand.id,
                lifecycle="active",
                skus=[SkuData("TEE-1", list_price=Decimal("99"))],
            ),
        ),
    )
    await run(call, CreateProduct("SOCK", ProductData(name="袜子", lifecycle="active")))
    sku = tee.product.skus[0].id
    await run(call, PublishListing(tee.product.id, shop.id, {sku: Decimal("89")}))
    return {"men": men.id, "brand": brand.id, "shop": shop.id, "sku": sku}


async def _codes(client: httpx.AsyncClient, headers: dict[str, str], **params: str) -> object:
    response = await client.get(SEARCH, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [item["code"] for item in response.json()["items"]]


async def test_filters_take_a_path_a_name_or_a_code_as_well_as_an_id(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    made = await _catalog(tenant)
    owner = await tenant.headers("owner")
    assert await _codes(client, owner, category="服装 > 男装") == ["TEE"]
    assert await _codes(client, owner, category="服装") == ["TEE"]  # with its subcategories
    assert await _codes(client, owner, category=str(made["men"])) == ["TEE"]
    assert await _codes(client, owner, brand="棉语 COTTON") == ["TEE"]  # as names compare
    assert await _codes(client, owner, channel="tmall_flagship") == ["TEE"]
    assert await _codes(client, owner, channel=str(made["shop"])) == ["TEE"]


async def test_an_unknown_reference_is_a_422_naming_each_parameter(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    await _catalog(tenant)
    headers = {**(await tenant.headers("owner")), "Accept-Language": "en"}
    response = await client.get(
        SEARCH,
        params={"category": "服装 > 女装", "brand": "nobody", "channel": "jd_shop"},
        headers=headers,
    )
    assert response.status_code == 422
    assert {(e["field"], e["code"]) for e in response.json()["errors"]} == {
        ("category", "unknown_category"),
        ("brand", "unknown_brand"),
        ("channel", "unknown_channel"),
    }


async def test_a_price_quote_takes_the_channel_code(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    made = await _catalog(tenant)
    owner = await tenant.headers("owner")
    url = f"/api/v1/catalog/skus/{made['sku']}/price?channel={quote('tmall_flagship')}"
    by_code = await client.get(url, headers=owner)
    assert by_code.status_code == 200, by_code.text
    assert (by_code.json()["amount"], by_code.json()["rule"]) == ("89.00", "channel_price")
    unknown = await client.get(
        f"/api/v1/catalog/skus/{made['sku']}/price?channel=jd_shop", headers=owner
    )
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_channel"


CATALOG = "/api/v1/catalog"


async def test_commands_take_a_path_a_name_or_a_code_as_well_as_an_id(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """#9 item 16, commands: a product's category by path and brand by name, a category's
    parent by path, and the channel of publish, channel prices, unpublish and a promotion
    by code — each answering with the ids they name."""
    made = await _catalog(tenant)
    owner = await tenant.headers("owner")
    created = await client.post(
        f"{CATALOG}/products",
        json={
            "code": "HOODIE",
            "name": "卫衣",
            "category": "服装 > 男装",
            "brand": "棉语 cotton",
            "skus": [{"code": "HOODIE-1", "listPrice": "199"}],
        },
        headers=owner,
    )
    assert created.status_code == 201, created.text
    product = created.json()
    assert (product["categoryId"], product["brandId"]) == (str(made["men"]), str(made["brand"]))

    child = await client.post(
        f"{CATALOG}/categories", json={"name": "卫衣", "parent": "服装 > 男装"}, headers=owner
    )
    assert child.status_code == 201 and child.json()["parentId"] == str(made["men"])
    moved = await client.patch(
        f"{CATALOG}/categories/{child.json()['id']}",
        json={"parent": "服装"},
        headers={**owner, "If-Match": child.headers["ETag"]},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["parentId"] != str(made["men"]) and moved.json()["parentId"]

    sku = product["skus"][0]["id"]
    listing = f"{CATALOG}/products/{product['id']}"
    published = await client.post(
        f"{listing}/publish", json={"channel": "tmall_flagship"}, headers=owner
    )
    assert published.status_code == 200, published.text
    assert published.json()["channelId"] == str(made["shop"])
    priced = await client.put(
        f"{listing}/channel-prices",
        json={"channel": "tmall_flagship", "prices": {sku: "179"}},
        headers={**owner, "If-Match": published.headers["ETag"]},
    )
    assert priced.status_code == 200, priced.text
    assert priced.json()["prices"] == {sku: "179.00"}
    promoted = await client.post(
        f"{CATALOG}/skus/{sku}/promotions",
        json={
            "amount": "159",
            "startsAt": "2026-01-01T00:00:00+08:00",
            "channel": "tmall_flagship",
        },
        headers=owner,
    )
    assert promoted.status_code == 201, promoted.text
    assert promoted.json()["channelId"] == str(made["shop"])
    unpublished = await client.post(
        f"{listing}/unpublish", json={"channel": str(made["shop"])}, headers=owner
    )
    assert unpublished.status_code == 200 and unpublished.json()["status"] == "unpublished"


async def test_an_unknown_or_doubled_reference_in_a_command_is_a_422_naming_the_field(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    made = await _catalog(tenant)
    headers = {**(await tenant.headers("owner")), "Accept-Language": "en"}
    before = (await client.get(f"{CATALOG}/products", headers=headers)).json()["items"]
    unknown = await client.post(
        f"{CATALOG}/products",
        json={"code": "X", "name": "X", "category": "服装 > 女装", "brand": "nobody"},
        headers=headers,
    )
    assert unknown.status_code == 422
    assert {(e["field"], e["code"]) for e in unknown.json()["errors"]} == {
        ("category", "unknown_category"),
        ("brand", "unknown_brand"),
    }
    doubled = await client.post(
        f"{CATALOG}/products",
        json={"code": "X", "name": "X", "categoryId": str(made["men"]), "category": "服装"},
        headers=headers,
    )
    assert doubled.status_code == 422 and doubled.json()["code"] == "given_twice"
    assert "categoryId" in doubled.json()["errors"][0]["message"]
    no_parent = await client.post(
        f"{CATALOG}/categories", json={"name": "童装", "parent": "鞋"}, headers=headers
    )
    assert no_parent.status_code == 422
    assert [(e["field"], e["code"]) for e in no_parent.json()["errors"]] == [
        ("parent", "unknown_category")
    ]
    products = (await client.get(f"{CATALOG}/products", headers=headers)).json()["items"]
    no_channel = await client.post(
        f"{CATALOG}/products/{products[0]['id']}/publish",
        json={"channel": "jd_shop"},
        headers=headers,
    )
    assert no_channel.status_code == 422
    assert [(e["field"], e["code"]) for e in no_channel.json()["errors"]] == [
        ("channel", "unknown_channel")
    ]
    neither = await client.post(
        f"{CATALOG}/products/{products[0]['id']}/publish", json={}, headers=headers
    )
    assert neither.status_code == 422
    assert [(e["field"], e["code"]) for e in neither.json()["errors"]] == [
        ("channelId", "required")
    ]
    after = (await client.get(f"{CATALOG}/products", headers=headers)).json()["items"]
    assert after == before  # nothing was created
