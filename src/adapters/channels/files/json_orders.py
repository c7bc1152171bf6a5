"""The JSON order file (docs/orders.md, "The JSON order file"): ``{"orders": [...]}`` (or
the list alone), each order in the connector port's wire shape
(``application/orders/channels/ports.py``; ``adapters/channels/wire.py`` reads it). An
order's "row" in the report is its position from 1; the column is the field's path."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from adapters.channels.wire import WireError, platform_order
from application.orders.channels.ports import FileOrder
from domain.catalog.file_layout import HEADER_ROW
from domain.shared.file_rows import RowError

# The domain's fields named as the wire shape names them.
COLUMNS = {
    "receiver.name": "receiver.name",
    "receiver.phone": "receiver.phone",
    "receiver.address.province": "receiver.province",
    "receiver.address.city": "receiver.city",
    "receiver.address.district": "receiver.district",
    "receiver.address.line": "receiver.address",
    "receiver.address.postal_code": "receiver.postalCode",
    "shippingFee": "shippingFee",
    "paidAmount": "paidAmount",
    "discount": "discount",
    "tax": "tax",
    "buyerMessage": "buyerMessage",
    "line.unitPrice": "subOrders[].unitPrice",
    "line.channelSkuCode": "subOrders[].channelSkuCode",
    "line.discount": "subOrders[].discount",
    "line.tax": "subOrders[].tax",
}


def read_json(content: bytes, now: datetime) -> tuple[list[FileOrder], list[RowError]]:
    del now  # every order names its own modifiedAt
    try:
        data: Any = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return [], [RowError(HEADER_ROW, None, "file_unreadable")]
    listed = data.get("orders") if isinstance(data, dict) else data
    if not isinstance(listed, list):
        return [], [RowError(HEADER_ROW, "orders", "file_unreadable")]
    if not listed:
        return [], [RowError(HEADER_ROW, None, "file_empty")]
    orders: list[FileOrder] = []
    errors: list[RowError] = []
    for position, item in enumerate(listed, start=1):
        try:
            order = platform_order(item)
        except WireError as wrong:
            errors.append(RowError(position, wrong.path or None, wrong.code, wrong.params))
            continue
        lines = tuple(position for _ in order.sub_orders)
        orders.append(FileOrder(position, order, COLUMNS, lines))
    return orders, errors
