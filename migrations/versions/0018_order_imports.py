"""Order imports and orders waiting for a channel SKU mapping (ORD-9, CHN-2; docs/orders.md,
"Channels").

- ``order_imports``: an uploaded order file (CSV in Shopify's order-export layout, or the
  documented JSON), the channel it is for, its check (dry run) and commit — the catalog
  import's record with a ``channel_id``.
- ``channel_waiting_orders``: an order placed with some of its channel SKU codes unmapped
  (abnormal ``sku_not_mapped``): the platform's sub-orders it could not place (ids, codes,
  quantities, prices — no personal data) and what the platform says was paid, so the
  mapping's arrival adds the lines, records the payment and releases the abnormality.

Revision ID: 0018
Revises: 0017
"""

from alembic import op
from migrations.rls import tenant_table

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

TENANT = "tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE"


def upgrade() -> None:
    op.execute(f"""
        CREATE TABLE order_imports (
            {TENANT},
            id uuid NOT NULL,
            channel_id uuid NOT NULL,
            file_name text NOT NULL,
            format text NOT NULL CHECK (format IN ('csv', 'json')),
            content bytea NOT NULL,
            status text NOT NULL
                CHECK (status IN ('checking', 'checked', 'committing', 'committed')),
            errors jsonb NOT NULL DEFAULT '[]'::jsonb,
            counts jsonb NOT NULL DEFAULT '{{}}'::jsonb,
            check_job_id uuid NOT NULL,
            commit_job_id uuid,
            valid_only boolean,
            version integer NOT NULL DEFAULT 1,
            created_by text NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id),
            FOREIGN KEY (tenant_id, channel_id) REFERENCES sales_channels (tenant_id, id)
        )""")
    op.execute(f"""
        CREATE TABLE channel_waiting_orders (
            {TENANT},
            order_id uuid NOT NULL,
            channel_id uuid NOT NULL,
            platform_order_id text NOT NULL,
            codes text[] NOT NULL,
            sub_orders jsonb NOT NULL,
            paid_amount numeric(20, 2) NOT NULL,
            paid_at timestamptz,
            created_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, order_id),
            FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
            FOREIGN KEY (tenant_id, channel_id) REFERENCES sales_channels (tenant_id, id)
        )""")
    op.execute(
        "CREATE INDEX channel_waiting_orders_channel ON channel_waiting_orders"
        " (tenant_id, channel_id)"
    )
    tenant_table("order_imports")
    tenant_table("channel_waiting_orders")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS channel_waiting_orders")
    op.execute("DROP TABLE IF EXISTS order_imports")
