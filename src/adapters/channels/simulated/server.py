"""A simulated marketplace that runs locally with a real one's wire behaviour (ORD-9, CHN-2).

The marketplace API (what a connector calls), per shop (the channel's code):

- ``GET /shops/{shop}/orders?modifiedSince=&modifiedUntil=&pageToken=&pageSize=`` — the
  orders modified in ``[since, until)``, oldest first (then by id), ``pageSize`` (1..100,
  default 50) a page, an opaque ``nextPageToken`` (null on the last page). A token from
  another window is refused (400).
- ``POST /shops/{shop}/stock`` ``{"items": [{"skuCode", "quantity"}]}`` — stock pushes,
  recorded in order.
- ``POST /shops/{shop}/orders/{id}/shipments`` ``{"subOrderIds", "carrier", "trackingNo"}``
  — shipment confirmations, recorded once: the same sub-orders under the same tracking
  number told again are confirmed and not recorded twice; an unknown order is 404.
- ``POST /shops/{shop}/orders/{id}/refunds`` ``{"refundId", "amount"}`` — a refund the
  merchant made (after-sales), recorded once per ``refundId``; the order's refund status
  becomes ``refunded``; an unknown order is 404.

Every API call first meets the rate limit (per shop) and the faults
(``adapters/simulation/faults.py``).

The control API (what a test or a developer calls, ``/sim/...``): put or change an order
(``PUT /sim/shops/{shop}/orders/{id}``, its ``modifiedAt`` is now unless given; many at once,
each with its ``platformOrderId``: ``PUT /sim/shops/{shop}/orders`` ``{"orders": […]}``), change its
refund status (``POST /sim/shops/{shop}/orders/{id}/refund``), read the stock pushes and
shipments and refunds (``GET /sim/shops/{shop}/stock``, ``…/shipments``, ``…/refunds``),
read the call counts
(``GET /sim/calls``) and set the faults.
"""

from __future__ import annotations

import base64
import json
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from litestar import Litestar, Request, get, post, put
from litestar.exceptions import HTTPException
from litestar.params import FromPath, JSONBody

from adapters.simulation.faults import Faults, SimConfig, fault_routes

__all__ = ["SimConfig", "create_app"]

_REFUNDS = ("none", "requested", "refunded")


@dataclass
class Shop:
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    stock_pushes: list[dict[str, Any]] = field(default_factory=list)
    shipments: list[dict[str, Any]] = field(default_factory=list)
    refunds: list[dict[str, Any]] = field(default_factory=list)
    # The orders by (modified time, id), built on the first page after a change: a page is
    # a bisection, not a parse and sort of every order (a burst of 100,000 orders is 1,000
    # pages).
    _by_modified: list[tuple[datetime, str]] | None = None

    def changed(self) -> None:
        self._by_modified = None

    def window(
        self, since: datetime, until: datetime, start: int, size: int
    ) -> tuple[list[Any], bool]:
        """The page of the orders modified in ``[since, until)`` from ``start``, oldest first
        (then by id), and whether more follow."""
        if self._by_modified is None:
            self._by_modified = sorted(
                (datetime.fromisoformat(o["modifiedAt"]), pid) for pid, o in self.orders.items()
            )
        keys = self._by_modified
        first, end = bisect_left(keys, (since,)), bisect_left(keys, (until,))
        picked = keys[first + start : min(first + start + size, end)]
        return [self.orders[pid] for _, pid in picked], first + start + size < end


@dataclass
class Marketplace:
    faults: Faults
    shops: dict[str, Shop] = field(default_factory=dict)

    def shop(self, code: str) -> Shop:
        return self.shops.setdefault(code, Shop())

    def gate(self, code: str, kind: str) -> Any:
        return self.faults.gate(code, kind)


def _instant(text: str | None, name: str) -> datetime:
    if not text:
        raise HTTPException(status_code=400, detail=f"{name} is required")
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise HTTPException(status_code=400, detail=f"{name} is not ISO 8601") from None
    if value.tzinfo is None:
        raise HTTPException(status_code=400, detail=f"{name} needs an offset")
    return value


def _token(offset: int, since: str, until: str) -> str:
    raw = json.dumps({"o": offset, "s": since, "u": until}).encode()
    return base64.urlsafe_b64encode(raw).decode()


def _offset(token: str | None, since: str, until: str) -> int:
    if not token:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        if data["s"] != since or data["u"] != until:
            raise ValueError
        return int(data["o"])
    except (ValueError, KeyError, TypeError):
        raise HTTPException(status_code=400, detail="pageToken is not of this window") from None


def _same_shipment(one: dict[str, Any], other: dict[str, Any]) -> bool:
    """One confirmation: the order, its sub-orders and the tracking number alike."""
    return (
        one["platformOrderId"] == other["platformOrderId"]
        and set(one.get("subOrderIds") or ()) == set(other.get("subOrderIds") or ())
        and one.get("trackingNo") == other.get("trackingNo")
    )


def _api(market: Marketplace) -> list[Any]:
    """The marketplace API a connector calls."""

    @get("/shops/{shop:str}/orders", sync_to_thread=False)
    def list_orders(request: Request[Any, Any, Any], shop: FromPath[str]) -> Any:
        if (refused := market.gate(shop, "pull")) is not None:
            return refused
        query = request.query_params
        since_text, until_text = query.get("modifiedSince"), query.get("modifiedUntil")
        since = _instant(since_text, "modifiedSince")
        until = _instant(until_text, "modifiedUntil")
        size = int(query.get("pageSize") or 50)
        if not 1 <= size <= 100:
            raise HTTPException(status_code=400, detail="pageSize is 1..100")
        start = _offset(query.get("pageToken"), str(since_text), str(until_text))
        page, more = market.shop(shop).window(since, until, start, size)
        return {
            "orders": page,
            "nextPageToken": _token(start + size, str(since_text), str(until_text))
            if more
            else None,
        }

    @post("/shops/{shop:str}/stock", sync_to_thread=False, status_code=200)
    def push_stock(shop: FromPath[str], data: JSONBody[dict[str, Any]]) -> Any:
        if (refused := market.gate(shop, "stock")) is not None:
            return refused
        items = data.get("items")
        if not isinstance(items, list):
            raise HTTPException(status_code=400, detail="items is required")
        for item in items:
            if not isinstance(item.get("skuCode"), str) or not isinstance(
                item.get("quantity"), int
            ):
                raise HTTPException(status_code=400, detail="skuCode and quantity are required")
            if item["quantity"] < 0:
                raise HTTPException(status_code=400, detail="quantity is at least 0")
        pushed = market.shop(shop).stock_pushes
        pushed.extend({"skuCode": i["skuCode"], "quantity": i["quantity"]} for i in items)
        return {"accepted": len(items)}

    @post(
        "/shops/{shop:str}/orders/{order_id:str}/shipments", sync_to_thread=False, status_code=200
    )
    def confirm_shipment(
        shop: FromPath[str], order_id: FromPath[str], data: JSONBody[dict[str, Any]]
    ) -> Any:
        if (refused := market.gate(shop, "shipment")) is not None:
            return refused
        order = market.shop(shop).orders.get(order_id)
        if order is None:
            raise HTTPException(status_code=404, detail="no such order")
        known = {s["subOrderId"] for s in order["subOrders"]}
        subs = data.get("subOrderIds") or []
        if not subs or not set(subs) <= known:
            raise HTTPException(
                status_code=400, detail="subOrderIds must name the order's sub-orders"
            )
        if not data.get("carrier") or not data.get("trackingNo"):
            raise HTTPException(status_code=400, detail="carrier and trackingNo are required")
        confirmation = {"platformOrderId": order_id, **data}
        shipments = market.shop(shop).shipments
        if not any(_same_shipment(s, confirmation) for s in shipments):  # told twice: kept once
            shipments.append(confirmation)
        return {"confirmed": True}

    @post("/shops/{shop:str}/orders/{order_id:str}/refunds", sync_to_thread=False, status_code=200)
    def confirm_refund(
        shop: FromPath[str], order_id: FromPath[str], data: JSONBody[dict[str, Any]]
    ) -> Any:
        if (refused := market.gate(shop, "refund")) is not None:
            return refused
        order = market.shop(shop).orders.get(order_id)
        if order is None:
            raise HTTPException(status_code=404, detail="no such order")
        if not data.get("refundId") or not data.get("amount"):
            raise HTTPException(status_code=400, detail="refundId and amount are required")
        refunds = market.shop(shop).refunds
        if not any(r["refundId"] == data["refundId"] for r in refunds):
            refunds.append({"platformOrderId": order_id, **data})
            order["refundStatus"] = "refunded"
        return {"confirmed": True}

    return [list_orders, push_stock, confirm_shipment, confirm_refund]


def _order(order_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """An order as the marketplace keeps it, from what the control API was given."""
    return {
        "platformOrderId": order_id,
        "subOrders": data["subOrders"],
        "receiver": data["receiver"],
        "buyerMessage": data.get("buyerMessage"),
        "paidAmount": data.get("paidAmount", "0.00"),
        "paidAt": data.get("paidAt"),
        "refundStatus": data.get("refundStatus", "none"),
        "shippingFee": data.get("shippingFee", "0.00"),
        "modifiedAt": data.get("modifiedAt") or datetime.now(UTC).isoformat(),
    }


def _control(market: Marketplace) -> list[Any]:
    """The control API a test or a developer calls."""

    @put("/sim/shops/{shop:str}/orders/{order_id:str}", sync_to_thread=False)
    def put_order(
        shop: FromPath[str], order_id: FromPath[str], data: JSONBody[dict[str, Any]]
    ) -> Any:
        order = _order(order_id, data)
        market.shop(shop).orders[order_id] = order
        market.shop(shop).changed()
        return order

    @put("/sim/shops/{shop:str}/orders", sync_to_thread=False)
    def put_orders(shop: FromPath[str], data: JSONBody[dict[str, Any]]) -> Any:
        orders = data.get("orders")
        if not isinstance(orders, list) or not all(
            isinstance(o, dict) and isinstance(o.get("platformOrderId"), str) for o in orders
        ):
            raise HTTPException(
                status_code=400, detail="orders is a list of orders, each with platformOrderId"
            )
        kept = market.shop(shop).orders
        for body in orders:
            kept[body["platformOrderId"]] = _order(body["platformOrderId"], body)
        market.shop(shop).changed()
        return {"put": len(orders)}

    @post(
        "/sim/shops/{shop:str}/orders/{order_id:str}/refund", sync_to_thread=False, status_code=200
    )
    def change_refund(
        shop: FromPath[str], order_id: FromPath[str], data: JSONBody[dict[str, Any]]
    ) -> Any:
        order = market.shop(shop).orders.get(order_id)
        if order is None:
            raise HTTPException(status_code=404, detail="no such order")
        if data.get("refundStatus") not in _REFUNDS:
            raise HTTPException(status_code=400, detail="refundStatus is none|requested|refunded")
        order["refundStatus"] = data["refundStatus"]
        order["modifiedAt"] = data.get("modifiedAt") or datetime.now(UTC).isoformat()
        market.shop(shop).changed()
        return order

    @get("/sim/shops/{shop:str}/stock", sync_to_thread=False)
    def stock_pushes(shop: FromPath[str]) -> Any:
        return {"pushes": market.shop(shop).stock_pushes}

    @get("/sim/shops/{shop:str}/shipments", sync_to_thread=False)
    def shipments(shop: FromPath[str]) -> Any:
        return {"shipments": market.shop(shop).shipments}

    @get("/sim/shops/{shop:str}/refunds", sync_to_thread=False)
    def refunds(shop: FromPath[str]) -> Any:
        return {"refunds": market.shop(shop).refunds}

    return [
        put_order,
        put_orders,
        change_refund,
        stock_pushes,
        shipments,
        refunds,
        *fault_routes(market.faults),
    ]


def create_app(config: SimConfig | None = None) -> Litestar:
    market = Marketplace(Faults(config or SimConfig()))
    app = Litestar([*_api(market), *_control(market)], openapi_config=None)
    app.state.market = market
    return app
