"""Inventory tables (migration 0011; INV-1, INV-2, INV-6, CHN-1/CHN-2 stock side).

``stock_levels`` holds each figure of a SKU × warehouse (× batch); ``stock_ledger`` every
movement's deltas on those figures (append-only: the request role may not update or
delete it). SKUs and sales channels are the catalog's: referenced by foreign key, by name,
without importing the catalog's code (decisions.md, section 29).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Identity,
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
    CLOCK,
    EMPTY_ARRAY,
    NOW,
    at_least,
    file_import_record,
    flag,
    one_of,
    tenant_reference,
    tenant_table,
    timestamp,
    version,
)
from domain.inventory.alerts import AlertKind
from domain.inventory.count import CountKind, CountStatus
from domain.inventory.stock import FIGURES, MovementKind
from domain.inventory.transfer import TransferStatus

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
    Column("zone", Text),
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
    tenant_reference("stock_ledger", "batch_id", "stock_batches"),  # INV-8 (migration 0017)
    Index("stock_ledger_sku", "tenant_id", "sku_id", "warehouse_id", "seq"),
    Index("stock_ledger_warehouse", "tenant_id", "warehouse_id", "seq"),
    # In and out today, turnover over a period (migration 0014, INV-9, INV-10).
    Index("stock_ledger_time", "tenant_id", "occurred_at"),
    # The last issue per SKU × warehouse: slow-moving and dead stock (INV-10).
    Index(
        "stock_ledger_issues",
        "tenant_id",
        "sku_id",
        "warehouse_id",
        "occurred_at",
        postgresql_where=text("kind = 'issue'"),
    ),
    # The ledger check sums the rows of each batch (INV-8, migration 0017).
    Index(
        "stock_ledger_batches",
        "tenant_id",
        "sku_id",
        "warehouse_id",
        "batch_id",
        postgresql_include=["d_on_hand", "d_non_sellable"],
        postgresql_where=text("batch_id IS NOT NULL"),
    ),
    # Free bins (INV-9): the rows that name a bin, summed per bin.
    Index(
        "stock_ledger_bins",
        "tenant_id",
        "warehouse_id",
        "bin_id",
        postgresql_include=["d_on_hand", "d_non_sellable"],
        postgresql_where=text("bin_id IS NOT NULL"),
    ),
    # The provisional stock values: a level's latest receipt that carried a unit cost.
    Index(
        "stock_ledger_costed_receipts",
        "tenant_id",
        "sku_id",
        "warehouse_id",
        "seq",
        postgresql_where=text("kind = 'receipt' AND unit_cost IS NOT NULL"),
    ),
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

# The batches a pick lock holds (INV-8; migration 0021): chosen by the picking suggestion
# when a reservation is pick-locked, taken at its shipment, dropped at its release.
reservation_batches = tenant_table(
    "reservation_batches",
    Column("reservation_id", Uuid, nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("batch_id", Uuid, nullable=False),
    Column("sku_id", Uuid, nullable=False),
    Column("warehouse_id", Uuid, nullable=False),
    Column("quantity", BigInteger, nullable=False),
    at_least("reservation_batches", "quantity", 0, strict=True),
    tenant_reference(
        "reservation_batches",
        ("reservation_id", "line_no"),
        "reservation_lines",
        ("reservation_id", "line_no"),
    ),
    tenant_reference("reservation_batches", "batch_id", "stock_batches"),
    Index("reservation_batches_batch", "tenant_id", "sku_id", "warehouse_id", "batch_id"),
    key=("reservation_id", "line_no", "batch_id"),
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

# Stock counts (INV-4, migration 0013): a session per warehouse, a line per SKU. ``book``
# is the on-hand figure snapshotted when the line's count was entered.
count_sessions = tenant_table(
    "count_sessions",
    Column("id", Uuid, nullable=False),
    Column("warehouse_id", Uuid, nullable=False),
    Column("kind", Text, nullable=False),
    Column("sku_ids", ARRAY(Uuid), nullable=False, server_default=EMPTY_ARRAY),
    Column("bin_ids", ARRAY(Uuid), nullable=False, server_default=EMPTY_ARRAY),
    Column("note", Text),
    Column("status", Text, nullable=False),
    version(),
    Column("created_by", Text, nullable=False),
    timestamp("created_at"),
    timestamp("updated_at"),
    timestamp("started_at", nullable=True),
    Column("submitted_by", Text),
    timestamp("submitted_at", nullable=True),
    Column("posted_by", Text),
    timestamp("posted_at", nullable=True),
    one_of("count_sessions", "kind", tuple(k.value for k in CountKind)),
    one_of("count_sessions", "status", tuple(s.value for s in CountStatus)),
    tenant_reference("count_sessions", "warehouse_id", "warehouses"),
)

count_lines = tenant_table(
    "count_lines",
    Column("count_id", Uuid, nullable=False),
    Column("sku_id", Uuid, nullable=False),
    Column("counted", BigInteger),
    Column("book", BigInteger),
    Column("counted_by", Text),
    timestamp("counted_at", nullable=True),
    Column("posted", BigInteger),
    at_least("count_lines", "counted", 0),
    tenant_reference("count_lines", "count_id", "count_sessions"),
    tenant_reference("count_lines", "sku_id", "skus"),
    key=("count_id", "sku_id"),
)

# A batch-managed SKU's count line per batch (INV-4, INV-8; migration 0021).
count_batch_lines = tenant_table(
    "count_batch_lines",
    Column("count_id", Uuid, nullable=False),
    Column("sku_id", Uuid, nullable=False),
    Column("batch_id", Uuid, nullable=False),
    Column("counted", BigInteger, nullable=False),
    Column("book", BigInteger, nullable=False),
    Column("posted", BigInteger),
    at_least("count_batch_lines", "counted", 0),
    tenant_reference(
        "count_batch_lines", ("count_id", "sku_id"), "count_lines", ("count_id", "sku_id")
    ),
    tenant_reference("count_batch_lines", "batch_id", "stock_batches"),
    key=("count_id", "sku_id", "batch_id"),
)

# A serial-managed SKU's count line (INV-4 × INV-8, migration 0022): the serials in which
# the count and the books differed when it was entered (found: counted, not on the books;
# else on the books, not counted).
count_serials = tenant_table(
    "count_serials",
    Column("count_id", Uuid, nullable=False),
    Column("sku_id", Uuid, nullable=False),
    Column("serial", Text, nullable=False),
    Column("found", Boolean, nullable=False),
    tenant_reference(
        "count_serials", ("count_id", "sku_id"), "count_lines", ("count_id", "sku_id")
    ),
    key=("count_id", "sku_id", "serial"),
)

# Transfers (INV-5, migration 0013).
transfers = tenant_table(
    "transfers",
    Column("id", Uuid, nullable=False),
    Column("source_id", Uuid, nullable=False),
    Column("destination_id", Uuid, nullable=False),
    Column("status", Text, nullable=False),
    Column("note", Text),
    version(),
    Column("created_by", Text, nullable=False),
    timestamp("created_at"),
    timestamp("updated_at"),
    Column("shipped_by", Text),
    timestamp("shipped_at", nullable=True),
    one_of("transfers", "status", tuple(s.value for s in TransferStatus)),
    CheckConstraint("source_id <> destination_id", name="transfers_check"),
    tenant_reference("transfers", "source_id", "warehouses"),
    tenant_reference("transfers", "destination_id", "warehouses"),
)

transfer_lines = tenant_table(
    "transfer_lines",
    Column("transfer_id", Uuid, nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("sku_id", Uuid, nullable=False),
    Column("quantity", BigInteger, nullable=False),
    _quantity("received"),
    _quantity("damaged"),
    _quantity("short"),
    Column("unit_cost", UNIT_COST),
    at_least("transfer_lines", "quantity", 0, strict=True),
    at_least("transfer_lines", "received", 0),
    at_least("transfer_lines", "damaged", 0),
    at_least("transfer_lines", "short", 0),
    CheckConstraint("received + damaged + short <= quantity", name="transfer_lines_check"),
    tenant_reference("transfer_lines", "transfer_id", "transfers"),
    tenant_reference("transfer_lines", "sku_id", "skus"),
    key=("transfer_id", "line_no"),
)

# A receipt document: its lines (line_no, received, damaged, short) as a JSON list.
transfer_receipts = tenant_table(
    "transfer_receipts",
    Column("id", Uuid, nullable=False),
    Column("transfer_id", Uuid, nullable=False),
    Column("lines", JSONB, nullable=False),
    Column("note", Text),
    Column("received_by", Text, nullable=False),
    timestamp("received_at"),
    tenant_reference("transfer_receipts", "transfer_id", "transfers"),
    Index("transfer_receipts_transfer", "tenant_id", "transfer_id"),
)


# ---- thresholds and alerts (migration 0014, INV-3) ---------------------------------------
def _threshold(name: str) -> Column[int]:
    return Column(name, BigInteger)


stock_thresholds = tenant_table(
    "stock_thresholds",
    Column("sku_id", Uuid, nullable=False),
    Column("warehouse_id", Uuid, nullable=False),
    _threshold("low"),
    _threshold("high"),
    version(),
    timestamp("updated_at"),
    at_least("stock_thresholds", "low", 0),
    at_least("stock_thresholds", "high", 0),
    tenant_reference("stock_thresholds", "sku_id", "skus"),
    tenant_reference("stock_thresholds", "warehouse_id", "warehouses"),
    key=("sku_id", "warehouse_id"),
)

category_thresholds = tenant_table(
    "category_thresholds",
    Column("category_id", Uuid, nullable=False),
    _threshold("low"),
    _threshold("high"),
    version(),
    timestamp("updated_at"),
    at_least("category_thresholds", "low", 0),
    at_least("category_thresholds", "high", 0),
    tenant_reference("category_thresholds", "category_id", "categories", ondelete="CASCADE"),
    key=("category_id",),
)

stock_alerts = tenant_table(
    "stock_alerts",
    Column("id", Uuid, nullable=False),
    Column("sku_id", Uuid, nullable=False),
    Column("warehouse_id", Uuid, nullable=False),
    Column("kind", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("threshold", BigInteger, nullable=False),
    Column("quantity", BigInteger, nullable=False),
    timestamp("raised_at"),
    timestamp("resolved_at", nullable=True),
    one_of("stock_alerts", "kind", tuple(kind.value for kind in AlertKind)),
    one_of("stock_alerts", "status", ("open", "resolved")),
    tenant_reference("stock_alerts", "sku_id", "skus"),
    tenant_reference("stock_alerts", "warehouse_id", "warehouses"),
    # One open alert per SKU × warehouse × kind: a crossing raises one, whoever races.
    Index(
        "stock_alerts_open",
        "tenant_id",
        "sku_id",
        "warehouse_id",
        "kind",
        unique=True,
        postgresql_where=text("status = 'open'"),
    ),
    Index("stock_alerts_recent", "tenant_id", "raised_at", "id"),
)

alert_robots = tenant_table(
    "alert_robots",
    Column("kind", Text, nullable=False),
    Column("url_enc", LargeBinary, nullable=False),  # the URL holds the robot's key
    version(),
    timestamp("updated_at"),
    one_of("alert_robots", "kind", ("wecom", "dingtalk")),
    key=(),
)

# ---- the opening-stock import (migration 0014) -------------------------------------------
stock_imports = tenant_table(
    "stock_imports",
    Column("id", Uuid, nullable=False),
    Column("include_cost", Boolean, nullable=False),
    *file_import_record("stock_imports", ("csv", "xlsx")),
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

# Batches, expiry and serials (INV-8, migration 0017). ``stock_levels`` keeps one row per
# SKU × warehouse with every figure; a batch's physical figures are kept beside it.
PICKING_RULES = ("fefo", "fifo")

stock_settings = tenant_table(
    "stock_settings",
    Column("picking_rule", Text, nullable=False),
    Column("expiry_warning_days", Integer, nullable=False),
    version(),
    timestamp("updated_at"),
    one_of("stock_settings", "picking_rule", PICKING_RULES),
    CheckConstraint(
        "expiry_warning_days >= 0 AND expiry_warning_days <= 3650",
        name="stock_settings_expiry_warning_days_check",
    ),
    key=(),
)

sku_stock_settings = tenant_table(
    "sku_stock_settings",
    Column("sku_id", Uuid, nullable=False),
    flag("batch_managed", False),
    flag("serial_managed", False),
    Column("picking_rule", Text),
    version(),
    timestamp("updated_at"),
    one_of("sku_stock_settings", "picking_rule", PICKING_RULES),
    tenant_reference("sku_stock_settings", "sku_id", "skus"),
    key=("sku_id",),
)

stock_batches = tenant_table(
    "stock_batches",
    Column("id", Uuid, nullable=False),
    Column("sku_id", Uuid, nullable=False),
    Column("batch_no", Text, nullable=False),
    Column("production_date", Date),
    Column("expiry_date", Date),
    timestamp("created_at"),
    UniqueConstraint("tenant_id", "sku_id", "batch_no", name="stock_batches_number_key"),
    CheckConstraint("expiry_date >= production_date", name="stock_batches_dates_check"),
    tenant_reference("stock_batches", "sku_id", "skus"),
    Index(
        "stock_batches_expiry",
        "tenant_id",
        "expiry_date",
        postgresql_where=text("expiry_date IS NOT NULL"),
    ),
)

stock_batch_levels = tenant_table(
    "stock_batch_levels",
    Column("sku_id", Uuid, nullable=False),
    Column("warehouse_id", Uuid, nullable=False),
    Column("batch_id", Uuid, nullable=False),
    _quantity("on_hand"),
    _quantity("non_sellable"),
    timestamp("first_received_at", default=CLOCK),  # FIFO: when it first came in here
    timestamp("updated_at", default=NOW),
    at_least("stock_batch_levels", "on_hand", 0),
    at_least("stock_batch_levels", "non_sellable", 0),
    tenant_reference("stock_batch_levels", "batch_id", "stock_batches"),
    tenant_reference("stock_batch_levels", "warehouse_id", "warehouses"),
    key=("sku_id", "warehouse_id", "batch_id"),
)

stock_serials = tenant_table(
    "stock_serials",
    Column("sku_id", Uuid, nullable=False),
    Column("serial", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("warehouse_id", Uuid, nullable=False),
    Column("batch_id", Uuid),
    timestamp("updated_at", default=NOW),
    # in_transit (migration 0022): shipped by a transfer to the warehouse named (INV-5)
    one_of("stock_serials", "status", ("in_stock", "issued", "in_transit")),
    tenant_reference("stock_serials", "sku_id", "skus"),
    tenant_reference("stock_serials", "warehouse_id", "warehouses"),
    tenant_reference("stock_serials", "batch_id", "stock_batches"),
    key=("sku_id", "serial"),
)

# A serial's history: the ledger rows that moved it (append-only, like the ledger).
stock_serial_moves = tenant_table(
    "stock_serial_moves",
    Column("sku_id", Uuid, nullable=False),
    Column("serial", Text, nullable=False),
    Column("ledger_seq", BigInteger, nullable=False),
    tenant_reference(
        "stock_serial_moves", ("sku_id", "serial"), "stock_serials", ("sku_id", "serial")
    ),
    tenant_reference("stock_serial_moves", "ledger_seq", "stock_ledger", "seq"),
    key=("sku_id", "serial", "ledger_seq"),
)
