"""Returns of batch- and serial-managed SKUs (ORD-6 × INV-8), over HTTP: the goods come
into the returns warehouse in the batch named and with their serials (resellable and
damaged apart), through inventory's ``ReturnReceipts``; a batch or serials missing or
wrong are refused by inventory, the case and the stock unchanged."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import TenantHandle
from tests.e2e.aftersales.support import figures, open_case, returns_warehouse, step
from tests.e2e.fulfilment.support import Stocked, stocked
from tests.e2e.orders.support import BASE as ORDERS
from tests.e2e.orders.support import order_body


async def _awaiting_return(
    client: httpx.AsyncClient, owner: dict[str, str], goods: Stocked, units: int
) -> dict[str, Any]:
    """A paid order of ``units`` of the SKU, its return and refund case approved."""
    placed = await client.post(ORDERS, json=order_body((goods.sku, units)), headers=owner)
    assert placed.status_code == 201, placed.text
    order = placed.json()
    payment = {"method": "cash", "amount": order["total"]}
    paid = await client.post(f"{ORDERS}/{order['id']}/payments", json=payment, headers=owner)
    assert paid.status_code == 201, paid.text
    case = await open_case(client, owner, paid.json(), "return_refund", (0, units))
    return await step(client, owner, case, "approve", {"reason": "同意退货"})


async def _serial(client: httpx.AsyncClient, owner: dict[str, str], sku: str, serial: str) -> Any:
    found = await client.get(f"/api/v1/inventory/skus/{sku}/serials/{serial}", headers=owner)
    assert found.status_code == 200, found.text
    return found.json()


async def test_a_serial_managed_return_comes_in_with_its_serials(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    goods = await stocked(client, owner, 2, serials=["PH-1", "PH-2"])
    returns = await returns_warehouse(client, owner)
    case = await _awaiting_return(client, owner, goods, 2)
    line = {"lineNo": 1, "resellable": 1, "damaged": 1}
    missing = await step(
        client, owner, case, "receipts", {"warehouseId": returns, "lines": [line]}, 422
    )
    assert missing["errors"][0]["code"] == "serials_required"
    short = {**line, "serials": ["RT-1", "RT-2"], "damagedSerials": ["RT-3"]}
    miscounted = await step(
        client, owner, case, "receipts", {"warehouseId": returns, "lines": [short]}, 422
    )
    assert miscounted["errors"][0]["code"] == "serial_count_mismatch"
    assert await figures(client, owner, goods.sku, returns) == {}  # nothing came in

    good = {**line, "serials": ["RT-1"], "damagedSerials": ["RT-2"]}
    case = await step(client, owner, case, "receipts", {"warehouseId": returns, "lines": [good]})
    assert case["status"] == "received"
    stock = await figures(client, owner, goods.sku, returns)
    assert (stock["onHand"], stock["available"], stock["nonSellable"]) == (1, 1, 1)
    for serial in ("RT-1", "RT-2"):
        record = await _serial(client, owner, goods.sku, serial)
        assert record["inStock"] is True and record["warehouseId"] == returns


async def test_a_batch_managed_return_comes_back_into_its_batch(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    goods = await stocked(client, owner, 3, batch_no="L2026")
    returns = await returns_warehouse(client, owner)
    case = await _awaiting_return(client, owner, goods, 2)
    line = {"lineNo": 1, "resellable": 2}
    missing = await step(
        client, owner, case, "receipts", {"warehouseId": returns, "lines": [line]}, 422
    )
    assert missing["errors"][0]["code"] == "batch_required"
    batched = {**line, "batchNo": "L2026"}
    case = await step(client, owner, case, "receipts", {"warehouseId": returns, "lines": [batched]})
    assert case["status"] == "received"
    batches = await client.get(
        "/api/v1/inventory/batch-stock",
        params={"skuId": goods.sku, "warehouseId": returns},
        headers=owner,
    )
    assert batches.status_code == 200, batches.text
    assert [(b["batch"]["number"], b["onHand"]) for b in batches.json()] == [("L2026", 2)]
