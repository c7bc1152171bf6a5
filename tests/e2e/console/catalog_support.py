"""Catalog data for the console's tests, made through the API as a merchant's tools would
(products, channels), and the console's own catalog forms."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import TenantHandle
from tests.e2e.console.support import ConsoleClient

PRODUCTS = "/console/catalog/products"
EN = {"accept-language": "en"}


async def api_product(
    tenant: TenantHandle,
    client: httpx.AsyncClient,
    code: str,
    name: str,
    price: str | None = "99.00",
) -> dict[str, Any]:
    sku: dict[str, Any] = {"code": f"{code}-1"}
    if price is not None:
        sku["listPrice"] = price
    response = await client.post(
        "/api/v1/catalog/products",
        json={"code": code, "name": name, "skus": [sku]},
        headers=await tenant.headers("owner"),
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def api_channel(
    tenant: TenantHandle, client: httpx.AsyncClient, code: str = "own_shop", name: str = "Own shop"
) -> str:
    response = await client.post(
        "/api/v1/catalog/channels",
        json={"code": code, "name": name, "kind": "own_shop"},
        headers=await tenant.headers("owner"),
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def product_form(
    code: str, name: str, skus: list[tuple[str, str, str, str]], **fields: str
) -> dict[str, Any]:
    """The editor's fields: SKU rows of (code, barcode, price, weight), new ones."""
    return {
        "code": code,
        "name": name,
        "sku_id": [""] * len(skus),
        "sku_code": [s[0] for s in skus],
        "sku_barcode": [s[1] for s in skus],
        "sku_price": [s[2] for s in skus],
        "sku_weight": [s[3] for s in skus],
        **fields,
    }


async def create_in_console(console: ConsoleClient, form: dict[str, Any]) -> httpx.Response:
    return await console.post_form(f"{PRODUCTS}/new", f"{PRODUCTS}/new", form)
