"""Core platform: tenants, identity, audit, data keys, idempotency, outbox, customers.

Revision ID: 0001
Revises:
"""

from alembic import op
from migrations.rls import APP_ROLE, PLATFORM_ROLE, tenant_table

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TENANT_TABLES = [
    "users",
    "roles",
    "user_roles",
    "auth_sessions",
    "refresh_tokens",
    "api_keys",
    "audit_log",
    "tenant_data_keys",
    "idempotency_keys",
    "outbox",
    "customers",
    "customer_search_terms",
]


def upgrade() -> None:
    op.execute(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}, {PLATFORM_ROLE}")

    # ---- global tables -------------------------------------------------------------
    op.execute("""
        CREATE TABLE tenants (
            id uuid PRIMARY KEY,
            slug text NOT NULL UNIQUE,
            name text NOT NULL,
            status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
            time_zone text NOT NULL DEFAULT 'Asia/Shanghai',
            currency char(3) NOT NULL DEFAULT 'CNY',
            locale text NOT NULL DEFAULT 'zh-CN',
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        )""")
    op.execute(f"GRANT SELECT ON tenants TO {APP_ROLE}")
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON tenants TO {PLATFORM_ROLE}")

    # What support staff did through the CLI, outliving the tenants they acted on.
    op.execute("""
        CREATE TABLE operator_audit_log (
            id uuid PRIMARY KEY,
            occurred_at timestamptz NOT NULL DEFAULT now(),
            operator text NOT NULL,
            action text NOT NULL,
            tenant_id uuid,
            reason text NOT NULL DEFAULT '',
            detail jsonb NOT NULL DEFAULT '{}'
        )""")
    op.execute(f"GRANT SELECT, INSERT ON operator_audit_log TO {PLATFORM_ROLE}")

    # ---- identity ------------------------------------------------------------------
    op.execute("""
        CREATE TABLE users (
            tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            id uuid NOT NULL,
            email text NOT NULL,
            display_name text NOT NULL,
            password_hash text NOT NULL,
            locale text NOT NULL DEFAULT 'zh-CN',
            active boolean NOT NULL DEFAULT true,
            version integer NOT NULL DEFAULT 1,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (tenant_id, id),
            UNIQUE (tenant_id, email)
        )""")
    op.execute("""
        CREATE TABLE roles (
            tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            id uuid NOT NULL,
            key text NOT NULL,
            name text NOT NULL,
            description text NOT NULL DEFAULT '',
            builtin boolean NOT NULL,
            permissions text[] NOT NULL DEFAULT '{}',
            version integer NOT NULL DEFAULT 1,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (tenant_id, id),
            UNIQUE (tenant_id, key)
        )""")
    op.execute("""
        CREATE TABLE user_roles (
            tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            user_id uuid NOT NULL,
            role_id uuid NOT NULL,
            PRIMARY KEY (tenant_id, user_id, role_id),
            FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
            FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id) ON DELETE CASCADE
        )""")
    op.execute("CREATE INDEX user_roles_role ON user_roles (tenant_id, role_id)")
    op.execute("""
        CREATE TABLE auth_sessions (
            tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            id uuid NOT NULL,
            user_id uuid NOT NULL,
            ip inet,
            created_at timestamptz NOT NULL,
            revoked_at timestamptz,
            revoked_reason text,
            PRIMARY KEY (tenant_id, id),
            FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
        )""")
    op.execute("CREATE INDEX auth_sessions_user ON auth_sessions (tenant_id, user_id)")
    op.execute("""
        CREATE TABLE refresh_tokens (
            tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            id uuid NOT NULL,
            session_id uuid NOT NULL,
            token_hash bytea NOT NULL,
            issued_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL,
            used_at timestamptz,
            PRIMARY KEY (tenant_id, id),
            UNIQUE (tenant_id, token_hash),
            FOREIGN KEY (tenant_id, session_id) REFERENCES auth_sessions (tenant_id, id)
                ON DELETE CASCADE
        )""")
    op.execute("""
        CREATE TABLE api_keys (
            tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            id uuid NOT NULL,
            name text NOT NULL,
            secret_hash bytea NOT NULL,
            permissions text[] NOT NULL,
            created_by text NOT NULL,
            created_at timestamptz NOT NULL,
            last_used_at timestamptz,
            revoked_at timestamptz,
            PRIMARY KEY (tenant_id, id)
        )""")

    # ---- audit (append-only for both runtime roles) ---------------------------------
    op.execute("""
        CREATE TABLE audit_log (
            tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            id uuid NOT NULL,
            occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            actor text NOT NULL,
            action text NOT NULL,
            entity_type text NOT NULL,
            entity_id uuid,
            outcome text NOT NULL CHECK (outcome IN ('success', 'denied', 'failed')),
            changes jsonb NOT NULL DEFAULT '[]',
            detail jsonb NOT NULL DEFAULT '{}',
            request_id text NOT NULL DEFAULT '',
            ip inet,
            PRIMARY KEY (tenant_id, id)
        )""")
    op.execute("CREATE INDEX audit_log_time ON audit_log (tenant_id, occurred_at DESC, id DESC)")
    op.execute("CREATE INDEX audit_log_entity ON audit_log (tenant_id, entity_type, entity_id)")
    op.execute("CREATE INDEX audit_log_actor ON audit_log (tenant_id, actor, occurred_at DESC)")

    # ---- encryption keys: wrapped data keys; the key-encryption key lives outside ----
    op.execute("""
        CREATE TABLE tenant_data_keys (
            tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            id integer NOT NULL,
            wrapped_key bytea NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            retired_at timestamptz,
            PRIMARY KEY (tenant_id, id)
        )""")

    # ---- HTTP idempotency and the transactional outbox -------------------------------
    op.execute("""
        CREATE TABLE idempotency_keys (
            tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            id text NOT NULL,
            request_hash bytea NOT NULL,
            status_code integer NOT NULL,
            body bytea NOT NULL,
            headers jsonb NOT NULL DEFAULT '{}',
            created_at timestamptz NOT NULL DEFAULT now(),
            expires_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id)
        )""")
    op.execute("CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at)")
    op.execute("""
        CREATE TABLE outbox (
            tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            id uuid NOT NULL,
            event_type text NOT NULL,
            entity_type text NOT NULL,
            entity_id uuid NOT NULL,
            changed_fields text[] NOT NULL DEFAULT '{}',
            data jsonb NOT NULL DEFAULT '{}',
            occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            request_id text NOT NULL DEFAULT '',
            published_at timestamptz,
            PRIMARY KEY (tenant_id, id)
        )""")
    op.execute("CREATE INDEX outbox_unpublished ON outbox (occurred_at) WHERE published_at IS NULL")

    # ---- customers (CRM-1): personal fields encrypted, blind indexes for search -------
    op.execute("""
        CREATE TABLE customers (
            tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            id uuid NOT NULL,
            name_enc bytea,
            phone_enc bytea,
            email_enc bytea,
            addresses_enc bytea,
            phone_bidx bytea,
            email_bidx bytea,
            tags text[] NOT NULL DEFAULT '{}',
            source_channel text,
            version integer NOT NULL DEFAULT 1,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            erased_at timestamptz,
            PRIMARY KEY (tenant_id, id)
        )""")
    op.execute("CREATE INDEX customers_phone ON customers (tenant_id, phone_bidx)")
    op.execute("CREATE INDEX customers_email ON customers (tenant_id, email_bidx)")
    op.execute("CREATE INDEX customers_created ON customers (tenant_id, created_at, id)")
    # Name search: keyed hashes of the name's character grams (equality, so RLS-friendly).
    op.execute("""
        CREATE TABLE customer_search_terms (
            tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            term bytea NOT NULL,
            customer_id uuid NOT NULL,
            PRIMARY KEY (tenant_id, term, customer_id),
            FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
                ON DELETE CASCADE
        )""")
    op.execute(
        "CREATE INDEX customer_search_terms_customer ON customer_search_terms (tenant_id, customer_id)"
    )

    for table in TENANT_TABLES:
        if table == "audit_log":
            tenant_table(table, app_privileges="SELECT, INSERT")
            op.execute(f"REVOKE UPDATE, DELETE ON audit_log FROM {PLATFORM_ROLE}")
        else:
            tenant_table(table)


def downgrade() -> None:
    for table in reversed(TENANT_TABLES):
        op.execute(f"DROP TABLE {table}")
    op.execute("DROP TABLE operator_audit_log")
    op.execute("DROP TABLE tenants")
    op.execute(f"REVOKE USAGE ON SCHEMA public FROM {APP_ROLE}, {PLATFORM_ROLE}")
