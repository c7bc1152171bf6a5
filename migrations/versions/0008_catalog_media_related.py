"""Catalog media, brand logos and related products (CAT-3, CAT-6, CAT-9; docs/catalog.md,
"Media (CAT-3) and brand logos (CAT-6)" and "Related products").

``product_media`` holds one row per image or video of a product; the bytes live in the
file store under ``<tenant>/catalog/media/<file_id>/<rendition>``. Positions are unique
per product, checked at commit (a reorder passes through duplicates). A brand's logo is
described by columns on ``brands`` (``logo_file_id`` already exists). ``related_products``
holds directed, ordered links per kind. Every new table is tenant-owned: ``tenant_id``
leads each key, with forced row-level security and the canonical policy.

Revision ID: 0008
Revises: 0007
"""

from alembic import op
from migrations.rls import tenant_table

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TENANT = "tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE"
TABLES = ["product_media", "related_products"]
LOGO_COLUMNS = ["logo_content_type", "logo_byte_size", "logo_sha256", "logo_width", "logo_height"]


def upgrade() -> None:
    op.execute(f"""
        CREATE TABLE product_media (
            {TENANT},
            id uuid NOT NULL,
            product_id uuid NOT NULL,
            file_id uuid NOT NULL,
            kind text NOT NULL CHECK (kind IN ('image', 'video')),
            content_type text NOT NULL,
            byte_size bigint NOT NULL CHECK (byte_size > 0),
            sha256 text NOT NULL,
            width integer,
            height integer,
            alt_text text NOT NULL DEFAULT '',
            position integer NOT NULL CHECK (position >= 0),
            version integer NOT NULL DEFAULT 1,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id),
            FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id),
            CONSTRAINT product_media_position UNIQUE (tenant_id, product_id, position)
                DEFERRABLE INITIALLY DEFERRED
        )""")
    op.execute(f"""
        CREATE TABLE related_products (
            {TENANT},
            product_id uuid NOT NULL,
            kind text NOT NULL CHECK (kind IN ('cross_sell', 'up_sell')),
            related_product_id uuid NOT NULL,
            position integer NOT NULL CHECK (position >= 0),
            PRIMARY KEY (tenant_id, product_id, kind, related_product_id),
            FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id),
            FOREIGN KEY (tenant_id, related_product_id) REFERENCES products (tenant_id, id),
            CHECK (product_id <> related_product_id)
        )""")
    op.execute(
        "CREATE INDEX related_products_target ON related_products (tenant_id, related_product_id)"
    )
    op.execute("""
        ALTER TABLE brands
            ADD COLUMN logo_content_type text,
            ADD COLUMN logo_byte_size bigint,
            ADD COLUMN logo_sha256 text,
            ADD COLUMN logo_width integer,
            ADD COLUMN logo_height integer,
            ADD CONSTRAINT brands_logo_complete CHECK (
                (logo_file_id IS NULL) = (logo_content_type IS NULL)
                AND (logo_file_id IS NULL) = (logo_sha256 IS NULL)
            )""")
    for table in TABLES:
        tenant_table(table)


def downgrade() -> None:
    op.execute("ALTER TABLE brands DROP CONSTRAINT brands_logo_complete")
    for column in LOGO_COLUMNS:
        op.execute(f"ALTER TABLE brands DROP COLUMN {column}")
    for table in reversed(TABLES):
        op.execute(f"DROP TABLE {table}")
