"""Orders tables (migration 0015; ORD-1..ORD-3, ORD-5, ORD-7).

An order is one ``orders`` row (its status, money in the currency's minor unit, the
receiver sealed with the field cipher and blind-indexed for matching, the held and
abnormal interruptions as JSON, what inventory holds for it) and its children: lines and
their explained discounts, payments, refunds, the append-only timeline, and the platform
order ids that make intake idempotent (``(tenant_id, channel_id, platform_order_id)`` is
unique). Numbers come from one sequence (``order_number_seq``), 50 at a time per process:
unique per tenant, never waited on (docs/decisions.md). SKUs and channels are the
catalog's, referenced by foreign key (decisions.md, section 29).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from adapters.postgres.shared.tables import (
    EMPTY_ARRAY,
    EMPTY_OBJECT,
    at_least,
    flag,
    one_of,
    stamps,
    tenant_reference,
    tenant_table,
    timestamp,
    version,
)
from domain.orders.payment_records import PaymentMethod
from domain.orders.status import OrderStatus

MONEY = Numeric(20, 2)  # every amount an order holds is in the minor unit (fen)
STATUSES = tuple(s.value for s in OrderStatus)
SOURCES = ("staff", "api", "marketplace", "import")


def _money(name: str) -> Column[object]:
    return Column(name, MONEY, nullable=False, server_default=text("0"))


orders = tenant_table(
    "orders",
    Column("id", Uuid, nullable=False),
    Column("number", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("currency", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("resume_status", Text),
    Column("channel_id", Uuid),
    # the order's platform ids (a split part or a merged order keeps them too);
    # order_platform_ids maps each to the order it came in as (idempotent intake)
    Column("platform_order_ids", ARRAY(Text), nullable=False, server_default=EMPTY_ARRAY),
    Column("customer_id", Uuid),
    Column("receiver_enc", LargeBinary, nullable=False),
    Column("receiver_bidx", LargeBinary, nullable=False),  # name + phone + address, normalised
    Column("phone_bidx", LargeBinary, nullable=False),
    _money("shipping_fee"),
    _money("total"),  # kept for lists and analytics; the lines are the truth
    Column("buyer_message", Text),
    Column("seller_memo", Text),
    Column("memo_flag", Text, nullable=False, server_default=text("'none'")),
    Column("invoice", JSONB),
    flag("cash_on_delivery", False),
    timestamp("paid_at", nullable=True),
    flag("refund_requested", False),
    Column("hold", JSONB),
    timestamp("hold_until", nullable=True),  # a hold with an end: the expiry sweep's index
    Column("abnormalities", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    flag("awaiting_stock", False),  # open out_of_stock: the restock sweep retries it
    Column("warehouse_id", Uuid),
    Column("carrier", Text),
    timestamp("merge_after", nullable=True),
    Column("shipped", JSONB, nullable=False, server_default=EMPTY_OBJECT),
    Column("reserved", JSONB, nullable=False, server_default=EMPTY_OBJECT),
    Column("reservation_ids", ARRAY(Uuid), nullable=False, server_default=EMPTY_ARRAY),
    Column("merged_into", Uuid),
    Column("merged_from", ARRAY(Uuid), nullable=False, server_default=EMPTY_ARRAY),
    Column("split_from", Uuid),
    Column("split_into", ARRAY(Uuid), nullable=False, server_default=EMPTY_ARRAY),
    timestamp("placed_at"),
    version(),
    *stamps(),
    # the work queue (migration 0019): higher first; the earliest open abnormality's
    # target time; the receiver's province in the clear for reports
    Column("priority", Integer, nullable=False, server_default=text("0")),
    timestamp("due_at", nullable=True),
    Column("province", Text, nullable=False, server_default=text("''")),
    UniqueConstraint("tenant_id", "number", name="orders_tenant_id_number_key"),
    one_of("orders", "source", SOURCES),
    one_of("orders", "status", STATUSES),
    tenant_reference("orders", "channel_id", "sales_channels"),
    Index("orders_placed", "tenant_id", "placed_at", "id"),
    Index("orders_status", "tenant_id", "status", "placed_at", "id"),
    Index("orders_receiver", "tenant_id", "receiver_bidx"),
    Index("orders_phone", "tenant_id", "phone_bidx"),
    Index("orders_customer", "tenant_id", "customer_id"),
    # the unpaid-timeout job: pending orders by age (the limit is the tenant's setting)
    Index(
        "orders_unpaid",
        "tenant_id",
        "placed_at",
        postgresql_where=text("status = 'pending_payment'"),
    ),
    Index("orders_awaiting_stock", "tenant_id", postgresql_where=text("awaiting_stock")),
    Index("orders_hold_until", "hold_until", postgresql_where=text("hold_until IS NOT NULL")),
    Index("orders_queue_amount", "tenant_id", "total", "id"),
    Index(
        "orders_queue_due", "tenant_id", "due_at", "id", postgresql_where=text("due_at IS NOT NULL")
    ),
    # the automatic merge: mergeable orders grouped by customer, channel and receiver (0020)
    Index(
        "orders_merge_candidates",
        "tenant_id",
        "customer_id",
        "channel_id",
        "receiver_bidx",
        postgresql_where=text(
            "merged_into IS NULL AND status IN ('paid', 'awaiting_review', 'approved')"
        ),
    ),
)

order_lines = tenant_table(
    "order_lines",
    Column("order_id", Uuid, nullable=False),
    Column("id", Uuid, nullable=False),
    Column("position", Integer, nullable=False),
    Column("sku_id", Uuid, nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("unit_price", MONEY, nullable=False),
    _money("tax"),
    Column("title", Text),
    Column("platform_order_id", Text),
    Column("platform_sub_order_id", Text),
    Column("unit_weight_grams", Integer, nullable=False, server_default=text("0")),
    flag("presale", False),
    flag("gift", False),
    Column("warehouse_id", Uuid),
    Column("gift_rule", Text),
    at_least("order_lines", "quantity", 0, strict=True),
    tenant_reference("order_lines", "order_id", "orders", ondelete="CASCADE"),
    tenant_reference("order_lines", "sku_id", "skus"),
    Index("order_lines_sku", "tenant_id", "sku_id"),
    key=("order_id", "id"),
)

order_discounts = tenant_table(
    "order_discounts",
    Column("order_id", Uuid, nullable=False),
    Column("line_id", Uuid, nullable=False),
    Column("position", Integer, nullable=False),
    Column("amount", MONEY, nullable=False),
    Column("source", Text, nullable=False),
    Column("reason", Text, nullable=False),
    tenant_reference(
        "order_discounts",
        ("order_id", "line_id"),
        "order_lines",
        ("order_id", "id"),
        ondelete="CASCADE",
    ),
    key=("order_id", "line_id", "position"),
)

order_payments = tenant_table(
    "order_payments",
    Column("order_id", Uuid, nullable=False),
    Column("id", Uuid, nullable=False),
    Column("method", Text, nullable=False),
    Column("amount", MONEY, nullable=False),
    timestamp("paid_at"),
    Column("transaction_id", Text),
    one_of("order_payments", "method", tuple(m.value for m in PaymentMethod)),
    tenant_reference("order_payments", "order_id", "orders", ondelete="CASCADE"),
    key=("order_id", "id"),
)

order_refunds = tenant_table(
    "order_refunds",
    Column("order_id", Uuid, nullable=False),
    Column("id", Uuid, nullable=False),
    Column("payment_id", Uuid, nullable=False),
    Column("amount", MONEY, nullable=False),
    Column("reason", Text, nullable=False),
    timestamp("refunded_at"),
    Column("transaction_id", Text),
    tenant_reference(
        "order_refunds",
        ("order_id", "payment_id"),
        "order_payments",
        ("order_id", "id"),
        ondelete="CASCADE",
    ),
    key=("order_id", "id"),
)

order_timeline = tenant_table(
    "order_timeline",
    Column("order_id", Uuid, nullable=False),
    Column("seq", Integer, nullable=False),
    timestamp("at"),
    Column("actor", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("reason", Text),
    Column("from_status", Text),
    Column("to_status", Text),
    Column("rule_id", Text),
    Column("rule_version", Integer),
    Column("detail", JSONB, nullable=False, server_default=EMPTY_OBJECT),
    tenant_reference("order_timeline", "order_id", "orders", ondelete="CASCADE"),
    key=("order_id", "seq"),
)

# Idempotent intake: a platform order id names one order of the tenant per channel.
order_platform_ids = tenant_table(
    "order_platform_ids",
    Column("channel_id", Uuid, nullable=False),
    Column("platform_order_id", Text, nullable=False),
    Column("order_id", Uuid, nullable=False),
    tenant_reference("order_platform_ids", "channel_id", "sales_channels"),
    tenant_reference("order_platform_ids", "order_id", "orders", ondelete="CASCADE"),
    Index("order_platform_ids_order", "tenant_id", "order_id"),
    key=("channel_id", "platform_order_id"),
)

# Per tenant: how long an order may wait for payment before the timeout job cancels it.
order_settings = tenant_table(
    "order_settings",
    Column("unpaid_minutes", Integer, nullable=False, server_default=text("30")),
    # the wait from payment before orders merge automatically (NULL: only a rule's; 0020)
    Column("merge_wait_minutes", Integer),
    # the thresholds of the suspected-fraud score (NULL: the defaults, risk.py; 0023)
    Column("risk_policy", JSONB),
    version(),
    timestamp("updated_at"),
    at_least("order_settings", "unpaid_minutes", 1),
    at_least("order_settings", "merge_wait_minutes", 0),
    key=(),
)

# The review rule set, every version kept (a timeline's ``big@v3`` always means one text).
order_rule_sets = tenant_table(
    "order_rule_sets",
    Column("version", Integer, nullable=False),
    Column("rules", JSONB, nullable=False),
    Column("created_by", Text, nullable=False),
    timestamp("created_at"),
    at_least("order_rule_sets", "version", 1),
    key=("version",),
)
