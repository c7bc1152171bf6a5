"""The channel tables (migrations ``0016_order_channels.py``, ``0018_order_imports.py``)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, Index, Numeric, Text, Uuid
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from adapters.postgres.shared.tables import (
    file_import_record,
    one_of,
    tenant_reference,
    tenant_table,
    timestamp,
)

channel_sku_mappings = tenant_table(
    "channel_sku_mappings",
    Column("channel_id", Uuid, nullable=False),
    Column("channel_sku_code", Text, nullable=False),
    Column("sku_id", Uuid, nullable=False),
    timestamp("updated_at"),
    CheckConstraint(
        "length(channel_sku_code) >= 1 AND length(channel_sku_code) <= 100",
        name="channel_sku_mappings_channel_sku_code_check",
    ),
    tenant_reference("channel_sku_mappings", "channel_id", "sales_channels"),
    tenant_reference("channel_sku_mappings", "sku_id", "skus"),
    key=("channel_id", "channel_sku_code"),
)
Index("channel_sku_mappings_sku", channel_sku_mappings.c.tenant_id, channel_sku_mappings.c.sku_id)

channel_connectors = tenant_table(
    "channel_connectors",
    Column("channel_id", Uuid, nullable=False),
    Column("kind", Text, nullable=False),
    Column("endpoint", Text, nullable=False),
    timestamp("synced_until"),
    timestamp("window_until", nullable=True),
    Column("page_token", Text, nullable=True),
    timestamp("updated_at"),
    one_of("channel_connectors", "kind", ("simulated",)),
    tenant_reference("channel_connectors", "channel_id", "sales_channels"),
    key=("channel_id",),
)

# Migration 0018: order files (the catalog import's record with the channel) and the
# orders waiting for a channel SKU mapping.
order_imports = tenant_table(
    "order_imports",
    Column("id", Uuid, nullable=False),
    Column("channel_id", Uuid, nullable=False),
    *file_import_record("order_imports", ("csv", "xlsx", "json")),
    tenant_reference("order_imports", "channel_id", "sales_channels"),
)

channel_waiting_orders = tenant_table(
    "channel_waiting_orders",
    Column("order_id", Uuid, nullable=False),
    Column("channel_id", Uuid, nullable=False),
    Column("platform_order_id", Text, nullable=False),
    Column("codes", ARRAY(Text), nullable=False),
    Column("sub_orders", JSONB, nullable=False),
    Column("paid_amount", Numeric(20, 2), nullable=False),
    timestamp("paid_at", nullable=True),
    timestamp("created_at"),
    tenant_reference("channel_waiting_orders", "order_id", "orders"),
    tenant_reference("channel_waiting_orders", "channel_id", "sales_channels"),
    key=("order_id",),
)
Index(
    "channel_waiting_orders_channel",
    channel_waiting_orders.c.tenant_id,
    channel_waiting_orders.c.channel_id,
)
