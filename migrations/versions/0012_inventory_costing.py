"""Inventory costing (INV-7; docs/inventory.md, "Costing (INV-7)").

- ``stock_ledger`` gains ``cost_amount`` (the value a movement moved as posted, signed,
  in fen; NULL for a movement that moves no value) and ``effective_at`` (when it counts
  for valuation: its time, or the past date of a back-dated receipt). The ledger stays
  append-only: a later re-valuation never rewrites a posted amount, it appends a
  correction to ``cost_revaluations``.
- ``costing_settings``: the tenant's method (FIFO or moving average).
- ``cost_positions``: per SKU × warehouse the units and value held (the read port's
  answer), ``cost_layers`` the FIFO layers left.
- ``stock_closings`` / ``stock_value_closings``: the closing per day (the instant a
  period ends) and the quantity and value of every SKU × warehouse at it, so the value
  at any date is one closing plus the movements since, never all history.

Revision ID: 0012
Revises: 0011
"""

from alembic import op
from migrations.rls import PLATFORM_ROLE, tenant_table

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TENANT = "tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE"
TABLES = [
    "costing_settings",
    "cost_positions",
    "cost_layers",
    "cost_revaluations",
    "stock_closings",
    "stock_value_closings",
]


def upgrade() -> None:
    op.execute("ALTER TABLE stock_ledger ADD COLUMN cost_amount numeric(20, 2)")
    op.execute("ALTER TABLE stock_ledger ADD COLUMN effective_at timestamptz")
    op.execute("UPDATE stock_ledger SET effective_at = occurred_at")
    op.execute(
        "ALTER TABLE stock_ledger ALTER COLUMN effective_at SET NOT NULL, "
        "ALTER COLUMN effective_at SET DEFAULT clock_timestamp()"
    )
    # The valuation reads the valued movements since a closing; a re-valuation one
    # SKU × warehouse's from a date.
    op.execute(
        "CREATE INDEX stock_ledger_valued ON stock_ledger (tenant_id, effective_at) "
        "INCLUDE (sku_id, warehouse_id, d_on_hand, d_non_sellable, cost_amount) "
        "WHERE cost_amount IS NOT NULL"
    )
    op.execute(
        "CREATE INDEX stock_ledger_valued_level ON stock_ledger "
        "(tenant_id, sku_id, warehouse_id, effective_at, seq) WHERE cost_amount IS NOT NULL"
    )
    op.execute(f"""
        CREATE TABLE costing_settings (
            {TENANT},
            method text NOT NULL CHECK (method IN ('fifo', 'moving_average')),
            version integer NOT NULL DEFAULT 1,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id)
        )""")
    op.execute(f"""
        CREATE TABLE cost_positions (
            {TENANT},
            sku_id uuid NOT NULL,
            warehouse_id uuid NOT NULL,
            quantity bigint NOT NULL DEFAULT 0 CHECK (quantity >= 0),
            value numeric(20, 2) NOT NULL DEFAULT 0,
            last_unit_cost numeric(20, 6) NOT NULL DEFAULT 0,
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (tenant_id, sku_id, warehouse_id),
            FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id),
            FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id)
        )""")
    op.execute(f"""
        CREATE TABLE cost_layers (
            {TENANT},
            sku_id uuid NOT NULL,
            warehouse_id uuid NOT NULL,
            seq bigint NOT NULL,
            effective_at timestamptz NOT NULL,
            quantity bigint NOT NULL CHECK (quantity > 0),
            taken bigint NOT NULL DEFAULT 0 CHECK (taken >= 0 AND taken < quantity),
            value numeric(20, 2) NOT NULL,
            PRIMARY KEY (tenant_id, sku_id, warehouse_id, seq),
            FOREIGN KEY (tenant_id, sku_id, warehouse_id)
                REFERENCES cost_positions (tenant_id, sku_id, warehouse_id)
        )""")
    op.execute(f"""
        CREATE TABLE cost_revaluations (
            {TENANT},
            id bigint GENERATED ALWAYS AS IDENTITY,
            seq bigint NOT NULL,
            sku_id uuid NOT NULL,
            warehouse_id uuid NOT NULL,
            effective_at timestamptz NOT NULL,
            delta numeric(20, 2) NOT NULL,
            job_id uuid,
            recorded_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (tenant_id, id),
            FOREIGN KEY (tenant_id, seq) REFERENCES stock_ledger (tenant_id, seq)
        )""")
    op.execute(
        "CREATE INDEX cost_revaluations_level ON cost_revaluations "
        "(tenant_id, sku_id, warehouse_id, seq)"
    )
    op.execute(
        "CREATE INDEX cost_revaluations_effective ON cost_revaluations (tenant_id, effective_at)"
    )
    op.execute(f"""
        CREATE TABLE stock_closings (
            {TENANT},
            closes_at timestamptz NOT NULL,
            closed_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (tenant_id, closes_at)
        )""")
    op.execute(f"""
        CREATE TABLE stock_value_closings (
            {TENANT},
            closes_at timestamptz NOT NULL,
            sku_id uuid NOT NULL,
            warehouse_id uuid NOT NULL,
            quantity bigint NOT NULL,
            value numeric(20, 2) NOT NULL,
            PRIMARY KEY (tenant_id, closes_at, sku_id, warehouse_id),
            FOREIGN KEY (tenant_id, closes_at) REFERENCES stock_closings (tenant_id, closes_at)
        )""")
    for table in TABLES:
        if table == "cost_revaluations":
            # Corrections are appended, never rewritten (as the ledger they correct).
            tenant_table(table, app_privileges="SELECT, INSERT")
            op.execute(f"REVOKE UPDATE, DELETE ON cost_revaluations FROM {PLATFORM_ROLE}")
        else:
            tenant_table(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.execute(f"DROP TABLE {table}")
    op.execute("DROP INDEX stock_ledger_valued_level")
    op.execute("DROP INDEX stock_ledger_valued")
    op.execute("ALTER TABLE stock_ledger DROP COLUMN effective_at, DROP COLUMN cost_amount")
