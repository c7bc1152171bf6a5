"""Inventory tables (migration 0011; INV-1, INV-2, INV-6, CHN-1/CHN-2 stock side).

``stock_levels`` holds each figure of a SKU × warehouse (× batch); ``stock_ledger`` every
movement's deltas on those figures (append-only: the request role may not update or
delete it). SKUs and sales channels are the catalog's: referenced by foreign key, by name,
without importing the catalog's code (decisions.md, section 29).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Identity,
    Index,
    Integer,
    Numeric,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)

from adapters.postgres.shared.tables import (
    CLOCK,
    NOW,
    at_least,
    one_of,
    tenant_reference,
    tenant_table,
    timestamp,
    version,
)
from domain.inventory.stock import FIGURES, MovementKind

UNIT_COST = Numeric(20, 6)  # unit costs keep six places; totals are rounded to the fen
MONEY = Numeric(20, 2)


def _quantity(name: str) -> Column[int]:
    return Column(name, BigInteger, nullable=False, server_default=text("0"))


warehouses = tenant_table(
    "warehouses",
    Column("id", Uuid, nullable=False),
    Column("code", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("region", Text),
    Column("priority", Integer, nullable=False, server_default=text("100")),
    timestamp("closed_at", nullable=True),
    version(),
    timestamp("created_at"),
    timestamp("updated_at"),
    UniqueConstraint("tenant_id", "code", name="warehouses_tenant_id_code_key"),
    one_of("warehouses", "kind", ("own", "third_party", "returns", "defective", "virtual")),
)

warehouse_bins = tenant_table(
    "warehouse_bins",
    Column("id", Uuid, nullable=False),
    Column("warehouse_id", Uuid, nullable=False),
    Column("code", Text, nullable=False),
    Column("name", Text),
    timestamp("created_at"),
    UniqueConstraint(
        "tenant_id", "warehouse_id", "code", name="warehouse_bins_tenant_id_warehouse_id_code_key"
    ),
    tenant_reference("warehouse_bins", "warehouse_id", "warehouses"),
)

stock_levels = tenant_table(
    "stock_levels",
    Column("id", Uuid, nullable=False, server_default=text("gen_random_uuid()")),
    Column("sku_id", Uuid, nullable=False),
    Column("warehouse_id", Uuid, nullable=False),
    Column("batch_id", Uuid),
    *(_quantity(figure) for figure in FIGURES),
    timestamp("updated_at", default=NOW),
    *(at_least("stock_levels", figure, 0) for figure in FIGURES),
    # Never oversold: whatever the application does, the database refuses it.
    CheckConstraint("on_hand - reserved - pick_locked >= 0", name="stock_levels_available_check"),
    UniqueConstraint(
        "tenant_id",
        "sku_id",
        "warehouse_id",
        "batch_id",
        name="stock_levels_key",
        postgresql_nulls_not_distinct=True,
    ),
    tenant_reference("stock_levels", "sku_id", "skus"),
    tenant_reference("stock_levels", "warehouse_id", "warehouses"),
    Index("stock_levels_warehouse", "tenant_id", "warehouse_id"),
)

stock_ledger = tenant_table(
    "stock_ledger",
    Column("seq", BigInteger, Identity(always=True), nullable=False),
    Column("sku_id", Uuid, nullable=False),
    Column("warehouse_id", Uuid, nullable=False),
    Column("batch_id", Uuid),
    Column("bin_id", Uuid),
    Column("kind", Text, nullable=False),
    *(_quantity(f"d_{figure}") for figure in FIGURES),
    Column("unit_cost", UNIT_COST),
    Column("cost_amount", MONEY),  # the value moved, as posted (INV-7; migration 0012)
    timestamp("effective_at", default=CLOCK),  # when it counts for valuation
    Column("source_type", Text, nullable=False),
    Column("source_id", Uuid),
    Column("actor", Text, nullable=False),
    Column("reason", Text),
    timestamp("occurred_at", default=CLOCK),
    one_of("stock_ledger", "kind", tuple(kind.value for kind in MovementKind)),
    tenant_reference("stock_ledger", "sku_id", "skus"),
    tenant_reference("stock_ledger", "warehouse_id", "warehouses"),
    Index("stock_ledger_sku", "tenant_id", "sku_id", "warehouse_id", "seq"),
    Index("stock_ledger_warehouse", "tenant_id", "warehouse_id", "seq"),
    Index(
        "stock_ledger_valued",
        "tenant_id",
        "effective_at",
        postgresql_include=["sku_id", "warehouse_id", "d_on_hand", "d_non_sellable", "cost_amount"],
        postgresql_where=text("cost_amount IS NOT NULL"),
    ),
    Index(
        "stock_ledger_valued_level",
        "tenant_id",
        "sku_id",
        "warehouse_id",
        "effective_at",
        "seq",
        postgresql_where=text("cost_amount IS NOT NULL"),
    ),
    key=("seq",),
)

reservations = tenant_table(
    "reservations",
    Column("id", Uuid, nullable=False),
    Column("channel_id", Uuid),
    Column("source_type", Text, nullable=False),
    Column("source_id", Uuid),
    Column("status", Text, nullable=False),
    timestamp("expires_at", nullable=True),
    version(),
    Column("created_by", Text, nullable=False),
    timestamp("created_at"),
    timestamp("updated_at"),
    one_of("reservations", "status", ("active", "picking", "released", "expired", "committed")),
    tenant_reference("reservations", "channel_id", "sales_channels"),
    Index(
        "reservations_expiry",
        "expires_at",
        postgresql_where=text("status = 'active' AND expires_at IS NOT NULL"),
    ),
    Index("reservations_source", "tenant_id", "source_type", "source_id"),
)

reservation_lines = tenant_table(
    "reservation_lines",
    Column("reservation_id", Uuid, nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("sku_id", Uuid, nullable=False),
    Column("warehouse_id", Uuid, nullable=False),
    Column("quantity", BigInteger, nullable=False),
    at_least("reservation_lines", "quantity", 0, strict=True),
    tenant_reference("reservation_lines", "reservation_id", "reservations"),
    tenant_reference("reservation_lines", "sku_id", "skus"),
    tenant_reference("reservation_lines", "warehouse_id", "warehouses"),
    key=("reservation_id", "line_no"),
)

channel_supply = tenant_table(
    "channel_supply",
    Column("channel_id", Uuid, nullable=False),
    Column("strategy", Text, nullable=False),
    Column("safety_stock", BigInteger, nullable=False, server_default=text("0")),
    Column("share_kind", Text, nullable=False),
    Column("share_value", Numeric(12, 2), nullable=False),
    version(),
    timestamp("updated_at"),
    one_of("channel_supply", "strategy", ("priority", "most_available", "region")),
    at_least("channel_supply", "safety_stock", 0),
    one_of("channel_supply", "share_kind", ("percent", "cap")),
    at_least("channel_supply", "share_value", 0),
    tenant_reference("channel_supply", "channel_id", "sales_channels"),
    key=("channel_id",),
)

channel_supply_warehouses = tenant_table(
    "channel_supply_warehouses",
    Column("channel_id", Uuid, nullable=False),
    Column("warehouse_id", Uuid, nullable=False),
    Column("position", Integer, nullable=False),
    tenant_reference(
        "channel_supply_warehouses",
        "channel_id",
        "channel_supply",
        "channel_id",
        ondelete="CASCADE",
    ),
    tenant_reference("channel_supply_warehouses", "warehouse_id", "warehouses"),
    key=("channel_id", "warehouse_id"),
)

# The number last announced per channel × SKU: a change is announced once, when it changes.
channel_availability = tenant_table(
    "channel_availability",
    Column("channel_id", Uuid, nullable=False),
    Column("sku_id", Uuid, nullable=False),
    Column("quantity", BigInteger, nullable=False),
    timestamp("updated_at", default=NOW),
    tenant_reference("channel_availability", "channel_id", "sales_channels"),
    tenant_reference("channel_availability", "sku_id", "skus"),
    key=("channel_id", "sku_id"),
)


# Costing (migration 0012; INV-7).
costing_settings = tenant_table(
    "costing_settings",
    Column("method", Text, nullable=False),
    version(),
    timestamp("updated_at"),
    one_of("costing_settings", "method", ("fifo", "moving_average")),
    key=(),
)

cost_positions = tenant_table(
    "cost_positions",
    Column("sku_id", Uuid, nullable=False),
    Column("warehouse_id", Uuid, nullable=False),
    Column("quantity", BigInteger, nullable=False, server_default=text("0")),
    Column("value", MONEY, nullable=False, server_default=text("0")),
    Column("last_unit_cost", UNIT_COST, nullable=False, server_default=text("0")),
    timestamp("updated_at", default=NOW),
    at_least("cost_positions", "quantity", 0),
    tenant_reference("cost_positions", "sku_id", "skus"),
    tenant_reference("cost_positions", "warehouse_id", "warehouses"),
    key=("sku_id", "warehouse_id"),
)

cost_layers = tenant_table(
    "cost_layers",
    Column("sku_id", Uuid, nullable=False),
    Column("warehouse_id", Uuid, nullable=False),
    Column("seq", BigInteger, nullable=False),
    timestamp("effective_at"),
    Column("quantity", BigInteger, nullable=False),
    Column("taken", BigInteger, nullable=False, server_default=text("0")),
    Column("value", MONEY, nullable=False),
    at_least("cost_layers", "quantity", 0, strict=True),
    CheckConstraint("taken >= 0 AND taken < quantity", name="cost_layers_check"),
    tenant_reference(
        "cost_layers",
        ("sku_id", "warehouse_id"),
        "cost_positions",
        ("sku_id", "warehouse_id"),
    ),
    key=("sku_id", "warehouse_id", "seq"),
)

cost_revaluations = tenant_table(
    "cost_revaluations",
    Column("id", BigInteger, Identity(always=True), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("sku_id", Uuid, nullable=False),
    Column("warehouse_id", Uuid, nullable=False),
    timestamp("effective_at"),
    Column("delta", MONEY, nullable=False),
    Column("job_id", Uuid),
    timestamp("recorded_at", default=NOW),
    tenant_reference("cost_revaluations", "seq", "stock_ledger", "seq"),
    Index("cost_revaluations_level", "tenant_id", "sku_id", "warehouse_id", "seq"),
    Index("cost_revaluations_effective", "tenant_id", "effective_at"),
)

stock_closings = tenant_table(
    "stock_closings",
    timestamp("closes_at"),
    timestamp("closed_at", default=NOW),
    key=("closes_at",),
)

stock_value_closings = tenant_table(
    "stock_value_closings",
    timestamp("closes_at"),
    Column("sku_id", Uuid, nullable=False),
    Column("warehouse_id", Uuid, nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("value", MONEY, nullable=False),
    tenant_reference("stock_value_closings", "closes_at", "stock_closings", "closes_at"),
    key=("closes_at", "sku_id", "warehouse_id"),
)
