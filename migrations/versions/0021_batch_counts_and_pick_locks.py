"""Counts by batch and pick locks by batch (INV-4, INV-8; docs/inventory.md, "Batches, expiry and serials").

- ``count_batch_lines``: a count line of a batch-managed SKU, per batch: what was counted
  in the batch, its book quantity (the batch's on hand) snapshotted in the statement that
  wrote the count, and what was posted. A batch on the books but not entered is counted
  0; a batch found but not on the books has book 0. The line's own book is the sum of its
  batches' (of the same instant).
- ``reservation_batches``: the batches a pick lock holds (INV-8), chosen by the picking
  suggestion at pick-lock time, taken by the shipment, dropped by a release; a movement
  taking units out of a batch never takes those held there.

Revision ID: 0021
Revises: 0020
"""

from alembic import op
from migrations.rls import tenant_table

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

TENANT = "tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE"


def upgrade() -> None:
    op.execute(f"""
        CREATE TABLE count_batch_lines (
            {TENANT},
            count_id uuid NOT NULL,
            sku_id uuid NOT NULL,
            batch_id uuid NOT NULL,
            counted bigint NOT NULL CHECK (counted >= 0),
            book bigint NOT NULL,
            posted bigint,
            PRIMARY KEY (tenant_id, count_id, sku_id, batch_id),
            FOREIGN KEY (tenant_id, count_id, sku_id)
                REFERENCES count_lines (tenant_id, count_id, sku_id),
            FOREIGN KEY (tenant_id, batch_id) REFERENCES stock_batches (tenant_id, id)
        )""")
    tenant_table("count_batch_lines")
    op.execute(f"""
        CREATE TABLE reservation_batches (
            {TENANT},
            reservation_id uuid NOT NULL,
            line_no integer NOT NULL,
            batch_id uuid NOT NULL,
            sku_id uuid NOT NULL,
            warehouse_id uuid NOT NULL,
            quantity bigint NOT NULL CHECK (quantity > 0),
            PRIMARY KEY (tenant_id, reservation_id, line_no, batch_id),
            FOREIGN KEY (tenant_id, reservation_id, line_no)
                REFERENCES reservation_lines (tenant_id, reservation_id, line_no),
            FOREIGN KEY (tenant_id, batch_id) REFERENCES stock_batches (tenant_id, id)
        )""")
    op.execute(
        "CREATE INDEX reservation_batches_batch ON reservation_batches"
        " (tenant_id, sku_id, warehouse_id, batch_id)"
    )
    tenant_table("reservation_batches")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS reservation_batches")
    op.execute("DROP TABLE IF EXISTS count_batch_lines")
