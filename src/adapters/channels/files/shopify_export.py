"""Shopify's order-export layout, as CSV or as an XLSX workbook (its first sheet, the same
columns) (ORD-9, CHN-2; docs/orders.md, "Order files").

One row per line item; the order's fields (``Email``, ``Financial Status``, ``Paid at``,
``Currency``, ``Shipping``, ``Taxes``, ``Total``, ``Discount Amount``, ``Created at``, the
``Shipping …`` address, ``Notes`` …) on its first row — later rows of the same ``Name`` may
repeat them or leave them blank. Rows are grouped by ``Name`` (``#1001``), which is the
platform order id; a line's sub-order id is the order's name and the line's position
(``#1001-2``). Columns not used are ignored (an export has many).

- **Paid**: ``Financial Status`` ``paid``, ``partially_refunded`` or ``refunded`` — the
  ``Total`` was paid (at ``Paid at``); anything else is unpaid.
- **Refunds**: ``refunded`` → the platform refunded it; ``partially_refunded`` → a refund
  for a person to look at (requested).
- **Receiver**: ``Shipping Name`` (else ``Billing Name``), ``Shipping Phone`` (else
  ``Phone``, ``Billing Phone``), ``Shipping Province`` (else ``Shipping Province Name``),
  ``Shipping City``, ``Shipping Address2`` as the district, ``Shipping Address1`` as the
  street, ``Shipping Zip``.
- **Money**: ``Lineitem price`` per unit; ``Discount Amount`` and ``Taxes`` are the
  order's, shared over its lines by value; ``Shipping`` the shipping fee.
- **Times**: ``2026-11-11 00:03:12 +0800`` (Shopify's) or ISO 8601 with an offset; the
  pull window's ``modifiedAt`` is ``Created at`` (the file's time when blank).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from adapters.channels.wire import WireError, amount, quantity
from application.catalog.ports.files import TableFiles, file_rows
from application.orders.channels.ports import (
    FileOrder,
    PlatformOrder,
    PlatformReceiver,
    PlatformSubOrder,
    RefundStatus,
)
from domain.catalog.file_layout import HEADER_ROW
from domain.shared.file_rows import RowError

NAME = "Name"
SKU, QUANTITY, PRICE, TITLE = "Lineitem sku", "Lineitem quantity", "Lineitem price", "Lineitem name"
REQUIRED = (NAME, SKU, QUANTITY, PRICE)
PAID = {"paid", "partially_refunded", "refunded"}
REFUNDS = {"refunded": RefundStatus.REFUNDED, "partially_refunded": RefundStatus.REQUESTED}

# The domain's fields as the export's columns (for the row report).
COLUMNS = {
    "receiver.name": "Shipping Name",
    "receiver.phone": "Shipping Phone",
    "receiver.address.province": "Shipping Province",
    "receiver.address.city": "Shipping City",
    "receiver.address.district": "Shipping Address2",
    "receiver.address.line": "Shipping Address1",
    "receiver.address.postal_code": "Shipping Zip",
    "shippingFee": "Shipping",
    "paidAmount": "Total",
    "discount": "Discount Amount",
    "tax": "Taxes",
    "buyerMessage": "Notes",
    "line.unitPrice": PRICE,
    "line.channelSkuCode": SKU,
    "line.discount": "Discount Amount",
    "line.tax": "Taxes",
}


def _time(value: str, column: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    for parse in (
        lambda v: datetime.strptime(v, "%Y-%m-%d %H:%M:%S %z"),
        datetime.fromisoformat,
    ):
        try:
            found = parse(value)
        except ValueError:
            continue
        if found.tzinfo is not None:
            return found
    raise WireError(column, "invalid_datetime")


class _Rows:
    """An order's rows: its first row's fields, with the fallbacks named above."""

    def __init__(self, header: dict[str, int], rows: Sequence[tuple[int, list[str]]]) -> None:
        self._header = header
        self.rows = rows

    def cell(self, cells: list[str], column: str) -> str:
        at = self._header.get(column)
        return cells[at].strip() if at is not None and at < len(cells) else ""

    def first(self, *columns: str) -> str:
        _, cells = self.rows[0]
        return next((v for c in columns if (v := self.cell(cells, c))), "")

    def order(self, name: str, now: datetime) -> PlatformOrder:
        status = self.first("Financial Status").lower()
        paid = status in PAID
        return PlatformOrder(
            platform_order_id=name,
            sub_orders=tuple(self._line(name, i, cells) for i, (_, cells) in enumerate(self.rows)),
            receiver=PlatformReceiver(
                name=self.first("Shipping Name", "Billing Name"),
                phone=self.first("Shipping Phone", "Phone", "Billing Phone"),
                province=self.first("Shipping Province", "Shipping Province Name"),
                city=self.first("Shipping City"),
                district=self.first("Shipping Address2"),
                address=self.first("Shipping Address1"),
                postal_code=self.first("Shipping Zip") or None,
            ),
            modified_at=_time(self.first("Created at"), "Created at") or now,
            paid_amount=amount(self.first("Total"), "Total", default=None) if paid else _ZERO,
            paid_at=_time(self.first("Paid at"), "Paid at") if paid else None,
            buyer_message=self.first("Notes") or None,
            refund_status=REFUNDS.get(status, RefundStatus.NONE),
            shipping_fee=amount(self.first("Shipping"), "Shipping"),
            currency=self.first("Currency").upper() or "CNY",
            discount=amount(self.first("Discount Amount"), "Discount Amount"),
            tax=amount(self.first("Taxes"), "Taxes"),
        )

    def _line(self, name: str, index: int, cells: list[str]) -> PlatformSubOrder:
        sku = self.cell(cells, SKU)
        if not sku:
            raise _LineError(index, WireError(SKU, "required"))
        try:
            return PlatformSubOrder(
                sub_order_id=f"{name}-{index + 1}",
                channel_sku_code=sku,
                quantity=quantity(self.cell(cells, QUANTITY), QUANTITY),
                unit_price=amount(self.cell(cells, PRICE), PRICE, default=None),
                title=self.cell(cells, TITLE) or None,
            )
        except WireError as wrong:
            raise _LineError(index, wrong) from None


class _LineError(Exception):
    def __init__(self, index: int, error: WireError) -> None:
        super().__init__(index)
        self.index = index
        self.error = error


_ZERO = amount("0.00", "")


def read_shopify_export(
    tables: TableFiles, content: bytes, file_format: str, now: datetime
) -> tuple[list[FileOrder], list[RowError]]:
    """``file_format``: ``csv`` or ``xlsx`` — the same rows, the same report."""
    rows = file_rows(tables, content, file_format)
    if isinstance(rows, RowError):
        return [], [rows]
    header = {cell.strip(): i for i, cell in reversed(list(enumerate(rows[0])))}
    missing = [RowError(HEADER_ROW, c, "required") for c in REQUIRED if c not in header]
    if missing:
        return [], missing
    groups: dict[str, list[tuple[int, list[str]]]] = {}
    errors: list[RowError] = []
    for number, cells in enumerate(rows[1:], start=HEADER_ROW + 1):
        if not any(c.strip() for c in cells):
            continue
        name = cells[header[NAME]].strip() if header[NAME] < len(cells) else ""
        if not name:
            errors.append(RowError(number, NAME, "required"))
            continue
        groups.setdefault(name, []).append((number, cells))
    orders: list[FileOrder] = []
    for name, grouped in groups.items():
        found = _read(_Rows(header, grouped), name, now, errors.append)
        if found is not None:
            orders.append(found)
    return orders, sorted(errors, key=lambda e: (e.row, e.column or ""))


def _read(
    rows: _Rows, name: str, now: datetime, error: Callable[[RowError], Any]
) -> FileOrder | None:
    line_rows = tuple(number for number, _ in rows.rows)
    try:
        order = rows.order(name, now)
    except _LineError as wrong:
        error(RowError(line_rows[wrong.index], wrong.error.path, wrong.error.code))
        return None
    except WireError as wrong:
        error(RowError(line_rows[0], wrong.path, wrong.code, wrong.params))
        return None
    return FileOrder(line_rows[0], order, COLUMNS, line_rows)
