"""The tenant's risk policy (ORD-5; docs/orders.md, "Risk score").

``order_settings.risk_policy``: the thresholds and points of the suspected-fraud score as
the tenant set them (JSON, every field named; NULL: the defaults of ``domain.orders.risk``).

Revision ID: 0023
Revises: 0021
"""

from alembic import op

revision = "0023"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE order_settings ADD COLUMN risk_policy jsonb")


def downgrade() -> None:
    op.execute("ALTER TABLE order_settings DROP COLUMN risk_policy")
