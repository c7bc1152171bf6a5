"""Catalog core: product types, categories with their closure, brands, products, SKUs,
product versions and the search-term side table (CAT-1, CAT-4, CAT-5, CAT-6, CAT-8,
CAT-11, CAT-12; docs/catalog.md, "Proposed tables").

Every table is tenant-owned: ``tenant_id`` leads each primary, unique and foreign key, and
``tenant_table`` forces row-level security with the canonical policy. ``code_key``,
``barcode_key`` and ``name_key`` are computed by the domain functions of those names, so
the unique indexes compare exactly what the domain compares. SKUs are never deleted, so
their unique keys cover archived SKUs too. ``product_versions`` is append-only for the
request role (SELECT, INSERT). Channels, prices, media and imports come later.

Revision ID: 0006
Revises: 0005
"""

from alembic import op
from migrations.rls import tenant_table

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TENANT = "tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE"

# In creation order; dropped in reverse.
TABLES = [
    "product_types",
    "product_type_attributes",
    "categories",
    "category_closure",
    "brands",
    "products",
    "skus",
    "product_versions",
    "product_search_terms",
]

APPEND_ONLY = {"product_versions"}


def upgrade() -> None:
    op.execute(f"""
        CREATE TABLE product_types (
            {TENANT},
            id uuid NOT NULL,
            name text NOT NULL,
            name_key text NOT NULL,
            version integer NOT NULL DEFAULT 1,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id),
            CONSTRAINT product_types_name_key UNIQUE (tenant_id, name_key)
        )""")
    op.execute(f"""
        CREATE TABLE product_type_attributes (
            {TENANT},
            product_type_id uuid NOT NULL,
            code text NOT NULL,
            name text NOT NULL,
            kind text NOT NULL CHECK (kind IN ('text', 'number', 'enum', 'boolean')),
            unit text,
            allowed_values text[] NOT NULL DEFAULT '{{}}',
            variant_axis boolean NOT NULL DEFAULT false,
            required boolean NOT NULL DEFAULT false,
            position integer NOT NULL,
            PRIMARY KEY (tenant_id, product_type_id, code),
            FOREIGN KEY (tenant_id, product_type_id) REFERENCES product_types (tenant_id, id)
                ON DELETE CASCADE
        )""")
    op.execute(f"""
        CREATE TABLE categories (
            {TENANT},
            id uuid NOT NULL,
            parent_id uuid,
            name text NOT NULL,
            name_key text NOT NULL,
            version integer NOT NULL DEFAULT 1,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id),
            FOREIGN KEY (tenant_id, parent_id) REFERENCES categories (tenant_id, id),
            CONSTRAINT categories_sibling_name UNIQUE NULLS NOT DISTINCT
                (tenant_id, parent_id, name_key)
        )""")
    op.execute(f"""
        CREATE TABLE category_closure (
            {TENANT},
            ancestor_id uuid NOT NULL,
            descendant_id uuid NOT NULL,
            depth integer NOT NULL CHECK (depth >= 0),
            PRIMARY KEY (tenant_id, ancestor_id, descendant_id),
            FOREIGN KEY (tenant_id, ancestor_id) REFERENCES categories (tenant_id, id)
                ON DELETE CASCADE,
            FOREIGN KEY (tenant_id, descendant_id) REFERENCES categories (tenant_id, id)
                ON DELETE CASCADE
        )""")
    op.execute(
        "CREATE INDEX category_closure_descendant"
        " ON category_closure (tenant_id, descendant_id, depth)"
    )
    op.execute(f"""
        CREATE TABLE brands (
            {TENANT},
            id uuid NOT NULL,
            name text NOT NULL,
            name_key text NOT NULL,
            logo_file_id uuid,
            version integer NOT NULL DEFAULT 1,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id),
            CONSTRAINT brands_name_key UNIQUE (tenant_id, name_key)
        )""")
    op.execute(f"""
        CREATE TABLE products (
            {TENANT},
            id uuid NOT NULL,
            code text NOT NULL,
            code_key text NOT NULL,
            name text NOT NULL,
            description text,
            material text,
            kind text NOT NULL CHECK (kind IN ('physical', 'virtual')),
            preorder_allowed boolean NOT NULL DEFAULT false,
            sell_out_of_stock_allowed boolean NOT NULL DEFAULT false,
            product_type_id uuid,
            category_id uuid,
            brand_id uuid,
            attributes jsonb NOT NULL DEFAULT '{{}}',
            lifecycle text NOT NULL
                CHECK (lifecycle IN ('new', 'active', 'phasing_out', 'discontinued')),
            archived_at timestamptz,
            version integer NOT NULL DEFAULT 1,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id),
            CONSTRAINT products_code_key UNIQUE (tenant_id, code_key),
            FOREIGN KEY (tenant_id, product_type_id) REFERENCES product_types (tenant_id, id),
            FOREIGN KEY (tenant_id, category_id) REFERENCES categories (tenant_id, id),
            FOREIGN KEY (tenant_id, brand_id) REFERENCES brands (tenant_id, id)
        )""")
    op.execute("CREATE INDEX products_category ON products (tenant_id, category_id)")
    op.execute("CREATE INDEX products_brand ON products (tenant_id, brand_id)")
    op.execute("CREATE INDEX products_lifecycle ON products (tenant_id, lifecycle)")
    op.execute("CREATE INDEX products_updated ON products (tenant_id, updated_at, id)")
    op.execute(f"""
        CREATE TABLE skus (
            {TENANT},
            id uuid NOT NULL,
            product_id uuid NOT NULL,
            position integer NOT NULL,
            code text NOT NULL,
            code_key text NOT NULL,
            barcode text,
            barcode_key text,
            axis_values jsonb NOT NULL DEFAULT '{{}}',
            list_price numeric(14, 2),
            cost numeric(14, 2),
            weight_grams numeric(11, 3),
            archived boolean NOT NULL DEFAULT false,
            PRIMARY KEY (tenant_id, id),
            CONSTRAINT skus_code_key UNIQUE (tenant_id, code_key),
            CONSTRAINT skus_barcode_key UNIQUE (tenant_id, barcode_key),
            FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id),
            CHECK ((barcode IS NULL) = (barcode_key IS NULL))
        )""")
    op.execute("CREATE INDEX skus_product ON skus (tenant_id, product_id)")
    op.execute(f"""
        CREATE TABLE product_versions (
            {TENANT},
            product_id uuid NOT NULL,
            number integer NOT NULL CHECK (number >= 1),
            snapshot jsonb NOT NULL,
            changes jsonb NOT NULL DEFAULT '[]',
            actor text,
            at timestamptz NOT NULL,
            restored_from integer,
            PRIMARY KEY (tenant_id, product_id, number),
            FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
        )""")
    op.execute(f"""
        CREATE TABLE product_search_terms (
            {TENANT},
            term text NOT NULL,
            product_id uuid NOT NULL,
            PRIMARY KEY (tenant_id, term, product_id),
            FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
                ON DELETE CASCADE
        )""")
    op.execute(
        "CREATE INDEX product_search_terms_product ON product_search_terms (tenant_id, product_id)"
    )

    for table in TABLES:
        if table in APPEND_ONLY:
            tenant_table(table, app_privileges="SELECT, INSERT")
        else:
            tenant_table(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.execute(f"DROP TABLE {table}")
