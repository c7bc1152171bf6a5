"""Returns of batch- and serial-managed SKUs (ORD-6 × INV-8), over HTTP: the goods come
into the returns warehouse in the batch named and with their serials (resellable and
damaged apart), through inventory's ``ReturnReceipts``; a batch or serials missing or
wrong are refused by inventory, and a serial the order did not ship by after-sales — the
case and the stock unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.conftest import TenantHandle
from tests.e2e.aftersales.support import figures, open_case, returns_warehouse, step
from tests.e2e.fulfilment.support import BASE as FULFILMENT
from tests.e2e.fulfilment.support import Stocked, approved_order, carrier, stocked
from tests.e2e.orders.support import BASE as ORDERS
from tests.e2e.orders.support import order_body
from tests.support.carrier import RunningCarrier, simulated_carrier


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningCarrier]:
    with simulated_carrier() as running:
        yield running


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


async def _shipped(
    tenant: TenantHandle,
    client: httpx.AsyncClient,
    owner: dict[str, str],
    sim: RunningCarrier,
    goods: Stocked,
    serials: list[str],
) -> dict[str, Any]:
    """An order of ``serials`` units of the SKU picked, verified with ``serials`` and
    shipped through fulfilment: the order as it is then."""
    code = await carrier(tenant, client, sim.url)
    order = await approved_order(client, owner, (goods.sku, len(serials)))
    plan = {"carrier": code, "warehouseId": goods.warehouse}
    (wave,) = (await client.post(f"{FULFILMENT}/waves/plan", json=plan, headers=owner)).json()
    pick = {"code": goods.barcode, "quantity": len(serials), "serials": serials}
    picked = await client.post(f"{FULFILMENT}/waves/{wave['id']}/picks", json=pick, headers=owner)
    assert picked.status_code == 200, picked.text
    shipments = await client.get(f"{FULFILMENT}/waves/{wave['id']}/shipments", headers=owner)
    url = f"{FULFILMENT}/shipments/{shipments.json()[0]['id']}"
    for serial in serials:
        scan = {"code": goods.barcode, "serial": serial}
        assert (await client.post(f"{url}/verify", json=scan, headers=owner)).status_code == 200
    weighed = await client.post(f"{url}/weigh", json={"grams": 500}, headers=owner)
    booked = await client.post(
        f"{url}/waybill", headers={**owner, "If-Match": weighed.headers["etag"]}
    )
    shipped = await client.post(
        f"{url}/ship", headers={**owner, "If-Match": booked.headers["etag"]}
    )
    assert shipped.status_code == 200, shipped.text
    found = await client.get(f"{ORDERS}/{order['id']}", headers=owner)
    assert found.json()["status"] == "shipped", found.text
    return dict(found.json())


async def test_a_serial_managed_return_comes_in_with_the_serials_the_order_shipped(
    tenant: TenantHandle, client: httpx.AsyncClient, sim: RunningCarrier
) -> None:
    owner = await tenant.headers("owner")
    en = {**owner, "Accept-Language": "en"}
    goods = await stocked(client, owner, 3, serials=["PH-1", "PH-2", "PH-3"])
    returns = await returns_warehouse(client, owner)
    order = await _shipped(tenant, client, owner, sim, goods, ["PH-1", "PH-2"])
    opened = await open_case(client, owner, order, "return_refund", (0, 2))
    case = await step(client, owner, opened, "approve", {"reason": "同意退货"})
    line = {"lineNo": 1, "resellable": 1, "damaged": 1}
    missing = await step(
        client, owner, case, "receipts", {"warehouseId": returns, "lines": [line]}, 422
    )
    assert missing["errors"][0]["code"] == "serials_required"
    short = {**line, "serials": ["PH-1", "PH-2"], "damagedSerials": []}
    miscounted = await step(
        client, owner, case, "receipts", {"warehouseId": returns, "lines": [short]}, 422
    )
    assert miscounted["errors"][0]["code"] == "serial_count_mismatch"
    for serials, damaged, at, named in (
        (["PH-3"], ["PH-2"], "lines[0].serials", "PH-3"),  # in stock still: never shipped
        (["PH-1"], ["RT-9"], "lines[0].damagedSerials", "RT-9"),  # never heard of
    ):
        unshipped = {**line, "serials": serials, "damagedSerials": damaged}
        refused = await step(
            client, en, case, "receipts", {"warehouseId": returns, "lines": [unshipped]}, 422
        )
        (error,) = refused["errors"]
        assert (error["field"], error["code"]) == (at, "serial_not_shipped_with_order")
        assert named in error["message"]
    assert await figures(client, owner, goods.sku, returns) == {}  # nothing came in

    good = {**line, "serials": ["PH-1"], "damagedSerials": ["PH-2"]}
    case = await step(client, owner, case, "receipts", {"warehouseId": returns, "lines": [good]})
    assert case["status"] == "received"
    stock = await figures(client, owner, goods.sku, returns)
    assert (stock["onHand"], stock["available"], stock["nonSellable"]) == (1, 1, 1)
    for serial in ("PH-1", "PH-2"):
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
