"""Helpers of the fulfilment e2e tests: a SKU with a barcode and a weight put away in a
bin, a carrier connected to the simulated carrier, an approved order."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from uuid import UUID

import httpx

from application.logistics.carriers import ConnectCarrier
from tests.conftest import TenantHandle
from tests.e2e.orders.support import order_body
from tests.integration.orders.conftest import caller

BASE = "/api/v1/fulfilment"


@dataclass(frozen=True)
class Stocked:
    sku: str
    barcode: str
    warehouse: str


def _gtin(seed: int) -> str:
    """An EAN-13 with its check digit."""
    body = f"690{seed:09d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


async def stocked(
    client: httpx.AsyncClient,
    owner: dict[str, str],
    units: int,
    grams: str = "250",
    serials: list[str] | None = None,
    batch_no: str | None = None,
    warehouse: str | None = None,
    bin_code: str = "A-01-03",
    zone: str = "A",
) -> Stocked:
    """``serials``: the SKU is serial-managed and its ``units`` come in with them;
    ``batch_no``: it is batch-managed and they come in that batch; ``warehouse``: into a
    new bin ``bin_code`` of ``zone`` there (by default a new warehouse)."""
    code = f"F-{uuid.uuid4().hex[:8]}"
    barcode = _gtin(uuid.uuid4().int % 10**9)
    product = {
        "code": code,
        "name": f"保温杯 {code}",
        "skus": [
            {"code": f"{code}-A", "listPrice": "50.00", "barcode": barcode, "weightGrams": grams}
        ],
    }
    made = await client.post("/api/v1/catalog/products", json=product, headers=owner)
    assert made.status_code == 201, made.text
    sku = made.json()["skus"][0]["id"]
    if warehouse is None:
        body = {"code": f"W-{uuid.uuid4().hex[:6]}", "name": "杭州仓"}
        warehouse = (
            await client.post("/api/v1/inventory/warehouses", json=body, headers=owner)
        ).json()["id"]
    bins = f"/api/v1/inventory/warehouses/{warehouse}/bins"
    bin = {"code": bin_code, "zone": zone}
    bin_id = (await client.post(bins, json=bin, headers=owner)).json()["id"]
    receipt = {"skuId": sku, "warehouseId": warehouse, "quantity": units, "binId": bin_id}
    if serials is not None or batch_no is not None:
        settings = f"/api/v1/inventory/skus/{sku}/stock-settings"
        body = {"batchManaged": batch_no is not None, "serialManaged": serials is not None}
        put = await client.put(settings, json=body, headers={**owner, "If-Match": '"v0"'})
        assert put.status_code == 200, put.text
        receipt |= {"serials": serials, "batchNo": batch_no}
    done = await client.post("/api/v1/inventory/receipts", json=receipt, headers=owner)
    assert done.status_code == 201, done.text
    return Stocked(sku, barcode, warehouse)


async def carrier(tenant: TenantHandle, client: httpx.AsyncClient, endpoint: str) -> str:
    owner = await tenant.headers("owner")
    code = f"S{uuid.uuid4().hex[:5].upper()}"
    body = {"code": code, "name": "模拟快递", "cashOnDelivery": True}
    made = await client.post("/api/v1/logistics/carriers", json=body, headers=owner)
    assert made.status_code == 201, made.text
    connect = ConnectCarrier(UUID(made.json()["id"]), "simulated", endpoint)
    await tenant.container.use_cases.run(caller(tenant), connect)
    return code


async def approved_order(
    client: httpx.AsyncClient, owner: dict[str, str], *lines: tuple[str, int]
) -> dict[str, object]:
    placed = await client.post("/api/v1/orders", json=order_body(*lines), headers=owner)
    assert placed.status_code == 201, placed.text
    order = placed.json()
    url = f"/api/v1/orders/{order['id']}"
    paid = await client.post(
        f"{url}/payments", json={"method": "alipay", "amount": order["total"]}, headers=owner
    )
    assert paid.status_code == 201, paid.text
    approved = await client.post(
        f"{url}/approve", headers={**owner, "If-Match": paid.headers["etag"]}
    )
    assert approved.status_code == 200, approved.text
    return dict(approved.json())


async def figures(client: httpx.AsyncClient, owner: dict[str, str], sku: str) -> dict[str, int]:
    response = await client.get("/api/v1/inventory/stock", params={"skuId": sku}, headers=owner)
    assert response.status_code == 200, response.text
    (level,) = response.json()["items"]
    return dict(level["figures"])
