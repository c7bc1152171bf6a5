"""Catalog channels and prices: sales channels, listings (上架/下架) with per-SKU channel
prices, the tenant's membership tiers, member prices and promotions (CAT-7, CAT-10, CHN-1;
docs/catalog.md, "Proposed tables" and "Channels, listings and prices").

Every table is tenant-owned: ``tenant_id`` leads each primary, unique and foreign key, and
``tenant_table`` forces row-level security with the canonical policy. A channel price
belongs to its listing (deleted with it); member prices name a tier of the tenant's
settings, and a tier still named by one cannot be removed (the foreign key refuses it).
``membership_tier_sets`` holds one row per tenant: the version of its tier list (ETag).

Revision ID: 0007
Revises: 0006
"""

from alembic import op
from migrations.rls import tenant_table

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TENANT = "tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE"

# In creation order; dropped in reverse.
TABLES = [
    "sales_channels",
    "channel_listings",
    "channel_prices",
    "membership_tier_sets",
    "membership_tiers",
    "member_prices",
    "promotions",
]


def upgrade() -> None:
    op.execute(f"""
        CREATE TABLE sales_channels (
            {TENANT},
            id uuid NOT NULL,
            code text NOT NULL,
            name text NOT NULL,
            kind text NOT NULL
                CHECK (kind IN ('own_shop', 'marketplace', 'offline_store', 'social_shop')),
            platform text,
            active boolean NOT NULL DEFAULT true,
            version integer NOT NULL DEFAULT 1,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id),
            CONSTRAINT sales_channels_code_key UNIQUE (tenant_id, code)
        )""")
    op.execute(f"""
        CREATE TABLE channel_listings (
            {TENANT},
            product_id uuid NOT NULL,
            channel_id uuid NOT NULL,
            status text NOT NULL CHECK (status IN ('published', 'unpublished')),
            published_at timestamptz,
            unpublished_at timestamptz,
            version integer NOT NULL DEFAULT 1,
            PRIMARY KEY (tenant_id, product_id, channel_id),
            FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id),
            FOREIGN KEY (tenant_id, channel_id) REFERENCES sales_channels (tenant_id, id)
        )""")
    # "Published on channel C" (search filter, channel deactivation) is an equality lookup.
    op.execute(
        "CREATE INDEX channel_listings_channel ON channel_listings (tenant_id, channel_id, status)"
    )
    op.execute(f"""
        CREATE TABLE channel_prices (
            {TENANT},
            product_id uuid NOT NULL,
            channel_id uuid NOT NULL,
            sku_id uuid NOT NULL,
            amount numeric(14, 2) NOT NULL CHECK (amount >= 0),
            PRIMARY KEY (tenant_id, channel_id, sku_id),
            FOREIGN KEY (tenant_id, product_id, channel_id)
                REFERENCES channel_listings (tenant_id, product_id, channel_id) ON DELETE CASCADE,
            FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id)
        )""")
    op.execute(
        "CREATE INDEX channel_prices_listing ON channel_prices (tenant_id, product_id, channel_id)"
    )
    op.execute(f"""
        CREATE TABLE membership_tier_sets (
            {TENANT},
            version integer NOT NULL DEFAULT 1,
            PRIMARY KEY (tenant_id)
        )""")
    op.execute(f"""
        CREATE TABLE membership_tiers (
            {TENANT},
            code text NOT NULL,
            name text NOT NULL,
            position integer NOT NULL,
            PRIMARY KEY (tenant_id, code)
        )""")
    op.execute(f"""
        CREATE TABLE member_prices (
            {TENANT},
            id uuid NOT NULL,
            sku_id uuid NOT NULL,
            tier text NOT NULL,
            amount numeric(14, 2) NOT NULL CHECK (amount >= 0),
            version integer NOT NULL DEFAULT 1,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id),
            CONSTRAINT member_prices_sku_tier_key UNIQUE (tenant_id, sku_id, tier),
            FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id),
            CONSTRAINT member_prices_tier_fkey FOREIGN KEY (tenant_id, tier)
                REFERENCES membership_tiers (tenant_id, code)
        )""")
    op.execute(f"""
        CREATE TABLE promotions (
            {TENANT},
            id uuid NOT NULL,
            sku_id uuid NOT NULL,
            channel_id uuid,
            amount numeric(14, 2) NOT NULL CHECK (amount >= 0),
            starts_at timestamptz NOT NULL,
            ends_at timestamptz,
            version integer NOT NULL DEFAULT 1,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id),
            FOREIGN KEY (tenant_id, sku_id) REFERENCES skus (tenant_id, id),
            FOREIGN KEY (tenant_id, channel_id) REFERENCES sales_channels (tenant_id, id),
            CHECK (ends_at IS NULL OR ends_at > starts_at)
        )""")
    op.execute("CREATE INDEX promotions_sku ON promotions (tenant_id, sku_id, starts_at)")

    for table in TABLES:
        tenant_table(table)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.execute(f"DROP TABLE {table}")
