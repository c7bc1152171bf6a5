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
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from adapters.postgres.shared.metadata import metadata

EMPTY_OBJECT = text("'{}'::jsonb")
MONEY = Numeric(14, 2)


def _tenant(table: str) -> Column[object]:
    return Column(
        "tenant_id",
        Uuid,
        ForeignKey("tenants.id", ondelete="CASCADE", name=f"{table}_tenant_id_fkey"),
        nullable=False,
    )


def _references(
    table: str,
    columns: list[str],
    target: str,
    target_columns: list[str],
    ondelete: str | None = None,
) -> ForeignKeyConstraint:
    """A foreign key led by ``tenant_id`` on both sides, named as Postgres names it."""
    keys = ["tenant_id", *columns]
    return ForeignKeyConstraint(
        keys,
        [f"{target}.{c}" for c in ["tenant_id", *target_columns]],
        name=f"{table}_{'_'.join(keys)}_fkey",
        ondelete=ondelete,
    )


def _one_of(table: str, column: str, values: tuple[str, ...]) -> CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({listed})", name=f"{table}_{column}_check")


def _at_least(table: str, column: str, bound: int, *, strict: bool = False) -> CheckConstraint:
    return CheckConstraint(f"{column} {'>' if strict else '>='} {bound}", f"{table}_{column}_check")


def _version() -> Column[int]:
    return Column("version", Integer, nullable=False, server_default=text("1"))


def _flag(name: str, default: bool) -> Column[bool]:
    return Column(name, Boolean, nullable=False, server_default=text(str(default).lower()))


def _stamps() -> tuple[Column[object], Column[object]]:
    return (
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    )


# ---- 0006: types, categories, brands, products ---------------------------------------

product_types = Table(
    "product_types",
    metadata,
    _tenant("product_types"),
    Column("id", Uuid, nullable=False),
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False),
    _version(),
    *_stamps(),
    PrimaryKeyConstraint("tenant_id", "id", name="product_types_pkey"),
    UniqueConstraint("tenant_id", "name_key", name="product_types_name_key"),
)

product_type_attributes = Table(
    "product_type_attributes",
    metadata,
    _tenant("product_type_attributes"),
    Column("product_type_id", Uuid, nullable=False),
    Column("code", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("unit", Text),
    Column("allowed_values", ARRAY(Text), nullable=False, server_default=text("'{}'::text[]")),
    _flag("variant_axis", False),
    _flag("required", False),
    Column("position", Integer, nullable=False),
    PrimaryKeyConstraint(
        "tenant_id", "product_type_id", "code", name="product_type_attributes_pkey"
    ),
    _references(
        "product_type_attributes",
        ["product_type_id"],
        "product_types",
        ["id"],
        ondelete="CASCADE",
    ),
    _one_of("product_type_attributes", "kind", ("text", "number", "enum", "boolean")),
)

categories = Table(
    "categories",
    metadata,
    _tenant("categories"),
    Column("id", Uuid, nullable=False),
    Column("parent_id", Uuid),
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False),
    _version(),
    *_stamps(),
    PrimaryKeyConstraint("tenant_id", "id", name="categories_pkey"),
    _references("categories", ["parent_id"], "categories", ["id"]),
    UniqueConstraint(
        "tenant_id",
        "parent_id",
        "name_key",
        name="categories_sibling_name",
        postgresql_nulls_not_distinct=True,
    ),
)

category_closure = Table(
    "category_closure",
    metadata,
    _tenant("category_closure"),
    Column("ancestor_id", Uuid, nullable=False),
    Column("descendant_id", Uuid, nullable=False),
    Column("depth", Integer, nullable=False),
    PrimaryKeyConstraint("tenant_id", "ancestor_id", "descendant_id", name="category_closure_pkey"),
    _references("category_closure", ["ancestor_id"], "categories", ["id"], ondelete="CASCADE"),
    _references("category_closure", ["descendant_id"], "categories", ["id"], ondelete="CASCADE"),
    _at_least("category_closure", "depth", 0),
    Index("category_closure_descendant", "tenant_id", "descendant_id", "depth"),
)

brands = Table(
    "brands",
    metadata,
    _tenant("brands"),
    Column("id", Uuid, nullable=False),
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False),
    Column("logo_file_id", Uuid),
    _version(),
    *_stamps(),
    # 0008: a logo's description
    Column("logo_content_type", Text),
    Column("logo_byte_size", BigInteger),
    Column("logo_sha256", Text),
    Column("logo_width", Integer),
    Column("logo_height", Integer),
    PrimaryKeyConstraint("tenant_id", "id", name="brands_pkey"),
    UniqueConstraint("tenant_id", "name_key", name="brands_name_key"),
    CheckConstraint(
        "(logo_file_id IS NULL) = (logo_content_type IS NULL)"
        " AND (logo_file_id IS NULL) = (logo_sha256 IS NULL)",
        name="brands_logo_complete",
    ),
)

products = Table(
    "products",
    metadata,
    _tenant("products"),
    Column("id", Uuid, nullable=False),
    Column("code", Text, nullable=False),
    Column("code_key", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("description", Text),
    Column("material", Text),
    Column("kind", Text, nullable=False),
    _flag("preorder_allowed", False),
    _flag("sell_out_of_stock_allowed", False),
    Column("product_type_id", Uuid),
    Column("category_id", Uuid),
    Column("brand_id", Uuid),
    Column("attributes", JSONB, nullable=False, server_default=EMPTY_OBJECT),
    Column("lifecycle", Text, nullable=False),
    Column("archived_at", DateTime(timezone=True)),
    _version(),
    *_stamps(),
    PrimaryKeyConstraint("tenant_id", "id", name="products_pkey"),
    UniqueConstraint("tenant_id", "code_key", name="products_code_key"),
    _references("products", ["product_type_id"], "product_types", ["id"]),
    _references("products", ["category_id"], "categories", ["id"]),
    _references("products", ["brand_id"], "brands", ["id"]),
    _one_of("products", "kind", ("physical", "virtual")),
    _one_of("products", "lifecycle", ("new", "active", "phasing_out", "discontinued")),
    Index("products_category", "tenant_id", "category_id"),
    Index("products_brand", "tenant_id", "brand_id"),
    Index("products_lifecycle", "tenant_id", "lifecycle"),
    Index("products_updated", "tenant_id", "updated_at", "id"),
)

skus = Table(
    "skus",
    metadata,
    _tenant("skus"),
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
    _flag("archived", False),
    PrimaryKeyConstraint("tenant_id", "id", name="skus_pkey"),
    UniqueConstraint("tenant_id", "code_key", name="skus_code_key"),
    UniqueConstraint("tenant_id", "barcode_key", name="skus_barcode_key"),
    _references("skus", ["product_id"], "products", ["id"]),
    CheckConstraint("(barcode IS NULL) = (barcode_key IS NULL)", name="skus_check"),
    Index("skus_product", "tenant_id", "product_id"),
)

product_versions = Table(
    "product_versions",
    metadata,
    _tenant("product_versions"),
    Column("product_id", Uuid, nullable=False),
    Column("number", Integer, nullable=False),
    Column("snapshot", JSONB, nullable=False),
    Column("changes", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("actor", Text),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("restored_from", Integer),
    PrimaryKeyConstraint("tenant_id", "product_id", "number", name="product_versions_pkey"),
    _references("product_versions", ["product_id"], "products", ["id"]),
    _at_least("product_versions", "number", 1),
)

product_search_terms = Table(
    "product_search_terms",
    metadata,
    _tenant("product_search_terms"),
    Column("term", Text, nullable=False),
    Column("product_id", Uuid, nullable=False),
    PrimaryKeyConstraint("tenant_id", "term", "product_id", name="product_search_terms_pkey"),
    _references("product_search_terms", ["product_id"], "products", ["id"], ondelete="CASCADE"),
    Index("product_search_terms_product", "tenant_id", "product_id"),
)

# ---- 0007: channels, listings, prices ------------------------------------------------

sales_channels = Table(
    "sales_channels",
    metadata,
    _tenant("sales_channels"),
    Column("id", Uuid, nullable=False),
    Column("code", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("platform", Text),
    _flag("active", True),
    _version(),
    *_stamps(),
    PrimaryKeyConstraint("tenant_id", "id", name="sales_channels_pkey"),
    UniqueConstraint("tenant_id", "code", name="sales_channels_code_key"),
    _one_of("sales_channels", "kind", ("own_shop", "marketplace", "offline_store", "social_shop")),
)

channel_listings = Table(
    "channel_listings",
    metadata,
    _tenant("channel_listings"),
    Column("product_id", Uuid, nullable=False),
    Column("channel_id", Uuid, nullable=False),
    Column("status", Text, nullable=False),
    Column("published_at", DateTime(timezone=True)),
    Column("unpublished_at", DateTime(timezone=True)),
    _version(),
    PrimaryKeyConstraint("tenant_id", "product_id", "channel_id", name="channel_listings_pkey"),
    _references("channel_listings", ["product_id"], "products", ["id"]),
    _references("channel_listings", ["channel_id"], "sales_channels", ["id"]),
    _one_of("channel_listings", "status", ("published", "unpublished")),
    Index("channel_listings_channel", "tenant_id", "channel_id", "status"),
)

channel_prices = Table(
    "channel_prices",
    metadata,
    _tenant("channel_prices"),
    Column("product_id", Uuid, nullable=False),
    Column("channel_id", Uuid, nullable=False),
    Column("sku_id", Uuid, nullable=False),
    Column("amount", MONEY, nullable=False),
    PrimaryKeyConstraint("tenant_id", "channel_id", "sku_id", name="channel_prices_pkey"),
    _references(
        "channel_prices",
        ["product_id", "channel_id"],
        "channel_listings",
        ["product_id", "channel_id"],
        ondelete="CASCADE",
    ),
    _references("channel_prices", ["sku_id"], "skus", ["id"]),
    _at_least("channel_prices", "amount", 0),
    Index("channel_prices_listing", "tenant_id", "product_id", "channel_id"),
)

membership_tier_sets = Table(
    "membership_tier_sets",
    metadata,
    _tenant("membership_tier_sets"),
    _version(),
    PrimaryKeyConstraint("tenant_id", name="membership_tier_sets_pkey"),
)

membership_tiers = Table(
    "membership_tiers",
    metadata,
    _tenant("membership_tiers"),
    Column("code", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("position", Integer, nullable=False),
    PrimaryKeyConstraint("tenant_id", "code", name="membership_tiers_pkey"),
)

member_prices = Table(
    "member_prices",
    metadata,
    _tenant("member_prices"),
    Column("id", Uuid, nullable=False),
    Column("sku_id", Uuid, nullable=False),
    Column("tier", Text, nullable=False),
    Column("amount", MONEY, nullable=False),
    _version(),
    *_stamps(),
    PrimaryKeyConstraint("tenant_id", "id", name="member_prices_pkey"),
    UniqueConstraint("tenant_id", "sku_id", "tier", name="member_prices_sku_tier_key"),
    _references("member_prices", ["sku_id"], "skus", ["id"]),
    ForeignKeyConstraint(
        ["tenant_id", "tier"],
        ["membership_tiers.tenant_id", "membership_tiers.code"],
        name="member_prices_tier_fkey",
    ),
    _at_least("member_prices", "amount", 0),
)

promotions = Table(
    "promotions",
    metadata,
    _tenant("promotions"),
    Column("id", Uuid, nullable=False),
    Column("sku_id", Uuid, nullable=False),
    Column("channel_id", Uuid),
    Column("amount", MONEY, nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True)),
    _version(),
    *_stamps(),
    PrimaryKeyConstraint("tenant_id", "id", name="promotions_pkey"),
    _references("promotions", ["sku_id"], "skus", ["id"]),
    _references("promotions", ["channel_id"], "sales_channels", ["id"]),
    _at_least("promotions", "amount", 0),
    CheckConstraint("ends_at IS NULL OR ends_at > starts_at", name="promotions_check"),
    Index("promotions_sku", "tenant_id", "sku_id", "starts_at"),
)

# ---- 0008: media and related products ------------------------------------------------

product_media = Table(
    "product_media",
    metadata,
    _tenant("product_media"),
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
    _version(),
    *_stamps(),
    PrimaryKeyConstraint("tenant_id", "id", name="product_media_pkey"),
    _references("product_media", ["product_id"], "products", ["id"]),
    # Checked at commit: a reorder passes through duplicate positions.
    UniqueConstraint(
        "tenant_id",
        "product_id",
        "position",
        name="product_media_position",
        deferrable=True,
        initially="DEFERRED",
    ),
    _one_of("product_media", "kind", ("image", "video")),
    _at_least("product_media", "byte_size", 0, strict=True),
    _at_least("product_media", "position", 0),
)

related_products = Table(
    "related_products",
    metadata,
    _tenant("related_products"),
    Column("product_id", Uuid, nullable=False),
    Column("kind", Text, nullable=False),
    Column("related_product_id", Uuid, nullable=False),
    Column("position", Integer, nullable=False),
    PrimaryKeyConstraint(
        "tenant_id", "product_id", "kind", "related_product_id", name="related_products_pkey"
    ),
    _references("related_products", ["product_id"], "products", ["id"]),
    _references("related_products", ["related_product_id"], "products", ["id"]),
    CheckConstraint("product_id <> related_product_id", name="related_products_check"),
    _one_of("related_products", "kind", ("cross_sell", "up_sell")),
    _at_least("related_products", "position", 0),
    Index("related_products_target", "tenant_id", "related_product_id"),
)

# ---- 0009: import and export files ---------------------------------------------------

catalog_imports = Table(
    "catalog_imports",
    metadata,
    _tenant("catalog_imports"),
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
    Column("errors", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    _version(),
    Column("created_by", Text, nullable=False),
    *_stamps(),
    PrimaryKeyConstraint("tenant_id", "id", name="catalog_imports_pkey"),
    _one_of("catalog_imports", "format", ("csv", "xlsx")),
    Index("catalog_imports_created", "tenant_id", "created_at"),
)

catalog_exports = Table(
    "catalog_exports",
    metadata,
    _tenant("catalog_exports"),
    Column("id", Uuid, nullable=False),
    Column("format", Text, nullable=False),
    Column("include_cost", Boolean, nullable=False),
    Column("status", Text, nullable=False),
    Column("job_id", Uuid, nullable=False),
    Column("content", LargeBinary),
    Column("products", Integer, nullable=False, server_default=text("0")),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    PrimaryKeyConstraint("tenant_id", "id", name="catalog_exports_pkey"),
    _one_of("catalog_exports", "format", ("csv", "xlsx")),
)
