"""What the inventory console tests set up through the API: a SKU (with a barcode) and
warehouses, as a merchant would have them before using the pages."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx

from domain.catalog.codes import gtin_check_digit
from tests.conftest import TenantHandle


@dataclass(frozen=True)
class Stocked:
    sku_id: str
    sku: str  # its code
    barcode: str
    warehouse: str  # a warehouse's code
    other: str  # a second warehouse's code


async def _warehouse(tenant: TenantHandle, client: httpx.AsyncClient, code: str) -> str:
    body = {"code": code, "name": f"仓库 {code}"}
    headers = await tenant.headers("owner")
    response = await client.post("/api/v1/inventory/warehouses", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return code


async def a_sku_and_warehouses(tenant: TenantHandle, client: httpx.AsyncClient) -> Stocked:
    tag = uuid.uuid4().hex[:6].upper()
    body = f"69{uuid.uuid4().int % 10**10:010d}"
    barcode = f"{body}{gtin_check_digit(body)}"  # an EAN-13
    product = {
        "code": f"TEA-{tag}",
        "name": "乌龙茶",
        "skus": [{"code": f"TEA-{tag}-250", "barcode": barcode, "listPrice": "58"}],
    }
    headers = await tenant.headers("owner")
    response = await client.post("/api/v1/catalog/products", json=product, headers=headers)
    assert response.status_code == 201, response.text
    sku = response.json()["skus"][0]
    return Stocked(
        sku["id"],
        sku["code"],
        barcode,
        await _warehouse(tenant, client, f"BJ-{tag}"),
        await _warehouse(tenant, client, f"SH-{tag}"),
    )
