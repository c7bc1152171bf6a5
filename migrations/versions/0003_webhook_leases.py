"""Webhook deliveries: a short claim (lease) per attempt, attempt series for replays.

A worker claims a delivery in a short transaction (``lease_token`` + ``lease_expires_at``),
commits, sends the HTTP request with no transaction open, and records the outcome in a
second short transaction that only counts if its token still holds the lease. A crashed
worker's lease simply expires. ``series`` numbers the replays of one delivery; the partial
unique index makes "one success per delivery and series" a constraint, not a hope.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        ALTER TABLE webhook_deliveries
            ADD COLUMN series integer NOT NULL DEFAULT 1,
            ADD COLUMN lease_token uuid,
            ADD COLUMN lease_expires_at timestamptz""")
    op.execute("""
        ALTER TABLE webhook_attempts
            ADD COLUMN series integer NOT NULL DEFAULT 1,
            ADD COLUMN attempt integer NOT NULL DEFAULT 1""")
    op.execute(
        "CREATE UNIQUE INDEX webhook_attempts_one_success ON webhook_attempts"
        " (tenant_id, delivery_id, series) WHERE succeeded"
    )
    # Listing deliveries newest first, all of them or one endpoint's.
    op.execute(
        "CREATE INDEX webhook_deliveries_newest ON webhook_deliveries"
        " (tenant_id, created_at DESC, id DESC)"
    )
    op.execute(
        "CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries"
        " (tenant_id, endpoint_id, created_at DESC, id DESC)"
    )


def downgrade() -> None:
    op.execute("DROP INDEX webhook_deliveries_endpoint")
    op.execute("DROP INDEX webhook_deliveries_newest")
    op.execute("DROP INDEX webhook_attempts_one_success")
    op.execute("ALTER TABLE webhook_attempts DROP COLUMN attempt, DROP COLUMN series")
    op.execute(
        "ALTER TABLE webhook_deliveries DROP COLUMN lease_expires_at, DROP COLUMN lease_token,"
        " DROP COLUMN series"
    )
