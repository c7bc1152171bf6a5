"""Channel reports of shipments retried (CHN-2 shipment side, LOG-1); docs/fulfilment.md.

``shipments.report_attempts``: the failed reports since the last success or a person's
"report again"; ``shipments.next_report_at``: when the sweep tries again (NULL: it does
not). The partial index ``shipments_report_due`` finds them across tenants. Shipments
already left unreported are due at once.

Revision ID: 0026
Revises: 0025
"""

from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "ALTER TABLE shipments ADD COLUMN report_attempts integer NOT NULL DEFAULT 0,"
        " ADD COLUMN next_report_at timestamptz"
    )
    op.execute(
        "UPDATE shipments SET next_report_at = shipped_at"
        " WHERE channel_reported IS FALSE AND shipped_at IS NOT NULL"
    )
    op.execute(
        "CREATE INDEX shipments_report_due ON shipments (next_report_at)"
        " WHERE channel_reported IS FALSE AND next_report_at IS NOT NULL"
    )


def downgrade() -> None:
    op.execute("DROP INDEX shipments_report_due")
    op.execute("ALTER TABLE shipments DROP COLUMN next_report_at, DROP COLUMN report_attempts")
