"""Stock thresholds and alerts (INV-3), the indexes of the daily position and analysis
(INV-9, INV-10), and the opening-stock import (docs/inventory.md).

- ``stock_thresholds``: low and high per SKU × warehouse; ``category_thresholds``: the
  defaults of a category (the nearest category up the tree that has one applies).
- ``stock_alerts``: one row per crossing, ``open`` until the level recovers, then
  ``resolved``; the partial unique index ``stock_alerts_open`` allows one open alert per
  SKU × warehouse × kind, so two evaluations racing (a command and a sweep, two sweepers)
  raise it once.
- ``alert_robots``: a company's WeChat Work (企业微信) or DingTalk group robot, which
  receives each alert as well; its URL carries the robot's key, so it is encrypted like a
  webhook secret (``url_enc``, walked by key rotation).
- ``stock_imports``: an uploaded opening-stock file, its check (dry run) and commit.
- Ledger indexes: by time (in and out today, turnover over a period), the last issue per
  SKU × warehouse (slow-moving and dead stock), the rows naming a bin (free bins) and the
  receipts that carried a unit cost (the provisional stock values).

Revision ID: 0014
Revises: 0013
"""

from alembic import op
from migrations.rls import tenant_table

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

TENANT = "tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE"
TABLES = [
    "stock_thresholds",
    "category_thresholds",
    "stock_alerts",
    "alert_robots",
    "stock_imports",
]


def upgrade() -> None:
    op.execute(f"""
        CREATE TABLE stock_thresholds (
            {TENANT},
            sku_id uuid NOT NULL,
            warehouse_id uuid NOT NULL,
            low bigint CHECK (low >= 0),
            high bigint CHECK (high >= 0),
            version integer NOT NULL DEFAULT 1,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, sku_id, warehouse_id),
            FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id),
            FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id)
        )""")
    op.execute(f"""
        CREATE TABLE category_thresholds (
            {TENANT},
            category_id uuid NOT NULL,
            low bigint CHECK (low >= 0),
            high bigint CHECK (high >= 0),
            version integer NOT NULL DEFAULT 1,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, category_id),
            FOREIGN KEY (tenant_id, category_id) REFERENCES categories (tenant_id, id)
                ON DELETE CASCADE
        )""")
    op.execute(f"""
        CREATE TABLE stock_alerts (
            {TENANT},
            id uuid NOT NULL,
            sku_id uuid NOT NULL,
            warehouse_id uuid NOT NULL,
            kind text NOT NULL CHECK (kind IN ('low', 'high')),
            status text NOT NULL CHECK (status IN ('open', 'resolved')),
            threshold bigint NOT NULL,
            quantity bigint NOT NULL,
            raised_at timestamptz NOT NULL,
            resolved_at timestamptz,
            PRIMARY KEY (tenant_id, id),
            FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id),
            FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id)
        )""")
    op.execute(
        "CREATE UNIQUE INDEX stock_alerts_open ON stock_alerts"
        " (tenant_id, sku_id, warehouse_id, kind) WHERE status = 'open'"
    )
    op.execute("CREATE INDEX stock_alerts_recent ON stock_alerts (tenant_id, raised_at, id)")
    op.execute(f"""
        CREATE TABLE alert_robots (
            {TENANT},
            kind text NOT NULL CHECK (kind IN ('wecom', 'dingtalk')),
            url_enc bytea NOT NULL,
            version integer NOT NULL DEFAULT 1,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id)
        )""")
    op.execute(f"""
        CREATE TABLE stock_imports (
            {TENANT},
            id uuid NOT NULL,
            file_name text NOT NULL,
            format text NOT NULL CHECK (format IN ('csv', 'xlsx')),
            content bytea NOT NULL,
            include_cost boolean NOT NULL,
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
            PRIMARY KEY (tenant_id, id)
        )""")
    # In and out today, turnover over a period: the ledger by time.
    op.execute("CREATE INDEX stock_ledger_time ON stock_ledger (tenant_id, occurred_at)")
    # Slow-moving and dead stock: the last issue of each SKU × warehouse.
    op.execute(
        "CREATE INDEX stock_ledger_issues ON stock_ledger"
        " (tenant_id, sku_id, warehouse_id, occurred_at) WHERE kind = 'issue'"
    )
    # Free bins: the ledger rows that name a bin (few: receipts into bins), summed per bin.
    op.execute(
        "CREATE INDEX stock_ledger_bins ON stock_ledger (tenant_id, warehouse_id, bin_id)"
        " INCLUDE (d_on_hand, d_non_sellable) WHERE bin_id IS NOT NULL"
    )
    # The provisional stock values: a level's latest receipt that carried a unit cost.
    op.execute(
        "CREATE INDEX stock_ledger_costed_receipts ON stock_ledger"
        " (tenant_id, sku_id, warehouse_id, seq)"
        " WHERE kind = 'receipt' AND unit_cost IS NOT NULL"
    )
    for table in TABLES:
        tenant_table(table)


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS stock_ledger_costed_receipts")
    op.execute("DROP INDEX IF EXISTS stock_ledger_bins")
    op.execute("DROP INDEX IF EXISTS stock_ledger_issues")
    op.execute("DROP INDEX IF EXISTS stock_ledger_time")
    for table in reversed(TABLES):
        op.execute(f"DROP TABLE IF EXISTS {table}")
