"""Notification emails waiting to be sent (ORD-7, INV-3).

One row per email of a notification to a user, written in the notifying transaction, so a
rolled-back change sends nothing. The row holds the template and its parameters (ids,
codes, numbers), not the text: the text is rendered when sent, in the user's language, to
the user's address at that time. Sending claims the row with a short lease, like webhook
deliveries (0003); the sweep finds due rows through ``queued_emails_due``.

Revision ID: 0004
Revises: 0003
"""

from alembic import op
from migrations.rls import tenant_table

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE queued_emails (
            tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            id uuid NOT NULL,
            notification_id uuid NOT NULL,
            user_id uuid NOT NULL,
            topic text NOT NULL,
            template text NOT NULL,
            params jsonb NOT NULL DEFAULT '{}',
            link text,
            status text NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
            attempts integer NOT NULL DEFAULT 0,
            last_error text,
            created_at timestamptz NOT NULL,
            next_attempt_at timestamptz NOT NULL,
            sent_at timestamptz,
            lease_token uuid,
            lease_expires_at timestamptz,
            PRIMARY KEY (tenant_id, id),
            FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
        )""")
    op.execute(
        "CREATE INDEX queued_emails_notification ON queued_emails (tenant_id, notification_id)"
    )
    # The sweep (platform role, every tenant) reads only pending rows, oldest due first.
    op.execute(
        "CREATE INDEX queued_emails_due ON queued_emails (next_attempt_at) WHERE status = 'pending'"
    )
    op.execute("CREATE INDEX queued_emails_user ON queued_emails (tenant_id, user_id)")
    tenant_table("queued_emails")


def downgrade() -> None:
    op.execute("DROP TABLE queued_emails")
