"""The simulated marketplace (ORD-9, CHN-2) run in-process on a free port for a test."""

from __future__ import annotations

from contextlib import AbstractContextManager

from adapters.channels.simulated.server import SimConfig, create_app
from tests.support.served import Served, served

RunningMarketplace = Served


def simulated_marketplace(config: SimConfig | None = None) -> AbstractContextManager[Served]:
    return served(create_app(config), "simulated marketplace")


def put_order(
    market: RunningMarketplace,
    shop: str,
    order_id: str,
    lines: list[tuple[str, str, int, str]],
    *,
    modified_at: str | None = None,
    paid: str | None = None,
    address: str = "朝阳区建国路 88 号",
) -> dict[str, object]:
    """Puts an order on the simulated shop: lines are (sub-order id, SKU code, quantity, price)."""
    total = sum((__import__("decimal").Decimal(p) * q for _, _, q, p in lines))
    body: dict[str, object] = {
        "subOrders": [
            {"subOrderId": s, "channelSkuCode": c, "quantity": q, "unitPrice": p, "title": c}
            for s, c, q, p in lines
        ],
        "receiver": {
            "name": "张三",
            "phone": "13800138000",
            "province": "北京市",
            "city": "北京市",
            "district": "朝阳区",
            "address": address,
            "postalCode": "100000",
        },
        "buyerMessage": None,
        "paidAmount": paid if paid is not None else f"{total:.2f}",
        "paidAt": modified_at,
        "modifiedAt": modified_at,
    }
    answer = market.control.put(f"/sim/shops/{shop}/orders/{order_id}", json=body)
    answer.raise_for_status()
    return dict(answer.json())
