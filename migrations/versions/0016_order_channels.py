"""Order intake from sales channels (ORD-9, CHN-2; docs/orders.md, "Channels").

``channel_sku_mappings``: per tenant, which SKU a channel's SKU code is (an unmapped code
marks the order abnormal ``sku_not_mapped``). ``channel_connectors``: the channels with a
connector (its kind and endpoint) and their sync point — pulled up to ``synced_until``,
with the window being pulled (``window_until``) and its next page token while a window
spans pages. The intake locks a channel's row FOR UPDATE SKIP LOCKED and advances it in
the same transaction as the orders of a page. Both are tenant-owned under forced RLS.

Revision ID: 0016
Revises: 0015
"""

from alembic import op
from migrations.rls import tenant_table

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

TENANT = "tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE"


def upgrade() -> None:
    op.execute(f"""
        CREATE TABLE channel_sku_mappings (
            {TENANT},
            channel_id uuid NOT NULL,
            channel_sku_code text NOT NULL CHECK (length(channel_sku_code) >= 1 AND length(channel_sku_code) <= 100),
            sku_id uuid NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, channel_id, channel_sku_code),
            FOREIGN KEY (tenant_id, channel_id) REFERENCES sales_channels (tenant_id, id),
            FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id)
        )""")
    op.execute("CREATE INDEX channel_sku_mappings_sku ON channel_sku_mappings (tenant_id, sku_id)")
    op.execute(f"""
        CREATE TABLE channel_connectors (
            {TENANT},
            channel_id uuid NOT NULL,
            kind text NOT NULL CHECK (kind IN ('simulated')),
            endpoint text NOT NULL,
            synced_until timestamptz NOT NULL,
            window_until timestamptz,
            page_token text,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, channel_id),
            FOREIGN KEY (tenant_id, channel_id) REFERENCES sales_channels (tenant_id, id)
        )""")
    tenant_table("channel_sku_mappings")
    tenant_table("channel_connectors")


def downgrade() -> None:
    op.execute("DROP TABLE channel_connectors")
    op.execute("DROP TABLE channel_sku_mappings")
