"""A platform order's wire shape (``application/orders/channels/ports.py``), read field by
field: what the simulated marketplace answers, what the JSON order file holds and what
every connector maps its platform's answer to. A field missing or of the wrong kind raises
``WireError`` naming its path (``subOrders[1].quantity``) and a message code."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from application.orders.channels.ports import (
    PlatformOrder,
    PlatformReceiver,
    PlatformSubOrder,
    RefundStatus,
)

ZERO = Decimal("0.00")
MAX_QUANTITY = 100_000


class WireError(Exception):
    def __init__(self, path: str, code: str, **params: Any) -> None:
        super().__init__(path, code)
        self.path = path
        self.code = code
        self.params = params


def text(data: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise WireError(path + key, "required")
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise WireError(path + key, "invalid_text")
    return str(value)


def amount(value: Any, path: str, *, default: Decimal | None = ZERO) -> Decimal:
    if value is None or value == "":
        if default is None:
            raise WireError(path, "required")
        return default
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise WireError(path, "invalid_amount")
    try:
        found = Decimal(str(value).strip())
    except InvalidOperation:
        raise WireError(path, "invalid_amount") from None
    if not found.is_finite():
        raise WireError(path, "invalid_amount")
    return found


def quantity(value: Any, path: str) -> int:
    try:
        found = int(str(value).strip()) if not isinstance(value, bool) else 0
    except ValueError:
        found = 0
    if not 1 <= found <= MAX_QUANTITY:
        raise WireError(path, "invalid_quantity")
    return found


def moment(value: Any, path: str) -> datetime | None:
    """An ISO 8601 time with its offset; None when blank."""
    if value is None or value == "":
        return None
    try:
        found = datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise WireError(path, "invalid_datetime") from None
    if found.tzinfo is None:
        raise WireError(path, "invalid_datetime")
    return found


def _required(value: datetime | None, path: str) -> datetime:
    if value is None:
        raise WireError(path, "required")
    return value


def _object(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise WireError(path, "required")
    return value


def platform_order(data: Any) -> PlatformOrder:
    """A platform order from its wire shape; ``WireError`` at the first bad field."""
    data = _object(data, "")
    subs = data.get("subOrders")
    if not isinstance(subs, list) or not subs:
        raise WireError("subOrders", "order_needs_a_line")
    r = _object(data.get("receiver"), "receiver")
    refund = data.get("refundStatus") or RefundStatus.NONE.value
    if refund not in {s.value for s in RefundStatus}:
        raise WireError("refundStatus", "invalid_choice", allowed=[s.value for s in RefundStatus])
    return PlatformOrder(
        platform_order_id=str(text(data, "platformOrderId", "")),
        sub_orders=tuple(_sub_order(s, f"subOrders[{i}].") for i, s in enumerate(subs)),
        receiver=PlatformReceiver(
            name=str(text(r, "name", "receiver.")),
            phone=str(text(r, "phone", "receiver.")),
            province=text(r, "province", "receiver.", required=False) or "",
            city=text(r, "city", "receiver.", required=False) or "",
            district=text(r, "district", "receiver.", required=False) or "",
            address=str(text(r, "address", "receiver.")),
            postal_code=text(r, "postalCode", "receiver.", required=False),
        ),
        modified_at=_required(moment(data.get("modifiedAt"), "modifiedAt"), "modifiedAt"),
        paid_amount=amount(data.get("paidAmount"), "paidAmount"),
        paid_at=moment(data.get("paidAt"), "paidAt"),
        buyer_message=text(data, "buyerMessage", "", required=False),
        refund_status=RefundStatus(refund),
        shipping_fee=amount(data.get("shippingFee"), "shippingFee"),
        currency=text(data, "currency", "", required=False) or "CNY",
        discount=amount(data.get("discount"), "discount"),
        tax=amount(data.get("tax"), "tax"),
    )


def _sub_order(data: Any, path: str) -> PlatformSubOrder:
    data = _object(data, path.rstrip("."))
    return PlatformSubOrder(
        sub_order_id=str(text(data, "subOrderId", path)),
        channel_sku_code=str(text(data, "channelSkuCode", path)),
        quantity=quantity(data.get("quantity"), path + "quantity"),
        unit_price=amount(data.get("unitPrice"), path + "unitPrice", default=None),
        title=text(data, "title", path, required=False),
        discount=amount(data.get("discount"), path + "discount"),
        tax=amount(data.get("tax"), path + "tax"),
    )
