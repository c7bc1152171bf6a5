"""Audit digests list the hash of each row they cover (PLT-3).

A digest is the hash of the previous digest and of its rows' hashes, in order. Keeping the
row hashes beside the row ids lets ``shopkeeper audit verify`` name the exact row that was
changed, rather than only the digest that no longer matches. Sealing starts with this
release, so no digest exists without them.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE audit_digests ADD COLUMN row_hashes bytea[] NOT NULL DEFAULT '{}'")
    op.execute("ALTER TABLE audit_digests ALTER COLUMN row_hashes DROP DEFAULT")
    op.execute(
        "ALTER TABLE audit_digests ADD CONSTRAINT audit_digests_rows_pair"
        " CHECK (cardinality(row_ids) = cardinality(row_hashes))"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE audit_digests DROP CONSTRAINT audit_digests_rows_pair")
    op.execute("ALTER TABLE audit_digests DROP COLUMN row_hashes")
