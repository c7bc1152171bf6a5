"""The work queue's saved views and the analytics rollups (migration 0019; ORD-8, ORD-10).

The orders themselves are the orders module's table, read here through ``ORDERS`` (a
light description of the columns the queue filters and orders by) — the rollups are
written by the orders repository, in the transaction that writes an order
(``adapters/postgres/orders/rollups.py``).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    Index,
    Numeric,
    SmallInteger,
    Text,
    Uuid,
    column,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from adapters.postgres.shared.tables import (
    EMPTY_OBJECT,
    one_of,
    stamps,
    tenant_table,
    version,
)

MONEY = Numeric(20, 2)


# Saved views of the work queue (ORD-8): a user's own (``owner``, the actor's label) or
# shared with the tenant (``owner`` NULL).
order_views = tenant_table(
    "order_views",
    Column("id", Uuid, nullable=False),
    Column("owner", Text),
    Column("name", Text, nullable=False),
    Column("filters", JSONB, nullable=False, server_default=EMPTY_OBJECT),
    Column("ordering", Text, nullable=False),
    version(),
    *stamps(),
    CheckConstraint("length(name) >= 1 AND length(name) <= 100", name="order_views_name_check"),
    Index("order_views_owner", "tenant_id", "owner"),
)

# Analytics rollups (ORD-10): per local day and dimension value (the channel's id, "" for
# own orders; the hour of day "00".."23"; the province) what the counted orders add up
# to. Written with the order, in its transaction; ``slot`` spreads concurrent writers of
# one cell over a few rows.
order_rollups = tenant_table(
    "order_rollups",
    Column("day", Date, nullable=False),
    Column("dimension", Text, nullable=False),
    Column("value", Text, nullable=False),
    Column("slot", SmallInteger, nullable=False),
    Column("orders", BigInteger, nullable=False, server_default=text("0")),
    Column("amount", MONEY, nullable=False, server_default=text("0")),
    Column("paid_orders", BigInteger, nullable=False, server_default=text("0")),
    Column("paid_amount", MONEY, nullable=False, server_default=text("0")),
    one_of("order_rollups", "dimension", ("channel", "hour", "province")),
    key=("day", "dimension", "value", "slot"),
)

# The orders table's columns the queue reads (the orders module describes the table).
ORDERS = table(
    "orders",
    column("tenant_id", Uuid),
    column("id", Uuid),
    column("number", Text),
    column("status", Text),
    column("channel_id", Uuid),
    column("platform_order_ids", ARRAY(Text)),
    column("warehouse_id", Uuid),
    column("memo_flag", Text),
    column("paid_at"),
    column("total", MONEY),
    column("abnormalities", JSONB),
    column("merged_into", Uuid),
    column("split_into", ARRAY(Uuid)),
    column("placed_at"),
    column("priority", BigInteger),
    column("due_at"),
)
