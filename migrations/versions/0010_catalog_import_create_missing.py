"""An import may create the categories, brands and product types it names (CAT-2; #9 item
17): ``create_missing`` is the uploader's choice, ``to_create`` what the preview found
missing (category paths, brand names, product type names), shown before the commit.

Revision ID: 0010
Revises: 0009
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        ALTER TABLE catalog_imports
            ADD COLUMN create_missing boolean NOT NULL DEFAULT false,
            ADD COLUMN to_create jsonb NOT NULL DEFAULT '{}'
    """)


def downgrade() -> None:
    op.execute("ALTER TABLE catalog_imports DROP COLUMN create_missing, DROP COLUMN to_create")
