"""Batches, expiry and serial numbers (INV-8; docs/inventory.md, "Batches and serials").

- ``stock_settings``: the tenant's picking rule for batches (``fefo`` first expiry first
  out, ``fifo`` first in first out) and how many days ahead stock counts as expiring.
- ``sku_stock_settings``: per SKU, whether inventory keeps batches (``batch_managed``)
  and serials (``serial_managed``) of it, and a picking rule overriding the tenant's.
  Inventory's own setting: the catalog's SKU is not changed.
- ``stock_batches``: a batch of a SKU — its number (unique per SKU), production and
  expiry dates.
- ``stock_batch_levels``: the physical figures (on hand, non-sellable) of a SKU ×
  warehouse × batch. ``stock_levels`` keeps its one row per SKU × warehouse (batch_id
  NULL) with every figure, locks included: a ledger row naming a batch moves both, so the
  SKU × warehouse figure is the sum of all its ledger rows and a batch's figure the sum of
  the rows naming it (the ledger check proves both).
- ``stock_alerts.kind`` takes ``expiring``: batch stock expiring within the warning
  window raises one alert per crossing through the alerts' machinery (INV-3).
- ``stock_serials``: one row per serial (唯一码) of a serial-managed SKU, where it is and
  whether it is in stock; ``stock_serial_moves`` the ledger rows that moved it
  (append-only like the ledger: its history).

Revision ID: 0017
Revises: 0016
"""

from alembic import op
from migrations.rls import tenant_table

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

TENANT = "tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE"
RULE = "text CHECK (picking_rule IN ('fefo', 'fifo'))"
TABLES = [
    "stock_settings",
    "sku_stock_settings",
    "stock_batches",
    "stock_batch_levels",
    "stock_serials",
]


def upgrade() -> None:
    op.execute(f"""
        CREATE TABLE stock_settings (
            {TENANT},
            picking_rule {RULE} NOT NULL,
            expiry_warning_days integer NOT NULL
                CHECK (expiry_warning_days >= 0 AND expiry_warning_days <= 3650),
            version integer NOT NULL DEFAULT 1,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id)
        )""")
    op.execute(f"""
        CREATE TABLE sku_stock_settings (
            {TENANT},
            sku_id uuid NOT NULL,
            batch_managed boolean NOT NULL DEFAULT false,
            serial_managed boolean NOT NULL DEFAULT false,
            picking_rule {RULE},
            version integer NOT NULL DEFAULT 1,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, sku_id),
            FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id)
        )""")
    op.execute(f"""
        CREATE TABLE stock_batches (
            {TENANT},
            id uuid NOT NULL,
            sku_id uuid NOT NULL,
            batch_no text NOT NULL,
            production_date date,
            expiry_date date,
            created_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id),
            CONSTRAINT stock_batches_number_key UNIQUE (tenant_id, sku_id, batch_no),
            CONSTRAINT stock_batches_dates_check CHECK (expiry_date >= production_date),
            FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id)
        )""")
    op.execute(
        "CREATE INDEX stock_batches_expiry ON stock_batches (tenant_id, expiry_date)"
        " WHERE expiry_date IS NOT NULL"
    )
    op.execute(f"""
        CREATE TABLE stock_batch_levels (
            {TENANT},
            sku_id uuid NOT NULL,
            warehouse_id uuid NOT NULL,
            batch_id uuid NOT NULL,
            on_hand bigint NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
            non_sellable bigint NOT NULL DEFAULT 0 CHECK (non_sellable >= 0),
            first_received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (tenant_id, sku_id, warehouse_id, batch_id),
            FOREIGN KEY (tenant_id, batch_id) REFERENCES stock_batches (tenant_id, id),
            FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id)
        )""")
    op.execute(f"""
        CREATE TABLE stock_serials (
            {TENANT},
            sku_id uuid NOT NULL,
            serial text NOT NULL,
            status text NOT NULL CHECK (status IN ('in_stock', 'issued')),
            warehouse_id uuid NOT NULL,
            batch_id uuid,
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (tenant_id, sku_id, serial),
            FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id),
            FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id),
            FOREIGN KEY (tenant_id, batch_id) REFERENCES stock_batches (tenant_id, id)
        )""")
    op.execute(f"""
        CREATE TABLE stock_serial_moves (
            {TENANT},
            sku_id uuid NOT NULL,
            serial text NOT NULL,
            ledger_seq bigint NOT NULL,
            PRIMARY KEY (tenant_id, sku_id, serial, ledger_seq),
            FOREIGN KEY (tenant_id, sku_id, serial)
                REFERENCES stock_serials (tenant_id, sku_id, serial),
            FOREIGN KEY (tenant_id, ledger_seq) REFERENCES stock_ledger (tenant_id, seq)
        )""")
    # A ledger row names its batch; the ledger check sums the rows of each batch.
    op.execute(
        "ALTER TABLE stock_ledger ADD CONSTRAINT stock_ledger_tenant_id_batch_id_fkey"
        " FOREIGN KEY (tenant_id, batch_id) REFERENCES stock_batches (tenant_id, id)"
    )
    op.execute(
        "CREATE INDEX stock_ledger_batches ON stock_ledger (tenant_id, sku_id, warehouse_id,"
        " batch_id) INCLUDE (d_on_hand, d_non_sellable) WHERE batch_id IS NOT NULL"
    )
    op.execute("ALTER TABLE stock_alerts DROP CONSTRAINT stock_alerts_kind_check")
    op.execute(
        "ALTER TABLE stock_alerts ADD CONSTRAINT stock_alerts_kind_check"
        " CHECK (kind IN ('low', 'high', 'expiring'))"
    )
    for table in TABLES:
        tenant_table(table)
    # The serials' history is append-only like the ledger it points into.
    tenant_table("stock_serial_moves", app_privileges="SELECT, INSERT")


def downgrade() -> None:
    op.execute("DELETE FROM stock_alerts WHERE kind = 'expiring'")
    op.execute("ALTER TABLE stock_alerts DROP CONSTRAINT stock_alerts_kind_check")
    op.execute(
        "ALTER TABLE stock_alerts ADD CONSTRAINT stock_alerts_kind_check"
        " CHECK (kind IN ('low', 'high'))"
    )
    op.execute("DROP INDEX IF EXISTS stock_ledger_batches")
    op.execute(
        "ALTER TABLE stock_ledger DROP CONSTRAINT IF EXISTS stock_ledger_tenant_id_batch_id_fkey"
    )
    op.execute("DROP TABLE IF EXISTS stock_serial_moves")
    for table in reversed(TABLES):
        op.execute(f"DROP TABLE IF EXISTS {table}")
