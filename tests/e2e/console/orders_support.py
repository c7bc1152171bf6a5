"""Orders for the console's orders tests, placed and paid through the API as a shop would:
SKUs in stock, an order awaiting review, an unpaid one, an abnormal one."""

from __future__ import annotations

import uuid
from typing import Any

from tests.conftest import TenantHandle
from tests.e2e.orders.support import BASE, RECEIVER, channel, stocked_sku


async def placed(tenant: TenantHandle, body: dict[str, Any]) -> dict[str, Any]:
    owner = await tenant.headers("owner")
    response = await tenant.client.post(BASE, json=body, headers=owner)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def paid(tenant: TenantHandle, order: dict[str, Any]) -> dict[str, Any]:
    owner = await tenant.headers("owner")
    response = await tenant.client.post(
        f"{BASE}/{order['id']}/payments",
        json={"method": "alipay", "amount": order["total"], "transactionId": uuid.uuid4().hex},
        headers=owner,
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def awaiting_review(
    tenant: TenantHandle, *quantities: int, customer: str | None = None
) -> dict[str, Any]:
    """A paid order of one stocked SKU per quantity (20.00 each), awaiting review."""
    owner = await tenant.headers("owner")
    lines = [
        {"skuId": await stocked_sku(tenant.client, owner, 10, "20.00"), "quantity": q}
        for q in quantities or (1, 2)
    ]
    body: dict[str, Any] = {"lines": lines, "receiver": RECEIVER}
    if customer:
        body["customerId"] = customer
    order = await paid(tenant, await placed(tenant, body))
    assert order["status"] == "awaiting_review", order
    return order


async def unpaid(tenant: TenantHandle) -> dict[str, Any]:
    owner = await tenant.headers("owner")
    sku = await stocked_sku(tenant.client, owner, 10, "20.00")
    return await placed(tenant, {"lines": [{"skuId": sku, "quantity": 1}], "receiver": RECEIVER})


async def out_of_stock(tenant: TenantHandle) -> dict[str, Any]:
    """A marketplace order of a SKU with no stock: accepted, abnormal ``out_of_stock``."""
    owner = await tenant.headers("owner")
    shop = await channel(tenant.client, owner)
    sku = await stocked_sku(tenant.client, owner, 0, "20.00")
    platform_id = f"TB{uuid.uuid4().hex[:8]}"
    return await placed(
        tenant,
        {
            "lines": [
                {"skuId": sku, "quantity": 1, "unitPrice": "20.00", "platformOrderId": platform_id}
            ],
            "receiver": RECEIVER,
            "source": "marketplace",
            "channelId": shop,
            "platformOrderIds": [platform_id],
            "payments": [{"method": "platform", "amount": "20.00"}],
        },
    )
