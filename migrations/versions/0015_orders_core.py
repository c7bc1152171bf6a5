"""Orders core (ORD-1..ORD-3, ORD-5, ORD-7; docs/orders.md).

Orders with their lines and explained discounts, payments, refunds, the append-only
timeline, the platform order ids that make intake idempotent, each tenant's unpaid limit
and its review rule sets (every version kept, append-only). The receiver (name, phone, address) is sealed with the field cipher
(``receiver_enc``) and blind-indexed (``receiver_bidx``: name + phone + address
normalised, what merging compares; ``phone_bidx``). Order numbers come from one sequence:
unique and increasing per tenant and never waited on, unlike a per-tenant counter row that
every placement of the tenant would queue on; each process takes 50 numbers at a time,
so a placement reads the sequence once in 50 (docs/decisions.md).

SKUs and sales channels are referenced by foreign key to the catalog's tables. Every table
is tenant-owned under forced row-level security.

Revision ID: 0015
Revises: 0014
"""

from alembic import op
from migrations.rls import APP_ROLE, PLATFORM_ROLE, tenant_table

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

TENANT = "tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE"
TABLES = [
    "orders",
    "order_lines",
    "order_discounts",
    "order_payments",
    "order_refunds",
    "order_timeline",
    "order_platform_ids",
    "order_settings",
    "order_rule_sets",
]
STATUSES = (
    "pending_payment",
    "paid",
    "awaiting_review",
    "approved",
    "allocated",
    "picking",
    "partly_shipped",
    "shipped",
    "delivered",
    "completed",
    "held",
    "abnormal",
    "cancelled",
    "after_sales",
)
METHODS = (
    "platform",
    "alipay",
    "wechat_pay",
    "card",
    "bank_transfer",
    "cash",
    "cash_on_delivery",
    "other",
)


def _listed(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def upgrade() -> None:
    # Taken 50 at a time by each process (hi/lo: adapters/postgres/orders/repository.py).
    op.execute("CREATE SEQUENCE order_number_seq INCREMENT BY 50")
    op.execute(f"GRANT USAGE ON SEQUENCE order_number_seq TO {APP_ROLE}, {PLATFORM_ROLE}")
    op.execute(f"""
        CREATE TABLE orders (
            {TENANT},
            id uuid NOT NULL,
            number text NOT NULL,
            source text NOT NULL CHECK (source IN ('staff', 'api', 'marketplace', 'import')),
            currency text NOT NULL,
            status text NOT NULL CHECK (status IN ({_listed(STATUSES)})),
            resume_status text,
            channel_id uuid,
            platform_order_ids text[] NOT NULL DEFAULT '{{}}',
            customer_id uuid,
            receiver_enc bytea NOT NULL,
            receiver_bidx bytea NOT NULL,
            phone_bidx bytea NOT NULL,
            shipping_fee numeric(20, 2) NOT NULL DEFAULT 0,
            total numeric(20, 2) NOT NULL DEFAULT 0,
            buyer_message text,
            seller_memo text,
            memo_flag text NOT NULL DEFAULT 'none',
            invoice jsonb,
            cash_on_delivery boolean NOT NULL DEFAULT false,
            paid_at timestamptz,
            refund_requested boolean NOT NULL DEFAULT false,
            hold jsonb,
            hold_until timestamptz,
            abnormalities jsonb NOT NULL DEFAULT '[]'::jsonb,
            awaiting_stock boolean NOT NULL DEFAULT false,
            warehouse_id uuid,
            carrier text,
            merge_after timestamptz,
            shipped jsonb NOT NULL DEFAULT '{{}}'::jsonb,
            reserved jsonb NOT NULL DEFAULT '{{}}'::jsonb,
            reservation_ids uuid[] NOT NULL DEFAULT '{{}}',
            merged_into uuid,
            merged_from uuid[] NOT NULL DEFAULT '{{}}',
            split_from uuid,
            split_into uuid[] NOT NULL DEFAULT '{{}}',
            placed_at timestamptz NOT NULL,
            version integer NOT NULL DEFAULT 1,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id),
            UNIQUE (tenant_id, number),
            FOREIGN KEY (tenant_id, channel_id) REFERENCES sales_channels (tenant_id, id)
        )""")
    op.execute("CREATE INDEX orders_placed ON orders (tenant_id, placed_at, id)")
    op.execute("CREATE INDEX orders_status ON orders (tenant_id, status, placed_at, id)")
    op.execute("CREATE INDEX orders_receiver ON orders (tenant_id, receiver_bidx)")
    op.execute("CREATE INDEX orders_phone ON orders (tenant_id, phone_bidx)")
    op.execute("CREATE INDEX orders_customer ON orders (tenant_id, customer_id)")
    op.execute(
        "CREATE INDEX orders_unpaid ON orders (tenant_id, placed_at)"
        " WHERE status = 'pending_payment'"
    )
    op.execute("CREATE INDEX orders_awaiting_stock ON orders (tenant_id) WHERE awaiting_stock")
    op.execute("CREATE INDEX orders_hold_until ON orders (hold_until) WHERE hold_until IS NOT NULL")
    op.execute(f"""
        CREATE TABLE order_lines (
            {TENANT},
            order_id uuid NOT NULL,
            id uuid NOT NULL,
            position integer NOT NULL,
            sku_id uuid NOT NULL,
            quantity bigint NOT NULL CHECK (quantity > 0),
            unit_price numeric(20, 2) NOT NULL,
            tax numeric(20, 2) NOT NULL DEFAULT 0,
            title text,
            platform_order_id text,
            platform_sub_order_id text,
            unit_weight_grams integer NOT NULL DEFAULT 0,
            presale boolean NOT NULL DEFAULT false,
            gift boolean NOT NULL DEFAULT false,
            warehouse_id uuid,
            gift_rule text,
            PRIMARY KEY (tenant_id, order_id, id),
            FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
                ON DELETE CASCADE,
            FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id)
        )""")
    op.execute("CREATE INDEX order_lines_sku ON order_lines (tenant_id, sku_id)")
    op.execute(f"""
        CREATE TABLE order_discounts (
            {TENANT},
            order_id uuid NOT NULL,
            line_id uuid NOT NULL,
            position integer NOT NULL,
            amount numeric(20, 2) NOT NULL,
            source text NOT NULL,
            reason text NOT NULL,
            PRIMARY KEY (tenant_id, order_id, line_id, position),
            FOREIGN KEY (tenant_id, order_id, line_id)
                REFERENCES order_lines (tenant_id, order_id, id) ON DELETE CASCADE
        )""")
    op.execute(f"""
        CREATE TABLE order_payments (
            {TENANT},
            order_id uuid NOT NULL,
            id uuid NOT NULL,
            method text NOT NULL CHECK (method IN ({_listed(METHODS)})),
            amount numeric(20, 2) NOT NULL,
            paid_at timestamptz NOT NULL,
            transaction_id text,
            PRIMARY KEY (tenant_id, order_id, id),
            FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
                ON DELETE CASCADE
        )""")
    op.execute(f"""
        CREATE TABLE order_refunds (
            {TENANT},
            order_id uuid NOT NULL,
            id uuid NOT NULL,
            payment_id uuid NOT NULL,
            amount numeric(20, 2) NOT NULL,
            reason text NOT NULL,
            refunded_at timestamptz NOT NULL,
            transaction_id text,
            PRIMARY KEY (tenant_id, order_id, id),
            FOREIGN KEY (tenant_id, order_id, payment_id)
                REFERENCES order_payments (tenant_id, order_id, id) ON DELETE CASCADE
        )""")
    op.execute(f"""
        CREATE TABLE order_timeline (
            {TENANT},
            order_id uuid NOT NULL,
            seq integer NOT NULL,
            at timestamptz NOT NULL,
            actor text NOT NULL,
            kind text NOT NULL,
            reason text,
            from_status text,
            to_status text,
            rule_id text,
            rule_version integer,
            detail jsonb NOT NULL DEFAULT '{{}}'::jsonb,
            PRIMARY KEY (tenant_id, order_id, seq),
            FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
                ON DELETE CASCADE
        )""")
    op.execute(f"""
        CREATE TABLE order_platform_ids (
            {TENANT},
            channel_id uuid NOT NULL,
            platform_order_id text NOT NULL,
            order_id uuid NOT NULL,
            PRIMARY KEY (tenant_id, channel_id, platform_order_id),
            FOREIGN KEY (tenant_id, channel_id) REFERENCES sales_channels (tenant_id, id),
            FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
                ON DELETE CASCADE
        )""")
    op.execute("CREATE INDEX order_platform_ids_order ON order_platform_ids (tenant_id, order_id)")
    op.execute(f"""
        CREATE TABLE order_settings (
            {TENANT},
            unpaid_minutes integer NOT NULL DEFAULT 30 CHECK (unpaid_minutes >= 1),
            version integer NOT NULL DEFAULT 1,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id)
        )""")
    op.execute(f"""
        CREATE TABLE order_rule_sets (
            {TENANT},
            version integer NOT NULL CHECK (version >= 1),
            rules jsonb NOT NULL,
            created_by text NOT NULL,
            created_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, version)
        )""")
    for table in TABLES:
        if table in ("order_timeline", "order_rule_sets"):
            # Append-only: an order's history and the rule versions it names are never
            # rewritten by a request.
            tenant_table(table, app_privileges="SELECT, INSERT")
        else:
            tenant_table(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.execute(f"DROP TABLE {table}")
    op.execute("DROP SEQUENCE order_number_seq")
