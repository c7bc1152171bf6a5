"""Stock counts and transfers (INV-4, INV-5; docs/inventory.md).

Count sessions per warehouse with a line per SKU: what was counted, the on-hand figure
snapshotted when it was counted (``book``) and what the posting changed. Transfers with
their lines (shipped quantity, received / damaged / short so far, the unit cost at
shipment) and their receipt documents. The stock movements themselves are rows of the
existing ``stock_ledger`` (kinds ``count_variance``, ``transfer_out``, ``transfer_in``,
already allowed by 0011). Every table is tenant-owned under forced row-level security.

Revision ID: 0013
Revises: 0012
"""

from alembic import op
from migrations.rls import tenant_table

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TENANT = "tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE"
TABLES = ["count_sessions", "count_lines", "transfers", "transfer_lines", "transfer_receipts"]


def upgrade() -> None:
    op.execute(f"""
        CREATE TABLE count_sessions (
            {TENANT},
            id uuid NOT NULL,
            warehouse_id uuid NOT NULL,
            kind text NOT NULL CHECK (kind IN ('full', 'cycle')),
            sku_ids uuid[] NOT NULL DEFAULT '{{}}',
            bin_ids uuid[] NOT NULL DEFAULT '{{}}',
            note text,
            status text NOT NULL CHECK (status IN
                ('open', 'counting', 'submitted', 'posted', 'cancelled')),
            version integer NOT NULL DEFAULT 1,
            created_by text NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            started_at timestamptz,
            submitted_by text,
            submitted_at timestamptz,
            posted_by text,
            posted_at timestamptz,
            PRIMARY KEY (tenant_id, id),
            FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id)
        )""")
    op.execute(f"""
        CREATE TABLE count_lines (
            {TENANT},
            count_id uuid NOT NULL,
            sku_id uuid NOT NULL,
            counted bigint CHECK (counted >= 0),
            book bigint,
            counted_by text,
            counted_at timestamptz,
            posted bigint,
            PRIMARY KEY (tenant_id, count_id, sku_id),
            FOREIGN KEY (tenant_id, count_id) REFERENCES count_sessions (tenant_id, id),
            FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id)
        )""")
    op.execute(f"""
        CREATE TABLE transfers (
            {TENANT},
            id uuid NOT NULL,
            source_id uuid NOT NULL,
            destination_id uuid NOT NULL,
            status text NOT NULL CHECK (status IN
                ('requested', 'shipped', 'partially_received', 'received', 'cancelled')),
            note text,
            version integer NOT NULL DEFAULT 1,
            created_by text NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            shipped_by text,
            shipped_at timestamptz,
            PRIMARY KEY (tenant_id, id),
            CONSTRAINT transfers_check CHECK (source_id <> destination_id),
            FOREIGN KEY (tenant_id, source_id) REFERENCES warehouses (tenant_id, id),
            FOREIGN KEY (tenant_id, destination_id) REFERENCES warehouses (tenant_id, id)
        )""")
    op.execute(f"""
        CREATE TABLE transfer_lines (
            {TENANT},
            transfer_id uuid NOT NULL,
            line_no integer NOT NULL,
            sku_id uuid NOT NULL,
            quantity bigint NOT NULL CHECK (quantity > 0),
            received bigint NOT NULL DEFAULT 0 CHECK (received >= 0),
            damaged bigint NOT NULL DEFAULT 0 CHECK (damaged >= 0),
            short bigint NOT NULL DEFAULT 0 CHECK (short >= 0),
            unit_cost numeric(20, 6),
            PRIMARY KEY (tenant_id, transfer_id, line_no),
            CONSTRAINT transfer_lines_check CHECK (received + damaged + short <= quantity),
            FOREIGN KEY (tenant_id, transfer_id) REFERENCES transfers (tenant_id, id),
            FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id)
        )""")
    op.execute(f"""
        CREATE TABLE transfer_receipts (
            {TENANT},
            id uuid NOT NULL,
            transfer_id uuid NOT NULL,
            lines jsonb NOT NULL,
            note text,
            received_by text NOT NULL,
            received_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id),
            FOREIGN KEY (tenant_id, transfer_id) REFERENCES transfers (tenant_id, id)
        )""")
    op.execute(
        "CREATE INDEX transfer_receipts_transfer ON transfer_receipts (tenant_id, transfer_id)"
    )
    for table in TABLES:
        tenant_table(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.execute(f"DROP TABLE {table}")
