"""The tenant's risk policy (ORD-5) and XLSX order files (ORD-9); docs/orders.md.

``order_settings.risk_policy``: the thresholds and points of the suspected-fraud score as
the tenant set them (JSON, every field named; NULL: the defaults of ``domain.orders.risk``).
``order_imports.format``: ``xlsx`` beside ``csv`` and ``json`` (Shopify's layout in a
workbook).

Revision ID: 0025
Revises: 0024
"""

from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def _formats(listed: str) -> None:
    op.execute("ALTER TABLE order_imports DROP CONSTRAINT order_imports_format_check")
    op.execute(
        "ALTER TABLE order_imports ADD CONSTRAINT order_imports_format_check"
        f" CHECK (format IN ({listed}))"
    )


def upgrade() -> None:
    op.execute("ALTER TABLE order_settings ADD COLUMN risk_policy jsonb")
    _formats("'csv', 'xlsx', 'json'")


def downgrade() -> None:
    _formats("'csv', 'json'")
    op.execute("ALTER TABLE order_settings DROP COLUMN risk_policy")
