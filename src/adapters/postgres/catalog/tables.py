"""The catalog's tables, described once (migrations 0006-0009 create them; docs/catalog.md).

Every table is tenant-owned: ``tenant_id`` leads each primary, unique and foreign key; the
row-level security policies are the migrations' (``migrations/rls.py``), not described
here. Constraint names are the ones the migrations gave or Postgres derived, so
``adapters/postgres/shared/errors.py`` maps violations by name and
tests/integration/platform/test_schema_metadata.py compares all of it with the migrated
database.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from adapters.postgres.shared.tables import (
    EMPTY_LIST,
    EMPTY_OBJECT,
    at_least,
    flag,
    one_of,
    stamps,
    tenant_reference,
    tenant_table,
    timestamp,
    version,
)

MONEY = Numeric(14, 2)


# ---- 0006: types, categories, brands, products ---------------------------------------

product_types = tenant_table(
    "product_types",
    Column("id", Uuid, nullable=False),
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False),
    version(),
    *stamps(),
    UniqueConstraint("tenant_id", "name_key", name="product_types_name_key"),
)

product_type_attributes = tenant_table(
    "product_type_attributes",
    Column("product_type_id", Uuid, nullable=False),
    Column("code", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("unit", Text),
    Column("allowed_values", ARRAY(Text), nullable=False, server_default=text("'{}'::text[]")),
    flag("variant_axis", False),
    flag("required", False),
    Column("position", Integer, nullable=False),
    tenant_reference(
        "product_type_attributes", "product_type_id", "product_types", ondelete="CASCADE"
    ),
    one_of("product_type_attributes", "kind", ("text", "number", "enum", "boolean")),
    key=("product_type_id", "code"),
)

categories = tenant_table(
    "categories",
    Column("id", Uuid, nullable=False),
    Column("parent_id", Uuid),
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False),
    version(),
    *stamps(),
    tenant_reference("categories", "parent_id", "categories"),
    UniqueConstraint(
        "tenant_id",
        "parent_id",
        "name_key",
        name="categories_sibling_name",
        postgresql_nulls_not_distinct=True,
    ),
)

category_closure = tenant_table(
    "category_closure",
    Column("ancestor_id", Uuid, nullable=False),
    Column("descendant_id", Uuid, nullable=False),
    Column("depth", Integer, nullable=False),
    tenant_reference("category_closure", "ancestor_id", "categories", ondelete="CASCADE"),
    tenant_reference("category_closure", "descendant_id", "categories", ondelete="CASCADE"),
    at_least("category_closure", "depth", 0),
    Index("category_closure_descendant", "tenant_id", "descendant_id", "depth"),
    key=("ancestor_id", "descendant_id"),
)

brands = tenant_table(
    "brands",
    Column("id", Uuid, nullable=False),
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False),
    Column("logo_file_id", Uuid),
    version(),
    *stamps(),
    # 0008: a logo's description
    Column("logo_content_type", Text),
    Column("logo_byte_size", BigInteger),
    Column("logo_sha256", Text),
    Column("logo_width", Integer),
    Column("logo_height", Integer),
    UniqueConstraint("tenant_id", "name_key", name="brands_name_key"),
    CheckConstraint(
        "(logo_file_id IS NULL) = (logo_content_type IS NULL)"
        " AND (logo_file_id IS NULL) = (logo_sha256 IS NULL)",
        name="brands_logo_complete",
    ),
)

products = tenant_table(
    "products",
    Column("id", Uuid, nullable=False),
    Column("code", Text, nullable=False),
    Column("code_key", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("description", Text),
    Column("material", Text),
    Column("kind", Text, nullable=False),
    flag("preorder_allowed", False),
    flag("sell_out_of_stock_allowed", False),
    Column("product_type_id", Uuid),
    Column("category_id", Uuid),
    Column("brand_id", Uuid),
    Column("attributes", JSONB, nullable=False, server_default=EMPTY_OBJECT),
    Column("lifecycle", Text, nullable=False),
    timestamp("archived_at", nullable=True),
    version(),
    *stamps(),
    UniqueConstraint("tenant_id", "code_key", name="products_code_key"),
    tenant_reference("products", "product_type_id", "product_types"),
    tenant_reference("products", "category_id", "categories"),
    tenant_reference("products", "brand_id", "brands"),
    one_of("products", "kind", ("physical", "virtual")),
    one_of("products", "lifecycle", ("new", "active", "phasing_out", "discontinued")),
    Index("products_category", "tenant_id", "category_id"),
    Index("products_brand", "tenant_id", "brand_id"),
    Index("products_lifecycle", "tenant_id", "lifecycle"),
    Index("products_updated", "tenant_id", "updated_at", "id"),
)

skus = tenant_table(
    "skus",
    Column("id", Uuid, nullable=False),
    Column("product_id", Uuid, nullable=False),
    Column("position", Integer, nullable=False),
    Column("code", Text, nullable=False),
    Column("code_key", Text, nullable=False),
    Column("barcode", Text),
    Column("barcode_key", Text),
    Column("axis_values", JSONB, nullable=False, server_default=EMPTY_OBJECT),
    Column("list_price", MONEY),
    Column("cost", MONEY),
    Column("weight_grams", Numeric(11, 3)),
    flag("archived", False),
    UniqueConstraint("tenant_id", "code_key", name="skus_code_key"),
    UniqueConstraint("tenant_id", "barcode_key", name="skus_barcode_key"),
    tenant_reference("skus", "product_id", "products"),
    CheckConstraint("(barcode IS NULL) = (barcode_key IS NULL)", name="skus_check"),
    Index("skus_product", "tenant_id", "product_id"),
)

product_versions = tenant_table(
    "product_versions",
    Column("product_id", Uuid, nullable=False),
    Column("number", Integer, nullable=False),
    Column("snapshot", JSONB, nullable=False),
    Column("changes", JSONB, nullable=False, server_default=EMPTY_LIST),
    Column("actor", Text),
    timestamp("at"),
    Column("restored_from", Integer),
    tenant_reference("product_versions", "product_id", "products"),
    at_least("product_versions", "number", 1),
    key=("product_id", "number"),
)

product_search_terms = tenant_table(
    "product_search_terms",
    Column("term", Text, nullable=False),
    Column("product_id", Uuid, nullable=False),
    tenant_reference("product_search_terms", "product_id", "products", ondelete="CASCADE"),
    Index("product_search_terms_product", "tenant_id", "product_id"),
    key=("term", "product_id"),
)

# ---- 0007: channels, listings, prices ------------------------------------------------

sales_channels = tenant_table(
    "sales_channels",
    Column("id", Uuid, nullable=False),
    Column("code", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("platform", Text),
    flag("active", True),
    version(),
    *stamps(),
    Column("shop_group", Text),  # 0032: the channel's shop group (ORD-4), NULL: its own
    UniqueConstraint("tenant_id", "code", name="sales_channels_code_key"),
    one_of("sales_channels", "kind", ("own_shop", "marketplace", "offline_store", "social_shop")),
)

channel_listings = tenant_table(
    "channel_listings",
    Column("product_id", Uuid, nullable=False),
    Column("channel_id", Uuid, nullable=False),
    Column("status", Text, nullable=False),
    timestamp("published_at", nullable=True),
    timestamp("unpublished_at", nullable=True),
    version(),
    tenant_reference("channel_listings", "product_id", "products"),
    tenant_reference("channel_listings", "channel_id", "sales_channels"),
    one_of("channel_listings", "status", ("published", "unpublished")),
    Index("channel_listings_channel", "tenant_id", "channel_id", "status"),
    key=("product_id", "channel_id"),
)

channel_prices = tenant_table(
    "channel_prices",
    Column("product_id", Uuid, nullable=False),
    Column("channel_id", Uuid, nullable=False),
    Column("sku_id", Uuid, nullable=False),
    Column("amount", MONEY, nullable=False),
    tenant_reference(
        "channel_prices",
        ("product_id", "channel_id"),
        "channel_listings",
        ("product_id", "channel_id"),
        ondelete="CASCADE",
    ),
    tenant_reference("channel_prices", "sku_id", "skus"),
    at_least("channel_prices", "amount", 0),
    Index("channel_prices_listing", "tenant_id", "product_id", "channel_id"),
    key=("channel_id", "sku_id"),
)

membership_tier_sets = tenant_table(
    "membership_tier_sets",
    version(),
    key=(),
)

membership_tiers = tenant_table(
    "membership_tiers",
    Column("code", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("position", Integer, nullable=False),
    key=("code",),
)

member_prices = tenant_table(
    "member_prices",
    Column("id", Uuid, nullable=False),
    Column("sku_id", Uuid, nullable=False),
    Column("tier", Text, nullable=False),
    Column("amount", MONEY, nullable=False),
    version(),
    *stamps(),
    UniqueConstraint("tenant_id", "sku_id", "tier", name="member_prices_sku_tier_key"),
    tenant_reference("member_prices", "sku_id", "skus"),
    ForeignKeyConstraint(
        ["tenant_id", "tier"],
        ["membership_tiers.tenant_id", "membership_tiers.code"],
        name="member_prices_tier_fkey",
    ),
    at_least("member_prices", "amount", 0),
)

promotions = tenant_table(
    "promotions",
    Column("id", Uuid, nullable=False),
    Column("sku_id", Uuid, nullable=False),
    Column("channel_id", Uuid),
    Column("amount", MONEY, nullable=False),
    timestamp("starts_at"),
    timestamp("ends_at", nullable=True),
    version(),
    *stamps(),
    tenant_reference("promotions", "sku_id", "skus"),
    tenant_reference("promotions", "channel_id", "sales_channels"),
    at_least("promotions", "amount", 0),
    CheckConstraint("ends_at IS NULL OR ends_at > starts_at", name="promotions_check"),
    Index("promotions_sku", "tenant_id", "sku_id", "starts_at"),
)

# ---- 0008: media and related products ------------------------------------------------

product_media = tenant_table(
    "product_media",
    Column("id", Uuid, nullable=False),
    Column("product_id", Uuid, nullable=False),
    Column("file_id", Uuid, nullable=False),
    Column("kind", Text, nullable=False),
    Column("content_type", Text, nullable=False),
    Column("byte_size", BigInteger, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("width", Integer),
    Column("height", Integer),
    Column("alt_text", Text, nullable=False, server_default=text("''::text")),
    Column("position", Integer, nullable=False),
    version(),
    *stamps(),
    tenant_reference("product_media", "product_id", "products"),
    # Checked at commit: a reorder passes through duplicate positions.
    UniqueConstraint(
        "tenant_id",
        "product_id",
        "position",
        name="product_media_position",
        deferrable=True,
        initially="DEFERRED",
    ),
    one_of("product_media", "kind", ("image", "video")),
    at_least("product_media", "byte_size", 0, strict=True),
    at_least("product_media", "position", 0),
)

related_products = tenant_table(
    "related_products",
    Column("product_id", Uuid, nullable=False),
    Column("kind", Text, nullable=False),
    Column("related_product_id", Uuid, nullable=False),
    Column("position", Integer, nullable=False),
    tenant_reference("related_products", "product_id", "products"),
    tenant_reference("related_products", "related_product_id", "products"),
    CheckConstraint("product_id <> related_product_id", name="related_products_check"),
    one_of("related_products", "kind", ("cross_sell", "up_sell")),
    at_least("related_products", "position", 0),
    Index("related_products_target", "tenant_id", "related_product_id"),
    key=("product_id", "kind", "related_product_id"),
)

# ---- 0009: import and export files ---------------------------------------------------

catalog_imports = tenant_table(
    "catalog_imports",
    Column("id", Uuid, nullable=False),
    Column("file_name", Text, nullable=False),
    Column("format", Text, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("include_cost", Boolean, nullable=False),
    Column("status", Text, nullable=False),
    Column("valid_only", Boolean),
    Column("check_job_id", Uuid, nullable=False),
    Column("commit_job_id", Uuid),
    Column("counts", JSONB, nullable=False, server_default=EMPTY_OBJECT),
    Column("errors", JSONB, nullable=False, server_default=EMPTY_LIST),
    version(),
    Column("created_by", Text, nullable=False),
    *stamps(),
    flag("create_missing", False),
    Column("to_create", JSONB, nullable=False, server_default=EMPTY_OBJECT),
    one_of("catalog_imports", "format", ("csv", "xlsx")),
    Index("catalog_imports_created", "tenant_id", "created_at"),
)

catalog_exports = tenant_table(
    "catalog_exports",
    Column("id", Uuid, nullable=False),
    Column("format", Text, nullable=False),
    Column("include_cost", Boolean, nullable=False),
    Column("status", Text, nullable=False),
    Column("job_id", Uuid, nullable=False),
    Column("content", LargeBinary),
    Column("products", Integer, nullable=False, server_default=text("0")),
    Column("created_by", Text, nullable=False),
    timestamp("created_at"),
    timestamp("finished_at", nullable=True),
    one_of("catalog_exports", "format", ("csv", "xlsx")),
)
