"""Inventory core (INV-1, INV-2, INV-6; CHN-1/CHN-2 stock side; docs/inventory.md).

Warehouses and their bins; stock levels per SKU × warehouse (× batch, nullable until
batches arrive) with a figure per state and the database refusing a negative one or an
oversold level; the append-only stock ledger (the request role may insert and read, never
update or delete, as the audit log) carrying a unit cost from the start so costing needs
no rewrite; reservations with lines and an optional expiry; per-channel supply settings
and the last availability published per channel × SKU (so a change is announced once).

SKUs and sales channels are referenced by foreign keys to the catalog's tables: the
database, not an import of the catalog's code, refuses stock of a SKU that does not exist
(decisions.md, section 29). Every table is tenant-owned under forced row-level security.

Revision ID: 0011
Revises: 0010
"""

from alembic import op
from migrations.rls import PLATFORM_ROLE, tenant_table

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TENANT = "tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE"
TABLES = [
    "warehouses",
    "warehouse_bins",
    "stock_levels",
    "stock_ledger",
    "reservations",
    "reservation_lines",
    "channel_supply",
    "channel_supply_warehouses",
    "channel_availability",
]
FIGURES = ("on_hand", "reserved", "pick_locked", "in_transit", "on_order", "non_sellable")


def upgrade() -> None:
    op.execute(f"""
        CREATE TABLE warehouses (
            {TENANT},
            id uuid NOT NULL,
            code text NOT NULL,
            name text NOT NULL,
            kind text NOT NULL
                CHECK (kind IN ('own', 'third_party', 'returns', 'defective', 'virtual')),
            region text,
            priority integer NOT NULL DEFAULT 100,
            closed_at timestamptz,
            version integer NOT NULL DEFAULT 1,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id),
            UNIQUE (tenant_id, code)
        )""")
    op.execute(f"""
        CREATE TABLE warehouse_bins (
            {TENANT},
            id uuid NOT NULL,
            warehouse_id uuid NOT NULL,
            code text NOT NULL,
            name text,
            created_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id),
            UNIQUE (tenant_id, warehouse_id, code),
            FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id)
        )""")
    figures = ",\n".join(f"{f} bigint NOT NULL DEFAULT 0 CHECK ({f} >= 0)" for f in FIGURES)
    op.execute(f"""
        CREATE TABLE stock_levels (
            {TENANT},
            id uuid NOT NULL DEFAULT gen_random_uuid(),
            sku_id uuid NOT NULL,
            warehouse_id uuid NOT NULL,
            batch_id uuid,
            {figures},
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (tenant_id, id),
            CONSTRAINT stock_levels_available_check CHECK (on_hand - reserved - pick_locked >= 0),
            CONSTRAINT stock_levels_key UNIQUE NULLS NOT DISTINCT
                (tenant_id, sku_id, warehouse_id, batch_id),
            FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id),
            FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id)
        )""")
    op.execute("CREATE INDEX stock_levels_warehouse ON stock_levels (tenant_id, warehouse_id)")
    deltas = ",\n".join(f"d_{f} bigint NOT NULL DEFAULT 0" for f in FIGURES)
    op.execute(f"""
        CREATE TABLE stock_ledger (
            {TENANT},
            seq bigint GENERATED ALWAYS AS IDENTITY,
            sku_id uuid NOT NULL,
            warehouse_id uuid NOT NULL,
            batch_id uuid,
            bin_id uuid,
            kind text NOT NULL CHECK (kind IN (
                'receipt', 'issue', 'reservation', 'release', 'pick_lock', 'adjustment',
                'count_variance', 'transfer_out', 'transfer_in', 'return_receipt',
                'state_change')),
            {deltas},
            unit_cost numeric(20, 6),
            source_type text NOT NULL,
            source_id uuid,
            actor text NOT NULL,
            reason text,
            occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            PRIMARY KEY (tenant_id, seq),
            FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id),
            FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id)
        )""")
    op.execute(
        "CREATE INDEX stock_ledger_sku ON stock_ledger (tenant_id, sku_id, warehouse_id, seq)"
    )
    op.execute("CREATE INDEX stock_ledger_warehouse ON stock_ledger (tenant_id, warehouse_id, seq)")
    op.execute(f"""
        CREATE TABLE reservations (
            {TENANT},
            id uuid NOT NULL,
            channel_id uuid,
            source_type text NOT NULL,
            source_id uuid,
            status text NOT NULL
                CHECK (status IN ('active', 'picking', 'released', 'expired', 'committed')),
            expires_at timestamptz,
            version integer NOT NULL DEFAULT 1,
            created_by text NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id),
            FOREIGN KEY (tenant_id, channel_id) REFERENCES sales_channels (tenant_id, id)
        )""")
    # The expiry sweep finds due reservations of every tenant through this index.
    op.execute(
        "CREATE INDEX reservations_expiry ON reservations (expires_at) "
        "WHERE status = 'active' AND expires_at IS NOT NULL"
    )
    op.execute(
        "CREATE INDEX reservations_source ON reservations (tenant_id, source_type, source_id)"
    )
    op.execute(f"""
        CREATE TABLE reservation_lines (
            {TENANT},
            reservation_id uuid NOT NULL,
            line_no integer NOT NULL,
            sku_id uuid NOT NULL,
            warehouse_id uuid NOT NULL,
            quantity bigint NOT NULL CHECK (quantity > 0),
            PRIMARY KEY (tenant_id, reservation_id, line_no),
            FOREIGN KEY (tenant_id, reservation_id) REFERENCES reservations (tenant_id, id),
            FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id),
            FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id)
        )""")
    op.execute(f"""
        CREATE TABLE channel_supply (
            {TENANT},
            channel_id uuid NOT NULL,
            strategy text NOT NULL CHECK (strategy IN ('priority', 'most_available', 'region')),
            safety_stock bigint NOT NULL DEFAULT 0 CHECK (safety_stock >= 0),
            share_kind text NOT NULL CHECK (share_kind IN ('percent', 'cap')),
            share_value numeric(12, 2) NOT NULL CHECK (share_value >= 0),
            version integer NOT NULL DEFAULT 1,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, channel_id),
            FOREIGN KEY (tenant_id, channel_id) REFERENCES sales_channels (tenant_id, id)
        )""")
    op.execute(f"""
        CREATE TABLE channel_supply_warehouses (
            {TENANT},
            channel_id uuid NOT NULL,
            warehouse_id uuid NOT NULL,
            position integer NOT NULL,
            PRIMARY KEY (tenant_id, channel_id, warehouse_id),
            FOREIGN KEY (tenant_id, channel_id) REFERENCES channel_supply (tenant_id, channel_id)
                ON DELETE CASCADE,
            FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id)
        )""")
    op.execute(f"""
        CREATE TABLE channel_availability (
            {TENANT},
            channel_id uuid NOT NULL,
            sku_id uuid NOT NULL,
            quantity bigint NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (tenant_id, channel_id, sku_id),
            FOREIGN KEY (tenant_id, channel_id) REFERENCES sales_channels (tenant_id, id),
            FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id)
        )""")
    for table in TABLES:
        if table == "stock_ledger":
            # Append-only, as the audit log: nobody rewrites the history figures come from.
            tenant_table(table, app_privileges="SELECT, INSERT")
            op.execute(f"REVOKE UPDATE, DELETE ON stock_ledger FROM {PLATFORM_ROLE}")
        else:
            tenant_table(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.execute(f"DROP TABLE {table}")
