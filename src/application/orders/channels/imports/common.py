"""What the order-file import's use cases and jobs share: the record's loading and the
evaluation of a file — its orders read (``OrderFiles``), each checked as the intake would
place it, against the channel's SKU mappings and the orders already there."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from application.orders.channels.ports import (
    ORDER_CHANNELS,
    FileOrder,
    OrderFiles,
    OrderImportRecord,
    PlatformOrder,
)
from application.orders.channels.taking import channels_of, receiver_of
from application.orders.common import store_of
from application.shared.file_imports import FileImportView, load_import
from application.shared.unit_of_work import UnitOfWork
from domain.catalog.file_layout import HEADER_ROW
from domain.orders.values import exact
from domain.shared.errors import ValidationFailed
from domain.shared.file_rows import RowError

ENTITY = "order_import"
CHECK_KIND = "orders.import_check"
COMMIT_KIND = "orders.import_commit"

OrderImportView = FileImportView[OrderImportRecord]


async def load_order_import(
    uow: UnitOfWork, import_id: UUID, *, for_update: bool = False, with_content: bool = False
) -> OrderImportRecord:
    return await load_import(
        uow.of(ORDER_CHANNELS).imports,
        ENTITY,
        import_id,
        for_update=for_update,
        with_content=with_content,
    )


@dataclass
class Evaluation:
    orders: list[PlatformOrder] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    known: int = 0  # already on the channel: the import updates them
    unmapped: int = 0  # with a code not mapped: placed abnormal ``sku_not_mapped``

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "orders": len(self.orders),
            "new": len(self.orders) - self.known,
            "known": self.known,
            "unmapped": self.unmapped,
            "rejected": len({e.row for e in self.errors if e.row != HEADER_ROW}),
        }


def _amounts(found: FileOrder) -> list[RowError]:
    """Every amount in the currency's minor unit; discounts within the goods' value."""
    order, errors = found.order, list[RowError]()
    amounts: list[tuple[Decimal, str, int, str]] = [
        (order.shipping_fee, "shippingFee", found.row, ""),
        (order.paid_amount, "paidAmount", found.row, ""),
        (order.discount, "discount", found.row, ""),
        (order.tax, "tax", found.row, ""),
    ]
    for i, sub in enumerate(order.sub_orders):
        for value, name in (
            (sub.unit_price, "unitPrice"),
            (sub.discount, "discount"),
            (sub.tax, "tax"),
        ):
            amounts.append((value, f"line.{name}", found.line_rows[i], f"[{i}]"))
    for value, key, row, index in amounts:
        column = found.columns.get(key, key).replace("[]", index)
        try:
            exact(value, order.currency, column)
        except ValidationFailed as wrong:
            errors.extend(RowError(row, column, e.code, e.params) for e in wrong.errors)
    gross = sum((s.unit_price * s.quantity for s in order.sub_orders), Decimal(0))
    if (
        not errors
        and order.discount + sum((s.discount for s in order.sub_orders), Decimal(0)) > gross
    ):
        column = found.columns.get("discount", "discount")
        errors.append(RowError(found.row, column, "discount_above_price"))
    return errors


def check_order(found: FileOrder, skus: dict[str, UUID], known: bool) -> list[RowError]:
    """What the intake would refuse of ``found``, each error at its row and column."""
    errors = _amounts(found)
    try:
        receiver_of(found.order)
    except ValidationFailed as wrong:
        errors.extend(
            RowError(found.row, found.columns.get(e.field, e.field), e.code, e.params)
            for e in wrong.errors
        )
    codes = [s.channel_sku_code for s in found.order.sub_orders]
    if not known and not any(code in skus for code in codes):
        column = found.columns.get("line.channelSkuCode", "channelSkuCode").replace("[]", "[0]")
        errors.append(RowError(found.row, column, "channel_skus_unmapped", {"codes": codes}))
    return errors


async def evaluate(
    uow: UnitOfWork, files: OrderFiles, record: OrderImportRecord, now: datetime
) -> Evaluation:
    """The file's orders against the channel: the ones the commit would take, and every
    error. An unreadable file or a missing column stops the whole file."""
    read, errors = files.read(record.content, record.format, now)
    result = Evaluation(errors=errors)
    result.rows = len(
        {r for f in read for r in f.line_rows} | {e.row for e in errors} - {HEADER_ROW}
    )
    ids = [f.order.platform_order_id for f in read]
    repeated = {pid for pid, n in Counter(ids).items() if n > 1}
    codes = sorted({s.channel_sku_code for f in read for s in f.order.sub_orders})
    skus = await channels_of(uow).skus_of(record.channel_id, codes)
    known = await store_of(uow).orders.by_platform_ids(record.channel_id, ids)
    for found in read:
        pid = found.order.platform_order_id
        if pid in repeated:
            column = found.columns.get("platformOrderId", "platformOrderId")
            result.errors.append(RowError(found.row, column, "duplicate"))
            continue
        problems = check_order(found, skus, pid in known)
        if problems:
            result.errors.extend(problems)
            continue
        result.orders.append(found.order)
        result.known += pid in known
        result.unmapped += pid not in known and any(
            s.channel_sku_code not in skus for s in found.order.sub_orders
        )
    result.errors.sort(key=lambda e: (e.row, e.column or ""))
    return result
