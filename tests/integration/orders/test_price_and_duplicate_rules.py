"""The rules that read more than the order (ORD-5, ORD-1; decision 113), on the real
database: a line sold below its SKU's unit cost (inventory's costing), far below its list
price (the catalog's), and an order that likely duplicates an earlier one (the same
receiver by blind index, the same SKUs, within the window) — each marked abnormal of its
type by a rule, with the figures that matched as its reason; a dry run reads the same
facts and writes nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from application.orders.lifecycle import RecordPayment
from application.orders.placing import NewLine, NewOrder, OrderSource, PlaceOrder
from application.orders.queries import GetOrder
from application.orders.review import DryRunRules, SaveRuleSet
from domain.orders.payment_records import PaymentMethod
from domain.orders.status import OrderStatus
from domain.orders.values import Receiver, ShippingAddress
from tests.conftest import TenantHandle
from tests.e2e.orders.support import stocked_sku
from tests.integration.orders.conftest import RECEIVER, caller

OTHER = Receiver(
    "李四", "13900002222", ShippingAddress("江苏省", "南京市", "玄武区", "中山路 2 号")
)


def _rule(rule_id: str, priority: int, condition: dict[str, Any], kind: str) -> dict[str, Any]:
    return {
        "id": rule_id,
        "name": rule_id,
        "priority": priority,
        "conditions": [condition],
        "actions": [{"kind": "mark_abnormal", "type": kind}],
    }


RULES = [
    _rule("cost", 1, {"kind": "price_below_cost"}, "price_below_cost"),
    _rule("list", 2, {"kind": "price_below_list", "percent": 50}, "price_far_below_list"),
    _rule("dup", 3, {"kind": "likely_duplicate", "hours": 24}, "likely_duplicate"),
]


async def _sku(tenant: TenantHandle, list_price: str, unit_cost: str) -> UUID:
    """A SKU listed at ``list_price`` with 20 units received at ``unit_cost``."""
    client, owner = tenant.client, await tenant.headers("owner")
    sku = await stocked_sku(client, owner, 0, list_price)
    made = await client.post(
        "/api/v1/inventory/warehouses",
        json={"code": f"W-{sku[:6]}", "name": "成本仓"},
        headers=owner,
    )
    receipt = {
        "skuId": sku,
        "warehouseId": made.json()["id"],
        "quantity": 20,
        "unitCost": unit_cost,
    }
    done = await client.post("/api/v1/inventory/receipts", json=receipt, headers=owner)
    assert done.status_code == 201, done.text
    return UUID(sku)


async def _placed(
    tenant: TenantHandle, sku: UUID, price: str, receiver: Receiver = RECEIVER
) -> UUID:
    """Placed by staff at ``price`` a unit, then paid: reviewed by the rules."""
    ctx, run = caller(tenant), tenant.container.use_cases.run
    line = NewLine(sku, 1, unit_price=Decimal(price))
    order = await run(ctx, PlaceOrder(NewOrder((line,), receiver, OrderSource.STAFF)))
    await run(ctx, RecordPayment(order.id, PaymentMethod.CASH, order.total))
    return order.id


async def _abnormal(tenant: TenantHandle, order_id: UUID) -> dict[str, Any]:
    order = (await tenant.container.use_cases.query(caller(tenant), GetOrder(order_id))).order
    return {
        a.type.value: (a.rule.rule_id if a.rule else None, dict(a.detail))
        for a in order.abnormalities
    } | {"status": order.status}


async def test_ord5_prices_below_cost_or_far_below_list_and_likely_duplicates_are_marked(
    tenant: TenantHandle,
) -> None:
    ctx, run = caller(tenant), tenant.container.use_cases.run
    sku = await _sku(tenant, "100.00", "60.00")
    await run(ctx, SaveRuleSet(RULES, 0))

    fair = await _abnormal(tenant, await _placed(tenant, sku, "90.00", OTHER))
    assert fair == {"status": OrderStatus.AWAITING_REVIEW}  # none of the three

    cheap_id = await _placed(tenant, sku, "45.00")
    cheap = await _abnormal(tenant, cheap_id)
    cheap_number = (
        await tenant.container.use_cases.query(ctx, GetOrder(cheap_id))
    ).order.number.value
    assert cheap["status"] is OrderStatus.ABNORMAL
    rule, detail = cheap["price_below_cost"]
    assert rule == "cost" and "sold at 45.00, below its cost 60.00" in detail["why"]
    rule, detail = cheap["price_far_below_list"]
    assert rule == "list" and "under 50% of its list price 100.00" in detail["why"]
    assert "likely_duplicate" not in cheap  # the first to this receiver

    again = await _placed(tenant, sku, "95.00")  # the same receiver and SKU, just after
    found = await _abnormal(tenant, again)
    rule, detail = found["likely_duplicate"]
    assert rule == "dup" and "with the same SKUs within 24 h before" in detail["why"]
    assert f"order {cheap_number} went" in detail["why"]
    assert set(found) == {"likely_duplicate", "status"}


async def test_ord5_a_dry_run_reads_the_same_facts_and_writes_nothing(
    tenant: TenantHandle,
) -> None:
    ctx = caller(tenant)
    sku = await _sku(tenant, "100.00", "60.00")
    order_id = await _placed(tenant, sku, "45.00")  # no rules yet: waits for review
    results = await tenant.container.use_cases.query(ctx, DryRunRules(RULES))
    [result] = [r for r in results if r.order_id == order_id]
    assert any("price_below_cost" in change for change in result.changes), result.changes
    assert (await _abnormal(tenant, order_id)) == {"status": OrderStatus.AWAITING_REVIEW}
