"""/api/v1/inventory costing over HTTP (INV-7): the method (If-Match, fixed once values
are posted), a receipt document with landed costs (idempotent), the cost of an issue,
a SKU × warehouse's cost, the value at a date, a back-dated receipt's re-valuation job
followed through /api/v1/jobs, and everything about costs hidden or 403 without
``inventory:costing``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import httpx

from application.inventory.costing.revaluation import Revaluations
from tests.conftest import TenantHandle
from tests.e2e.inventory.test_inventory_api import BASE, sku_of, warehouse


async def test_inv7_costing_over_http(tenant: TenantHandle, client: httpx.AsyncClient) -> None:
    owner = await tenant.headers("owner")
    settings = await client.get(f"{BASE}/costing/settings", headers=owner)
    assert settings.status_code == 200 and settings.json()["method"] == "fifo"
    assert settings.headers["etag"] == '"v0"'
    body = {"method": "moving_average"}
    assert (
        await client.put(f"{BASE}/costing/settings", json=body, headers=owner)
    ).status_code == 428
    changed = await client.put(
        f"{BASE}/costing/settings", json=body, headers={**owner, "If-Match": '"v0"'}
    )
    assert changed.status_code == 200, changed.text
    assert changed.headers["etag"] == '"v1"' and changed.json()["hasHistory"] is False

    a, b = await sku_of(client, owner, "COST-A"), await sku_of(client, owner, "COST-B")
    main = await warehouse(client, owner, "COST-1")
    document = {
        "warehouse": "COST-1",
        "lines": [
            {"skuId": a, "quantity": 3, "unitCost": "10.00", "weight": "1.5"},
            {"skuId": b, "quantity": 7, "unitCost": "5.00", "weight": "1.5"},
        ],
        "charges": [
            {"kind": "freight", "amount": "10.00", "basis": "quantity"},  # 3.00 / 7.00
            {"kind": "duty", "amount": "6.50", "basis": "value"},  # 30:35 → 3.00 / 3.50
            {"kind": "other", "amount": "0.01", "basis": "weight"},  # the odd fen: line 1
        ],
    }
    key = {**owner, "Idempotency-Key": "doc-1"}
    received = await client.post(f"{BASE}/receipt-documents", json=document, headers=key)
    assert received.status_code == 201, received.text
    lines = received.json()["lines"]
    assert [(li["landed"], li["total"], li["unitCost"]) for li in lines] == [
        ("6.01", "36.01", "12.003333"),
        ("10.50", "45.50", "6.500000"),
    ]
    assert received.json()["total"] == "81.51"
    again = await client.post(f"{BASE}/receipt-documents", json=document, headers=key)
    assert again.status_code == 201 and again.json() == received.json()  # replayed, once

    issued = await client.post(
        f"{BASE}/issues", json={"skuId": a, "warehouseId": main, "quantity": 1}, headers=owner
    )
    assert issued.status_code == 201 and issued.json()["costAmount"] == "-12.00"  # 36.01/3
    cost = await client.get(
        f"{BASE}/costs", params={"skuId": a, "warehouseId": "COST-1"}, headers=owner
    )
    assert cost.status_code == 200, cost.text
    assert cost.json() == {
        "skuId": a,
        "warehouseId": main,
        "quantity": 2,
        "value": "24.01",
        "unitCost": "12.005000",
    }
    valuation = await client.get(f"{BASE}/valuation", headers=owner)
    assert valuation.status_code == 200 and valuation.json()["total"] == "69.51"
    past = await client.get(
        f"{BASE}/valuation", params={"at": "2020-01-01T00:00:00+08:00"}, headers=owner
    )
    assert past.status_code == 200 and past.json()["items"] == []

    # a back-dated receipt: its job re-values B from three days ago, followed at /jobs
    back = {
        "skuId": b,
        "warehouseId": main,
        "quantity": 3,
        "unitCost": "4.00",
        "effectiveAt": (datetime.now(UTC) - timedelta(days=3)).isoformat(),
    }
    late = await client.post(f"{BASE}/receipts", json=back, headers=owner)
    assert late.status_code == 201, late.text
    job_id = late.json()["revaluationJobId"]
    assert job_id is not None
    queued = await client.get(f"/api/v1/jobs/{job_id}", headers=owner)
    assert queued.status_code == 200 and queued.json()["kind"] == "inventory.revalue"
    await tenant.container.get(Revaluations).run(tenant.id, UUID(job_id))
    done = (await client.get(f"/api/v1/jobs/{job_id}", headers=owner)).json()
    assert done["status"] == "succeeded" and done["done"] == 2  # itself and the document line
    future = {**back, "effectiveAt": (datetime.now(UTC) + timedelta(days=1)).isoformat()}
    refused = await client.post(f"{BASE}/receipts", json=future, headers=owner)
    assert refused.status_code == 422

    fixed = await client.put(
        f"{BASE}/costing/settings", json={"method": "fifo"}, headers={**owner, "If-Match": '"v1"'}
    )
    assert fixed.status_code == 409 and fixed.json()["code"] == "costing_history_exists"


async def test_inv7_costs_hidden_and_routes_403_without_costing(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    keeper = await tenant.headers("warehouse")  # inventory read/write, no costing
    sku = await sku_of(client, owner, "HIDDEN")
    main = await warehouse(client, owner, "HIDE-1")
    receipt = {"skuId": sku, "warehouseId": main, "quantity": 4, "unitCost": "2.50"}
    assert (await client.post(f"{BASE}/receipts", json=receipt, headers=owner)).status_code == 201
    issue = {"skuId": sku, "warehouseId": main, "quantity": 1}
    issued = await client.post(f"{BASE}/issues", json=issue, headers=keeper)
    assert issued.status_code == 201 and issued.json()["costAmount"] is None
    ledger = (await client.get(f"{BASE}/ledger", params={"skuId": sku}, headers=keeper)).json()
    assert [(e["unitCost"], e["costAmount"]) for e in ledger["items"]] == [(None, None)] * 2
    shown = (await client.get(f"{BASE}/ledger", params={"skuId": sku}, headers=owner)).json()
    assert [e["costAmount"] for e in shown["items"]] == ["10.00", "-2.50"]
    document = {"warehouseId": main, "lines": [{"skuId": sku, "quantity": 1, "unitCost": "1"}]}
    for method, path, extra in (
        ("GET", f"{BASE}/valuation", {}),
        ("GET", f"{BASE}/costs", {"params": {"skuId": sku, "warehouseId": main}}),
        ("GET", f"{BASE}/costing/settings", {}),
        ("PUT", f"{BASE}/costing/settings", {"json": {"method": "fifo"}}),
        ("POST", f"{BASE}/receipt-documents", {"json": document}),
    ):
        response = await client.request(method, path, headers=keeper, **extra)
        assert response.status_code == 403, (path, response.text)
    finance = await tenant.headers("finance")  # read + costing
    valued = await client.get(f"{BASE}/valuation", params={"skuId": sku}, headers=finance)
    assert valued.status_code == 200 and valued.json()["items"][0]["value"] == "7.50"


async def test_inv7_the_valuation_is_paged_over_http(
    tenant: TenantHandle, client: httpx.AsyncClient
) -> None:
    """INV-7: the value at a date in pages (keyset on SKU, warehouse): three levels two at
    a time; the total of all three on the first page; the same levels as one big page."""
    owner = await tenant.headers("owner")
    skus = [await sku_of(client, owner, f"PAGE-{n}") for n in range(3)]
    main = await warehouse(client, owner, "PAGE-1")
    for n, sku in enumerate(skus, start=1):
        receipt = {"skuId": sku, "warehouseId": main, "quantity": n, "unitCost": "2.00"}
        assert (await client.post(f"{BASE}/receipts", json=receipt, headers=owner)).is_success
    first = await client.get(f"{BASE}/valuation", params={"limit": 2}, headers=owner)
    assert first.status_code == 200, first.text
    page = first.json()
    assert len(page["items"]) == 2 and page["total"] == "12.00"  # (1 + 2 + 3) × 2.00
    assert page["nextCursor"] is not None
    rest = await client.get(
        f"{BASE}/valuation", params={"limit": 2, "cursor": page["nextCursor"]}, headers=owner
    )
    assert rest.status_code == 200, rest.text
    last = rest.json()
    assert len(last["items"]) == 1 and last["nextCursor"] is None and last["total"] is None
    whole = (await client.get(f"{BASE}/valuation", params={"limit": 3}, headers=owner)).json()
    assert whole["items"] == page["items"] + last["items"] and whole["nextCursor"] is None
    assert sorted(item["skuId"] for item in whole["items"]) == sorted(skus)
    assert [item["quantity"] for item in whole["items"]] == [
        {sku: n for n, sku in enumerate(skus, start=1)}[item["skuId"]] for item in whole["items"]
    ]
    bad = await client.get(f"{BASE}/valuation", params={"cursor": "bm90LWEta2V5"}, headers=owner)
    assert bad.status_code == 422
