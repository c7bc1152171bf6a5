"""CAT-5 in the console: settings → product types (listed, created with specifications and
variant axes, revised with the version shown), a product given its type in the editor, and
its SKUs made from the matrix of the type's axes (preview, generate, regenerate)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import httpx

from entrypoints.messages import message
from tests.conftest import TenantHandle
from tests.e2e.console.catalog_support import PRODUCTS, create_in_console, product_form
from tests.e2e.console.support import ConsoleClient, csrf_token

EN = {"Accept-Language": "en"}
TYPES = "/console/settings/product-types"
API_TYPES = "/api/v1/catalog/product-types"


def _attributes(*rows: tuple[str, str, str, str, str]) -> dict[str, list[str]]:
    """Attribute rows of (code, name, kind, use, allowed values), and a blank one."""
    rows = (*rows, ("", "", "text", "optional", ""))
    return {
        "attr_code": [r[0] for r in rows],
        "attr_name": [r[1] for r in rows],
        "attr_kind": [r[2] for r in rows],
        "attr_role": [r[3] for r in rows],
        "attr_unit": ["" for _ in rows],
        "attr_values": [r[4] for r in rows],
    }


TEE = _attributes(
    ("colour", "Colour", "enum", "axis", "Red, Blue"),
    ("size", "Size", "enum", "axis", "S、M"),
    ("fabric", "Fabric", "text", "optional", ""),
)


async def _api_type(tenant: TenantHandle, client: httpx.AsyncClient) -> dict[str, Any]:
    body = {
        "name": "T-shirt",
        "attributes": [
            {"code": "colour", "name": "Colour", "kind": "enum", "variantAxis": True,
             "allowedValues": ["Red", "Blue"]},
            {"code": "size", "name": "Size", "kind": "enum", "variantAxis": True,
             "allowedValues": ["S", "M"]},
        ],
    }  # fmt: skip
    response = await client.post(API_TYPES, json=body, headers=await tenant.headers("owner"))
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_a_product_type_is_created_listed_and_revised(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    await console.sign_in_as(tenant, "owner")
    empty = await console.get(TYPES, **EN)
    assert empty.status_code == 200
    assert message("catalog.no_product_types", "en") in empty.text

    refused = await console.post_form(
        TYPES, TYPES, {"name": "Bad", **_attributes(("Bad Code", "Bad", "text", "optional", ""))}
    )
    assert refused.status_code == 422
    created = await console.post_form(TYPES, TYPES, {"name": "T-shirt", **TEE})
    assert created.status_code == 303, created.text
    location = created.headers["location"]
    assert re.fullmatch(rf"{TYPES}/[0-9a-f-]{{36}}", location)
    owner = await tenant.headers("owner")
    stored = (await client.get(f"/api/v1/catalog/product-types/{location.rsplit('/')[-1]}",
                               headers=owner)).json()  # fmt: skip
    assert [(a["code"], a["variantAxis"], a["allowedValues"]) for a in stored["attributes"]] == [
        ("colour", True, ["Red", "Blue"]),
        ("size", True, ["S", "M"]),
        ("fabric", False, []),
    ]
    listed = (await client.get(API_TYPES, headers=owner)).json()["items"]
    assert [t["name"] for t in listed] == ["T-shirt"]  # the refused one made nothing

    page = await console.get(TYPES, **EN)
    assert "T-shirt" in page.text and "Colour × Size" in page.text
    shown = await console.get(location, **EN)
    assert 'value="Red、Blue"' in shown.text and 'name="version" value="1"' in shown.text

    revised = {"name": "Tee", **TEE, "version": "1"}
    revised["attr_values"] = ["Red, Blue, Green", "S、M", "", ""]
    saved = await console.post_form(location, location, revised)
    assert saved.status_code == 303, saved.text
    again = (await client.get(f"/api/v1/catalog/product-types/{stored['id']}",
                              headers=owner)).json()  # fmt: skip
    assert again["name"] == "Tee" and again["version"] == 2
    assert again["attributes"][0]["allowedValues"] == ["Red", "Blue", "Green"]
    stale = await console.post_form(location, location, {**revised, "name": "Old"})
    assert stale.status_code == 412
    after = (await client.get(f"/api/v1/catalog/product-types/{stored['id']}",
                              headers=owner)).json()  # fmt: skip
    assert after["name"] == "Tee"


async def test_a_product_takes_its_type_and_its_skus_from_the_matrix(
    console: ConsoleClient, tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    product_type = await _api_type(tenant, client)
    await console.sign_in_as(tenant, "owner")
    new = await console.get(f"{PRODUCTS}/new", **EN)
    assert f'<option value="{product_type["id"]}"' in new.text
    created = await create_in_console(
        console, product_form("TEE-1", "Cotton tee", [], product_type=product_type["id"])
    )
    assert created.status_code == 303, created.text
    location = created.headers["location"]
    page = await console.get(location, **EN)
    assert message("catalog.variants", "en") in page.text
    assert 'name="axis_colour" value="Red"' in page.text

    chosen = {"axis_colour": ["Red", "Blue"], "axis_size": ["S"], "list_price": "59"}
    preview = await console.post_form(location, f"{location}/sku-matrix/preview", chosen)
    assert preview.status_code == 200, preview.text
    assert "TEE-1-RED-S" in preview.text and "TEE-1-BLUE-S" in preview.text
    assert message("catalog.matrix_preview", "zh-CN", count=2) in preview.text  # as signed in
    fragment = await console.http.post(
        f"{location}/sku-matrix/preview",
        data={**chosen, "_csrf_token": csrf_token(page.text)},
        headers={"HX-Request": "true", **EN},
    )
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "TEE-1-RED-S" in fragment.text
    owner = await tenant.headers("owner")
    product_url = f"/api/v1/catalog/products/{location.rsplit('/')[-1]}"
    assert (await client.get(product_url, headers=owner)).json()["skus"] == []  # a preview

    generated = await console.post_form(
        location, f"{location}/sku-matrix", {**chosen, "version": "1"}
    )
    assert generated.status_code == 303, generated.text
    stored = (await client.get(product_url, headers=owner)).json()
    made = sorted((s["code"], s["axisValues"], Decimal(s["listPrice"])) for s in stored["skus"])
    assert made == [
        ("TEE-1-BLUE-S", {"colour": "Blue", "size": "S"}, Decimal("59")),
        ("TEE-1-RED-S", {"colour": "Red", "size": "S"}, Decimal("59")),
    ]
    shown = await console.get(location, **EN)
    assert message("catalog.skus_generated", "en", count=2) in shown.text
    assert "Red / S" in shown.text  # each SKU row says its variant
    stale = await console.post_form(
        location, f"{location}/sku-matrix", {**chosen, "axis_colour": ["Red"], "version": "1"}
    )
    assert stale.status_code == 412
    fewer = await console.post_form(
        location,
        f"{location}/sku-matrix",
        {**chosen, "axis_colour": ["Red"], "version": str(stored["version"])},
    )
    assert fewer.status_code == 303, fewer.text
    active = [s for s in (await client.get(product_url, headers=owner)).json()["skus"]
              if not s["archived"]]  # fmt: skip
    assert [s["code"] for s in active] == ["TEE-1-RED-S"]  # Blue archived, never deleted
