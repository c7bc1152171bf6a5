"""After-sales cases and their policy (ORD-6, LOG-4; docs/aftersales.md).

- ``aftersales_cases``: a case of an order (refund only, return and refund, exchange,
  resend, complaint), its status in its kind's flow, reason, evidence, tracking number,
  the refund agreed, the replacement order, the channel's refund status, insurance claims
  and timeline (JSON lists);
- ``aftersales_case_lines``: the order lines and units a case names, and what came back
  (resellable, damaged);
- ``aftersales_refunds``: refunds recorded against the order's payments, a key unique per
  case (the same refund twice records once);
- ``aftersales_settings``: the tenant's policy (ship an exchange's replacement first).

Revision ID: 0024
Revises: 0023
"""

from alembic import op
from migrations.rls import tenant_table

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

TENANT = "tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE"


def upgrade() -> None:
    op.execute(f"""
        CREATE TABLE aftersales_cases (
            {TENANT},
            id uuid NOT NULL,
            order_id uuid NOT NULL,
            kind text NOT NULL CHECK (kind IN
                ('refund_only', 'return_refund', 'exchange', 'resend', 'complaint')),
            status text NOT NULL CHECK (status IN
                ('review', 'approved', 'rejected', 'awaiting_return', 'partly_received',
                 'received', 'inspected', 'refunded', 'completed')),
            currency text NOT NULL,
            reason text NOT NULL CHECK (reason IN
                ('quality_issue', 'damaged_in_transit', 'wrong_item', 'missing_parts',
                 'not_as_described', 'size_or_fit', 'not_received', 'changed_mind', 'other')),
            reason_text text,
            evidence jsonb NOT NULL DEFAULT '[]'::jsonb,
            tracking_no text,
            refund_amount numeric(20, 2) NOT NULL CHECK (refund_amount >= 0),
            replacement_order_id uuid,
            channel_refund_status text,
            claims jsonb NOT NULL DEFAULT '[]'::jsonb,
            timeline jsonb NOT NULL DEFAULT '[]'::jsonb,
            version integer NOT NULL DEFAULT 1,
            created_by text NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id),
            FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
            FOREIGN KEY (tenant_id, replacement_order_id) REFERENCES orders (tenant_id, id)
        )""")
    op.execute("CREATE INDEX aftersales_cases_order ON aftersales_cases (tenant_id, order_id)")
    op.execute("CREATE INDEX aftersales_cases_created ON aftersales_cases (tenant_id, created_at)")
    op.execute(f"""
        CREATE TABLE aftersales_case_lines (
            {TENANT},
            case_id uuid NOT NULL,
            line_no integer NOT NULL,
            order_line_id uuid NOT NULL,
            sku_id uuid NOT NULL,
            quantity bigint NOT NULL CHECK (quantity > 0),
            resellable bigint NOT NULL CHECK (resellable >= 0),
            damaged bigint NOT NULL CHECK (damaged >= 0),
            CHECK (resellable + damaged <= quantity),
            PRIMARY KEY (tenant_id, case_id, line_no),
            FOREIGN KEY (tenant_id, case_id) REFERENCES aftersales_cases (tenant_id, id),
            FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id)
        )""")
    op.execute(f"""
        CREATE TABLE aftersales_refunds (
            {TENANT},
            id uuid NOT NULL,
            case_id uuid NOT NULL,
            payment_id uuid NOT NULL,
            amount numeric(20, 2) NOT NULL CHECK (amount > 0),
            key text NOT NULL,
            refunded_by text NOT NULL,
            refunded_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id),
            UNIQUE (tenant_id, case_id, key),
            FOREIGN KEY (tenant_id, case_id) REFERENCES aftersales_cases (tenant_id, id)
        )""")
    op.execute(f"""
        CREATE TABLE aftersales_settings (
            {TENANT},
            ship_exchange_first boolean NOT NULL DEFAULT false,
            version integer NOT NULL DEFAULT 1,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id)
        )""")
    for table in (
        "aftersales_cases",
        "aftersales_case_lines",
        "aftersales_refunds",
        "aftersales_settings",
    ):
        tenant_table(table)


def downgrade() -> None:
    for table in (
        "aftersales_settings",
        "aftersales_refunds",
        "aftersales_case_lines",
        "aftersales_cases",
    ):
        op.execute(f"DROP TABLE IF EXISTS {table}")
