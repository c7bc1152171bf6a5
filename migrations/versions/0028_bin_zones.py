"""Bin zones and waves by zone (LOG-1, INV-1); docs/fulfilment.md.

``warehouse_bins.zone``: the zone (区) a bin lies in, if the warehouse has zones;
``waves.zone``: the zone all of a wave's SKUs lie in (NULL: none, or more than one).

Revision ID: 0028
Revises: 0027
"""

from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE warehouse_bins ADD COLUMN zone text")
    op.execute("ALTER TABLE waves ADD COLUMN zone text")


def downgrade() -> None:
    op.execute("ALTER TABLE waves DROP COLUMN zone")
    op.execute("ALTER TABLE warehouse_bins DROP COLUMN zone")
