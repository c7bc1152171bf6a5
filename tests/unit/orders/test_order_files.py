"""Order files read into platform orders (ORD-9, CHN-2): Shopify's CSV export grouped by
``Name`` with the order's fields on its first row, the fallbacks, paid and refund status,
Shopify's time format; the JSON order file in the wire shape; each error at its row and
column; the order-level discount and tax shared over the lines to the fen."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from adapters.channels.files.reader import OrderFileReader
from adapters.files.tables import CsvXlsxTables
from application.orders.channels.imports.common import check_order
from application.orders.channels.ports import FileOrder, RefundStatus
from application.orders.channels.taking import sub_orders_of
from domain.shared.file_rows import RowError
from entrypoints.messages import message

NOW = datetime(2026, 11, 11, tzinfo=UTC)
HEADER = (
    "Name,Financial Status,Paid at,Currency,Shipping,Taxes,Total,Discount Amount,Created at,"
    "Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Name,Shipping Name,"
    "Shipping Address1,Shipping Address2,Shipping City,Shipping Zip,Shipping Province,"
    "Phone,Shipping Phone,Notes"
)


def _read(text: str, fmt: str = "csv") -> tuple[list[FileOrder], list[RowError]]:
    return OrderFileReader(CsvXlsxTables()).read(text.encode(), fmt, NOW)


def test_shopify_rows_group_by_name_with_the_order_on_its_first_row_ord_9() -> None:
    orders, errors = _read(
        "\r\n".join(
            [
                HEADER,
                "#1,refunded,2026-11-11 00:03:12 +0800,CNY,10.00,0.30,40.30,0.01,"
                "2026-11-11 00:01:00 +0800,2,衬衫,10.00,A,张三,,文一路 9 号,西湖区,杭州市,"
                "310000,浙江省,13800001234,,周末送货",
                "#2,pending,,,0,0,5.00,0,,1,杯子,5.00,C,李四,李四,路 1 号,区,市,,省,,139,",
                "#1,,,,,,,,,1,袜子,10.00,B,,,,,,,,,,",
            ]
        )
    )
    assert errors == []
    first, second = orders
    assert (first.row, first.line_rows) == (2, (2, 4))
    order = first.order
    assert order.platform_order_id == "#1"
    assert [(s.sub_order_id, s.channel_sku_code, s.quantity) for s in order.sub_orders] == [
        ("#1-1", "A", 2),
        ("#1-2", "B", 1),
    ]
    assert order.paid_amount == Decimal("40.30") and order.refund_status is RefundStatus.REFUNDED
    assert order.paid_at == datetime(2026, 11, 11, 0, 3, 12, tzinfo=timezone(timedelta(hours=8)))
    # Billing Name and Phone stand in for the blank Shipping Name and Shipping Phone.
    assert (order.receiver.name, order.receiver.phone) == ("张三", "13800001234")
    assert (order.receiver.district, order.buyer_message) == ("西湖区", "周末送货")
    # The order's discount and tax shared by the lines' value, to the fen.
    shared = sub_orders_of(order)
    assert [(s.discount, s.tax) for s in shared] == [
        (Decimal("0.01"), Decimal("0.20")),
        (Decimal("0.00"), Decimal("0.10")),
    ]
    # Unpaid: nothing paid, no refund; a blank Created at is the file's time.
    assert second.order.paid_amount == 0 and second.order.modified_at == NOW


def test_shopify_errors_name_the_row_and_column_and_missing_columns_stop_the_file_ord_9() -> None:
    _, errors = _read(
        HEADER + "\r\n#1,paid,yesterday,,,,9.00,,,1,a,9.00,A,x,x,y,z,c,,p,,1,"
        "\r\n#2,pending,,,,,,,,0,b,1.00,B,x,x,y,z,c,,p,,1,"
    )
    assert [(e.row, e.column, e.code) for e in errors] == [
        (2, "Paid at", "invalid_datetime"),
        (3, "Lineitem quantity", "invalid_quantity"),
    ]
    _, stopped = _read("Name,Lineitem sku\r\n#1,A\r\n")
    assert [(e.row, e.column, e.code) for e in stopped] == [
        (1, "Lineitem quantity", "required"),
        (1, "Lineitem price", "required"),
    ]


def test_the_json_file_is_the_wire_shape_and_reports_field_paths_chn_2() -> None:
    good = {
        "platformOrderId": "J1",
        "subOrders": [
            {"subOrderId": "J1-1", "channelSkuCode": "A", "quantity": 1, "unitPrice": "9.90"}
        ],
        "receiver": {"name": "王五", "phone": "137", "address": "路 1 号"},
        "modifiedAt": "2026-11-11T00:00:00+08:00",
        "refundStatus": "requested",
    }
    bad = {**good, "platformOrderId": "J2", "modifiedAt": "soon"}
    orders, errors = _read(json.dumps({"orders": [good, bad]}), "json")
    [found] = orders
    assert found.order.refund_status is RefundStatus.REQUESTED
    assert found.order.paid_amount == 0 and found.order.currency == "CNY"
    assert [(e.row, e.column, e.code) for e in errors] == [(2, "modifiedAt", "invalid_datetime")]
    _, unreadable = _read("{not json", "json")
    assert [e.code for e in unreadable] == ["file_unreadable"]


def test_an_order_of_unmapped_codes_names_them_as_a_list_ord_9() -> None:
    line = {"subOrderId": "K1-1", "channelSkuCode": "MUG-A", "quantity": 1, "unitPrice": "9.90"}
    order = {
        "platformOrderId": "K1",
        "subOrders": [line, {**line, "subOrderId": "K1-2", "channelSkuCode": "MUG-B"}],
        "receiver": {"name": "王五", "phone": "137", "address": "路 1 号"},
        "modifiedAt": "2026-11-11T00:00:00+08:00",
    }
    [found], _ = _read(json.dumps({"orders": [order]}), "json")
    [unmapped] = [e for e in check_order(found, {}, known=False) if e.code != "invalid_amount"]
    assert (unmapped.code, unmapped.params) == (
        "channel_skus_unmapped",
        {"codes": ["MUG-A", "MUG-B"]},
    )
    said = message(unmapped.code, "en", **unmapped.params)
    assert said.startswith("None of the order's channel SKU codes (MUG-A and MUG-B) is mapped")
