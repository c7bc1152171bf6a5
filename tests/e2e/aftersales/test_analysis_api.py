"""Return analysis on a hand-made set of cases (LOG-4): rates per SKU and SPU, reasons,
refund and shipping-insurance totals — rejected cases and other companies left out."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx

from tests.conftest import TenantFactory, TenantHandle
from tests.e2e.aftersales.support import BASE, open_case, returns_warehouse, step
from tests.e2e.orders.support import BASE as ORDERS
from tests.e2e.orders.support import order_body

ANALYSIS = "/api/v1/aftersales/analysis/returns"


async def _two_sku_product(client: httpx.AsyncClient, headers: dict[str, str]) -> list[str]:
    code = f"AN-{uuid.uuid4().hex[:6]}"
    sizes = {
        "name": f"尺码 {code}",
        "attributes": [{"code": "size", "name": "尺码", "kind": "text", "variantAxis": True}],
    }
    kind = await client.post("/api/v1/catalog/product-types", json=sizes, headers=headers)
    assert kind.status_code == 201, kind.text
    body = {
        "code": code,
        "name": "分析T恤",
        "productTypeId": kind.json()["id"],
        "skus": [
            {"code": f"{code}-S", "listPrice": "10.00", "axisValues": {"size": "S"}},
            {"code": f"{code}-M", "listPrice": "20.00", "axisValues": {"size": "M"}},
        ],
    }
    made = await client.post("/api/v1/catalog/products", json=body, headers=headers)
    assert made.status_code == 201, made.text
    skus = [str(s["id"]) for s in made.json()["skus"]]
    warehouse = await client.post(
        "/api/v1/inventory/warehouses",
        json={"code": f"AW-{uuid.uuid4().hex[:6]}", "name": "分析仓"},
        headers=headers,
    )
    for sku in skus:
        receipt = {"skuId": sku, "warehouseId": warehouse.json()["id"], "quantity": 50}
        done = await client.post("/api/v1/inventory/receipts", json=receipt, headers=headers)
        assert done.status_code == 201, done.text
    return skus


async def _paid(
    client: httpx.AsyncClient, headers: dict[str, str], *lines: tuple[str, int]
) -> dict[str, Any]:
    placed = (await client.post(ORDERS, json=order_body(*lines), headers=headers)).json()
    payment = {"method": "cash", "amount": placed["total"]}
    paid = await client.post(f"{ORDERS}/{placed['id']}/payments", json=payment, headers=headers)
    assert paid.status_code == 201, paid.text
    return dict(paid.json())


async def test_return_analysis_on_hand_made_cases(
    tenant: TenantHandle, new_tenant: TenantFactory, client: httpx.AsyncClient
) -> None:
    owner = await tenant.headers("owner")
    small, medium = await _two_sku_product(client, owner)
    first = await _paid(client, owner, (small, 10), (medium, 4))
    second = await _paid(client, owner, (medium, 6))
    returns = await returns_warehouse(client, owner)
    # returned: 2 small (return), 1 medium (exchange); a rejected one counts nothing
    back = await open_case(client, owner, first, "return_refund", (0, 2))
    await open_case(client, owner, first, "exchange", (1, 1), reason="size_or_fit")
    rejected = await open_case(client, owner, second, "return_refund", (0, 3))
    await step(client, owner, rejected, "reject", {"reason": "超过七天"})
    # refunds and insurance claims
    back = await step(client, owner, back, "approve")
    receipt = {"warehouseId": returns, "lines": [{"lineNo": 1, "resellable": 2}]}
    back = await step(client, owner, back, "receipts", receipt)
    back = await step(client, owner, back, "inspect")
    pay = first["payments"][0]["id"]
    back = await step(
        client, owner, back, "refunds", {"paymentId": pay, "amount": "20.00", "key": "A1"}
    )
    for amount in ("8.00", "12.50"):
        claim = {"amount": amount, "insurer": "运费险", "claimNo": f"C-{amount}"}
        back = await step(client, owner, back, "insurance-claims", claim)
    assert back["insured"] == "20.50"
    only = {
        "orderId": second["id"],
        "kind": "refund_only",
        "reason": "not_received",
        "refundAmount": "5.05",
    }
    refund_only = (await client.post(BASE, json=only, headers=owner)).json()
    refund_only = await step(client, owner, refund_only, "approve")
    await step(
        client, owner, refund_only, "refunds",
        {"paymentId": second["payments"][0]["id"], "amount": "5.05", "key": "A2"},
    )  # fmt: skip
    # the days around today, whatever the tenant's zone makes of it
    days = {
        "from": str(date.today() - timedelta(days=1)),
        "to": str(date.today() + timedelta(days=1)),
    }
    found = await client.get(ANALYSIS, params=days, headers=owner)
    assert found.status_code == 200, found.text
    report = found.json()
    assert [(r["id"], r["sold"], r["returned"], r["rate"]) for r in report["skus"]] == [
        (small, 10, 2, "0.2000"),
        (medium, 10, 1, "0.1000"),
    ]
    assert [(r["code"], r["sold"], r["returned"], r["rate"]) for r in report["spus"]] == [
        ("分析T恤", 20, 3, "0.1500")
    ]
    assert report["reasons"] == {"quality_issue": 1, "size_or_fit": 1, "not_received": 1}
    assert report["cases"] == 3
    assert report["refundTotal"] == "25.05"
    assert (report["insuranceClaims"], report["insuranceTotal"]) == (2, "20.50")
    # another company sees none of it; a period ending before it starts is refused
    other = await (await new_tenant()).headers("owner")
    theirs = (await client.get(ANALYSIS, params=days, headers=other)).json()
    assert theirs["skus"] == [] and theirs["cases"] == 0 and theirs["refundTotal"] == "0.00"
    reversed_period = await client.get(
        ANALYSIS, params={"from": days["to"], "to": days["from"]}, headers=owner
    )
    assert reversed_period.status_code == 422
