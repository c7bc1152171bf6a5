"""Catalog bulk import and export (CAT-2; docs/catalog.md, "Bulk import and export").

``catalog_imports`` holds an uploaded file's bytes from upload through the validation
preview (dry run) to the commit, with the validation's error list and counts;
``catalog_exports`` holds a finished export's bytes until it is downloaded. Progress lives
in ``jobs`` (each import or export names its job). Both tables are tenant-owned, with the
canonical forced row-level security.

Revision ID: 0009
Revises: 0008
"""

from alembic import op
from migrations.rls import tenant_table

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TENANT = "tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE"
TABLES = ["catalog_imports", "catalog_exports"]


def upgrade() -> None:
    op.execute(f"""
        CREATE TABLE catalog_imports (
            {TENANT},
            id uuid NOT NULL,
            file_name text NOT NULL,
            format text NOT NULL CHECK (format IN ('csv', 'xlsx')),
            content bytea NOT NULL,
            include_cost boolean NOT NULL,
            status text NOT NULL,
            valid_only boolean,
            check_job_id uuid NOT NULL,
            commit_job_id uuid,
            counts jsonb NOT NULL DEFAULT '{{}}',
            errors jsonb NOT NULL DEFAULT '[]',
            version integer NOT NULL DEFAULT 1,
            created_by text NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id)
        )""")
    op.execute("CREATE INDEX catalog_imports_created ON catalog_imports (tenant_id, created_at)")
    op.execute(f"""
        CREATE TABLE catalog_exports (
            {TENANT},
            id uuid NOT NULL,
            format text NOT NULL CHECK (format IN ('csv', 'xlsx')),
            include_cost boolean NOT NULL,
            status text NOT NULL,
            job_id uuid NOT NULL,
            content bytea,
            products integer NOT NULL DEFAULT 0,
            created_by text NOT NULL,
            created_at timestamptz NOT NULL,
            finished_at timestamptz,
            PRIMARY KEY (tenant_id, id)
        )""")
    for table in TABLES:
        tenant_table(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.execute(f"DROP TABLE {table}")
