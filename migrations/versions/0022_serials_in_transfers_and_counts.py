"""Serials travel with transfers and are counted (INV-4, INV-5 × INV-8; docs/inventory.md,
"Batches, expiry and serials").

- ``stock_serials.status`` may be ``in_transit``: shipped by a transfer, on its way to the
  warehouse the row names (the destination); its receipt puts it in stock there (sound or
  damaged), or out of stock (short: it never arrived).
- ``count_serials``: a count line of a serial-managed SKU, the serials in which the count
  and the books differ, snapshotted in the statement that wrote the count: ``found`` true
  for a serial counted that the books did not have there, false for one the books had
  that was not counted. Approval posts them (found: in, missing: out).

Revision ID: 0022
Revises: 0021
"""

from alembic import op
from migrations.rls import tenant_table

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

TENANT = "tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE"


def _status(values: str) -> None:
    op.execute("ALTER TABLE stock_serials DROP CONSTRAINT stock_serials_status_check")
    op.execute(
        "ALTER TABLE stock_serials ADD CONSTRAINT stock_serials_status_check"
        f" CHECK (status IN ({values}))"
    )


def upgrade() -> None:
    _status("'in_stock', 'issued', 'in_transit'")
    op.execute(f"""
        CREATE TABLE count_serials (
            {TENANT},
            count_id uuid NOT NULL,
            sku_id uuid NOT NULL,
            serial text NOT NULL,
            found boolean NOT NULL,
            PRIMARY KEY (tenant_id, count_id, sku_id, serial),
            FOREIGN KEY (tenant_id, count_id, sku_id)
                REFERENCES count_lines (tenant_id, count_id, sku_id)
        )""")
    tenant_table("count_serials")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS count_serials")
    op.execute("UPDATE stock_serials SET status = 'issued' WHERE status = 'in_transit'")
    _status("'in_stock', 'issued'")
