"""The channel tables (migration ``0016_order_channels.py``)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, Index, Text, Uuid

from adapters.postgres.shared.tables import one_of, tenant_reference, tenant_table, timestamp

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
