"""PLT-8 for the catalog (CAT-1, CAT-3, CAT-7, CAT-8, CAT-12): the product list with live
search and filters, the editor with its SKUs (If-Match as the version the page was read
at), publication and channel prices, media, a refused change showing the problem's message,
and a role that only reads."""

from __future__ import annotations

import re
from uuid import UUID

import httpx

from entrypoints.messages import message
from tests.conftest import TenantHandle
from tests.e2e.console.catalog_support import (
    EN,
    PRODUCTS,
    api_channel,
    api_product,
    create_in_console,
    product_form,
)
from tests.e2e.console.support import ConsoleClient, csrf_token
from tests.e2e.platform.isolation import png

HTMX = {"hx-request": "true", "hx-target": "results"}


async def test_live_search_finds_a_chinese_two_character_query(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    await api_product(tenant, client, "EAR-1", "降噪蓝牙耳机")
    await api_product(tenant, client, "CHG-1", "快速充电器")
    await console.sign_in_as(tenant, "owner")
    whole = await console.get("/console/catalog", **EN)
    assert whole.status_code == 200
    assert "降噪蓝牙耳机" in whole.text and "快速充电器" in whole.text
    assert 'hx-get="/console/catalog"' in whole.text  # the search box searches as one types
    found = await console.get("/console/catalog?q=蓝牙", **HTMX, **EN)
    assert found.status_code == 200
    assert "降噪蓝牙耳机" in found.text
    assert "快速充电器" not in found.text
    assert "<html" not in found.text  # the results alone, swapped into the page
    by_code = await console.get("/console/catalog?q=CHG", **EN)
    assert "快速充电器" in by_code.text and "降噪蓝牙耳机" not in by_code.text


async def test_filters_sorts_and_paging(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    channel_id = await api_channel(tenant, client)
    published = await api_product(tenant, client, "PUB-1", "上架商品", "10.00")
    await api_product(tenant, client, "OFF-1", "未上架商品", "20.00")
    response = await client.post(
        f"/api/v1/catalog/products/{published['id']}/publish",
        json={"channelId": channel_id},
        headers=await tenant.headers("owner"),
    )
    assert response.status_code == 200, response.text
    await console.sign_in_as(tenant, "owner")
    on_channel = await console.get(f"/console/catalog?channel={channel_id}", **EN)
    assert "上架商品" in on_channel.text and "未上架商品" not in on_channel.text
    active = await console.get("/console/catalog?status=active", **EN)
    assert "PUB-1" in active.text and "OFF-1" not in active.text  # publishing launched it
    by_price = await console.get("/console/catalog?sort=-price", **EN)
    assert by_price.text.index("OFF-1") < by_price.text.index("PUB-1")
    for n in range(20):
        await api_product(tenant, client, f"MORE-{n}", f"商品{n}")
    first = await console.get("/console/catalog", **EN)
    cursor = re.search(r'cursor=([^"&]+)', first.text)
    assert cursor, "a full page links the next one"
    second = await console.get(f"/console/catalog?sort=created&cursor={cursor[1]}", **EN)
    assert "MORE-19" in second.text and "PUB-1" not in second.text


async def test_a_bad_filter_shows_the_problem(console: ConsoleClient, tenant: TenantHandle) -> None:
    await console.sign_in_as(tenant, "owner")
    page = await console.get("/console/catalog?status=sold", **EN)
    assert page.status_code == 422
    assert message("invalid_choice", "en", allowed="x").split("x")[0][:10] in page.text


async def test_create_a_product_with_its_skus_then_edit_it(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    console.http.headers.update(EN)
    await console.sign_in_as(tenant, "owner")
    new = await console.get(f"{PRODUCTS}/new")
    assert new.status_code == 200 and 'name="sku_code"' in new.text
    row = await console.get(f"{PRODUCTS}/sku-row", **EN)
    assert row.text.count('name="sku_code"') == 1  # the row "add a SKU" appends
    created = await create_in_console(
        console,
        product_form(
            "TEE-1",
            "纯棉T恤",
            [("TEE-1-S", "6901234567892", "59.00", "180")],
        ),
    )
    assert created.status_code == 303, created.text
    location = created.headers["location"]
    page = await console.get(location, **EN)
    assert "Product TEE-1 created." in page.text
    assert 'value="TEE-1-S"' in page.text and 'value="59.00"' in page.text
    assert 'value="6901234567892"' in page.text and 'value="180"' in page.text
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version and version[1] == "1"
    form = product_form("TEE-1", "纯棉T恤 新款", [("TEE-1-L", "", "69.00", "")], version=version[1])
    saved = await console.post_form(location, location, form)
    assert saved.status_code == 303, saved.text
    after = await console.get(location, **EN)
    assert "纯棉T恤 新款" in after.text and 'value="TEE-1-L"' in after.text
    assert 'value="TEE-1-S"' not in after.text  # left out: archived, not shown


async def test_a_stale_edit_shows_the_stale_version_message(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    product = await api_product(tenant, client, "OLD-1", "旧名字")
    location = f"{PRODUCTS}/{product['id']}"
    await console.sign_in_as(tenant, "owner")
    opened = await console.get(location, **EN)
    meanwhile = await client.put(
        f"/api/v1/catalog/products/{product['id']}",
        json={"name": "别人改的", "skus": [{"id": product["skus"][0]["id"], "code": "OLD-1-1"}]},
        headers={**(await tenant.headers("owner")), "If-Match": '"v1"'},
    )
    assert meanwhile.status_code == 200, meanwhile.text
    form = product_form("OLD-1", "我改的", [("OLD-1-1", "", "", "")], version="1")
    form.update(sku_id=[product["skus"][0]["id"]])
    response = await console.http.post(
        location, data={**form, "_csrf_token": csrf_token(opened.text)}, headers=EN
    )
    assert response.status_code == 412
    assert message("stale_version", "en", expected=1, actual=2) in response.text
    assert 'value="我改的"' in response.text  # what the user typed is kept


async def test_a_refused_save_shows_the_problem_and_changes_nothing(
    console: ConsoleClient, tenant: TenantHandle
) -> None:
    await console.sign_in_as(tenant, "owner")
    form = product_form("BAD-1", "坏价格", [("BAD-1-A", "", "12.345", "")])
    response = await create_in_console(console, form)
    assert response.status_code == 422
    assert 'role="alert"' in response.text
    assert "skus[0].listPrice" in response.text
    assert message("too_many_decimal_places", "zh-CN", max=2) in response.text
    listing = await console.get("/console/catalog?q=BAD-1")
    assert "坏价格" not in listing.text


async def test_publish_and_unpublish_on_a_channel_with_its_prices(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    channel_id = await api_channel(tenant, client, "tmall_flagship", "Tmall flagship")
    product = await api_product(tenant, client, "PHN-1", "手机", price=None)
    location = f"{PRODUCTS}/{product['id']}"
    channel = {"channel": channel_id}
    console.http.headers.update(EN)
    await console.sign_in_as(tenant, "owner")
    refused = await console.post_form(location, f"{location}/publish", channel)
    assert refused.status_code == 422  # no price anywhere: the blocker is named
    assert "PHN-1-1" in refused.text and 'role="alert"' in refused.text
    sku_id = product["skus"][0]["id"]
    priced = await console.post_form(
        location, f"{location}/prices", {**channel, f"price_{sku_id}": "1999"}
    )
    assert priced.status_code == 303, priced.text
    published = await console.post_form(location, f"{location}/publish", channel)
    assert published.status_code == 303, published.text
    page = await console.get(location, **EN)
    assert "Published." in page.text and "On sale" in page.text
    assert 'value="1999.00"' in page.text
    assert "Unpublish from Tmall flagship" in page.text
    off = await console.post_form(location, f"{location}/unpublish", channel)
    assert off.status_code == 303
    assert "Publish on Tmall flagship" in (await console.get(location, **EN)).text


async def test_media_upload_with_the_csrf_token_and_the_thumbnail(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    product = await api_product(tenant, client, "CAM-1", "相机")
    location = f"{PRODUCTS}/{product['id']}"
    await console.sign_in_as(tenant, "owner")
    opened = await console.get(location)
    assert 'enctype="multipart/form-data"' in opened.text
    without_token = await console.http.post(
        f"{location}/media", files={"file": ("a.png", png(), "image/png")}
    )
    assert without_token.status_code == 403
    uploaded = await console.http.post(
        f"{location}/media",
        data={"alt_text": "正面照", "_csrf_token": csrf_token(opened.text)},
        files={"file": ("a.png", png(), "image/png")},
    )
    assert uploaded.status_code == 303, uploaded.text
    page = await console.get(location, **EN)
    thumbnail = re.search(
        r'src="(/console/catalog/media/[^"]+\?size=small)" alt="正面照"', page.text
    )
    assert thumbnail, page.text
    served = await console.get(thumbnail[1])
    assert served.status_code == 200 and served.headers["content-type"] == "image/webp"
    not_an_image = await console.http.post(
        f"{location}/media",
        data={"_csrf_token": csrf_token(page.text)},
        files={"file": ("a.png", b"<html>hello</html>", "image/png")},
        headers=EN,
    )
    assert not_an_image.status_code == 422
    assert message("unsupported_file_type", "en").split(";")[0] in not_an_image.text


async def test_a_reader_sees_no_edit_buttons_and_is_refused_the_new_product_form(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    await api_channel(tenant, client)
    product = await api_product(tenant, client, "RD-1", "只读商品")
    await console.sign_in_as(tenant, "warehouse")
    listing = await console.get("/console/catalog", **EN)
    assert listing.status_code == 200 and "只读商品" in listing.text
    assert "/console/catalog/products/new" not in listing.text
    page = await console.get(f"{PRODUCTS}/{product['id']}", **EN)
    assert page.status_code == 200
    assert "<fieldset disabled>" in page.text
    assert ">Save<" not in page.text and "Publish on" not in page.text
    assert 'enctype="multipart/form-data"' not in page.text
    forbidden = await console.get(f"{PRODUCTS}/new", **EN)
    assert forbidden.status_code == 403 and "catalog:write" in forbidden.text
    posted = await console.post_form(
        "/console/catalog", f"{PRODUCTS}/{product['id']}", product_form("RD-1", "改", [])
    )
    assert posted.status_code == 403
    assert UUID(product["id"])  # unchanged below
    again = await client.get(
        f"/api/v1/catalog/products/{product['id']}", headers=await tenant.headers("owner")
    )
    assert again.json()["name"] == "只读商品"
