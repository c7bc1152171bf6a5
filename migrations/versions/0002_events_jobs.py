"""Events and jobs: message dedupe, webhooks, inbox, audit seals, background jobs, scheduler.

Revision ID: 0002
Revises: 0001
"""

from alembic import op
from migrations.rls import PLATFORM_ROLE, tenant_table

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TENANT_TABLES = [
    "processed_messages",
    "webhook_endpoints",
    "webhook_deliveries",
    "webhook_attempts",
    "inbox_messages",
    "audit_digests",
    "audit_seals",
    "jobs",
]


def upgrade() -> None:
    # Actors deduplicate by message id in the same transaction as their work.
    op.execute("""
        CREATE TABLE processed_messages (
            tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            consumer text NOT NULL,
            message_id text NOT NULL,
            processed_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (tenant_id, consumer, message_id)
        )""")

    # ---- webhooks (CHN-3, Standard Webhooks) ------------------------------------------
    op.execute("""
        CREATE TABLE webhook_endpoints (
            tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            id uuid NOT NULL,
            url text NOT NULL,
            description text NOT NULL DEFAULT '',
            event_types text[] NOT NULL,
            secret_enc bytea NOT NULL,
            active boolean NOT NULL DEFAULT true,
            version integer NOT NULL DEFAULT 1,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id)
        )""")
    op.execute("""
        CREATE TABLE webhook_deliveries (
            tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            id uuid NOT NULL,
            endpoint_id uuid NOT NULL,
            event_id uuid NOT NULL,
            event_type text NOT NULL,
            payload jsonb NOT NULL,
            status text NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'succeeded', 'dead')),
            attempts integer NOT NULL DEFAULT 0,
            next_attempt_at timestamptz,
            last_status_code integer,
            last_error text,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            succeeded_at timestamptz,
            PRIMARY KEY (tenant_id, id),
            UNIQUE (tenant_id, endpoint_id, event_id),
            FOREIGN KEY (tenant_id, endpoint_id) REFERENCES webhook_endpoints (tenant_id, id)
                ON DELETE CASCADE
        )""")
    op.execute(
        "CREATE INDEX webhook_deliveries_status ON webhook_deliveries"
        " (tenant_id, status, created_at DESC, id DESC)"
    )
    op.execute(
        "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)"
        " WHERE status = 'pending'"
    )
    op.execute("""
        CREATE TABLE webhook_attempts (
            tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            id uuid NOT NULL,
            delivery_id uuid NOT NULL,
            attempted_at timestamptz NOT NULL,
            status_code integer,
            error text,
            duration_ms integer NOT NULL,
            succeeded boolean NOT NULL,
            PRIMARY KEY (tenant_id, id),
            FOREIGN KEY (tenant_id, delivery_id) REFERENCES webhook_deliveries (tenant_id, id)
                ON DELETE CASCADE
        )""")
    op.execute(
        "CREATE INDEX webhook_attempts_delivery ON webhook_attempts"
        " (tenant_id, delivery_id, attempted_at)"
    )

    # ---- in-app inbox (ORD-7, INV-3 notification channel) ------------------------------
    op.execute("""
        CREATE TABLE inbox_messages (
            tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            id uuid NOT NULL,
            user_id uuid NOT NULL,
            topic text NOT NULL,
            title text NOT NULL,
            body text NOT NULL DEFAULT '',
            link text,
            created_at timestamptz NOT NULL,
            read_at timestamptz,
            PRIMARY KEY (tenant_id, id),
            FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
        )""")
    op.execute(
        "CREATE INDEX inbox_messages_user ON inbox_messages (tenant_id, user_id, created_at DESC, id DESC)"
    )
    op.execute(
        "CREATE INDEX inbox_messages_unread ON inbox_messages (tenant_id, user_id)"
        " WHERE read_at IS NULL"
    )

    # ---- audit sealing (PLT-3): a per-tenant chain of digests -------------------------
    op.execute("""
        CREATE TABLE audit_digests (
            tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            seq bigint NOT NULL,
            previous_digest bytea,
            digest bytea NOT NULL,
            row_ids uuid[] NOT NULL,
            first_occurred_at timestamptz,
            last_occurred_at timestamptz,
            created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            PRIMARY KEY (tenant_id, seq)
        )""")
    # Which digest covers each audit row: the primary key makes "exactly one" a constraint.
    op.execute("""
        CREATE TABLE audit_seals (
            tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            audit_id uuid NOT NULL,
            digest_seq bigint NOT NULL,
            PRIMARY KEY (tenant_id, audit_id),
            FOREIGN KEY (tenant_id, digest_seq) REFERENCES audit_digests (tenant_id, seq)
                ON DELETE CASCADE
        )""")

    # ---- long-running jobs with progress (re-encryption, imports, exports, reports) ---
    op.execute("""
        CREATE TABLE jobs (
            tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            id uuid NOT NULL,
            kind text NOT NULL,
            status text NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
            done bigint NOT NULL DEFAULT 0,
            total bigint,
            checkpoint jsonb NOT NULL DEFAULT '{}',
            parameters jsonb NOT NULL DEFAULT '{}',
            error text,
            created_by text NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            finished_at timestamptz,
            PRIMARY KEY (tenant_id, id)
        )""")
    op.execute("CREATE INDEX jobs_kind ON jobs (tenant_id, kind, created_at DESC)")

    for table in TENANT_TABLES:
        if table in ("audit_digests", "audit_seals"):
            # The sealer (platform role) appends; nobody rewrites the chain.
            tenant_table(table, app_privileges="SELECT")
            op.execute(f"REVOKE UPDATE, DELETE ON {table} FROM {PLATFORM_ROLE}")
        else:
            tenant_table(table)

    # ---- the scheduler's record of fired periods (global) ----------------------------
    op.execute("""
        CREATE TABLE scheduler_runs (
            job text NOT NULL,
            period_start timestamptz NOT NULL,
            fired_at timestamptz NOT NULL DEFAULT now(),
            fired_by text NOT NULL,
            PRIMARY KEY (job, period_start)
        )""")
    op.execute(f"GRANT SELECT, INSERT, DELETE ON scheduler_runs TO {PLATFORM_ROLE}")


def downgrade() -> None:
    op.execute("DROP TABLE scheduler_runs")
    for table in reversed(TENANT_TABLES):
        op.execute(f"DROP TABLE {table}")
