"""Logistics tables (LOG-2, LOG-3): carriers (migration 0023); their price tables, the
waybill register with its tracking events and the carriers' event cursors, the tenant's
logistics settings, carrier statements and COD remittances (migration 0027).

A price table's rates are JSONB on its row (read and written whole). A waybill is keyed by
its shipment (fulfilment's, referenced by name: decisions.md, section 29) and unique by
carrier and tracking number; an event is kept once per waybill, status and time.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
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
    EMPTY_ARRAY,
    EMPTY_LIST,
    flag,
    one_of,
    stamps,
    tenant_reference,
    tenant_table,
    timestamp,
    version,
)

carriers = tenant_table(
    "carriers",
    Column("id", Uuid, nullable=False),
    Column("code", Text, nullable=False),
    Column("name", Text, nullable=False),
    flag("cash_on_delivery", False),
    flag("active", True),
    Column("gateway_kind", Text),
    Column("endpoint", Text),
    version(),
    *stamps(),
    UniqueConstraint("tenant_id", "code", name="carriers_tenant_id_code_key"),
)

carrier_price_tables = tenant_table(
    "carrier_price_tables",
    Column("carrier_id", Uuid, nullable=False),
    Column("rates", JSONB, nullable=False),
    version(),
    timestamp("updated_at"),
    tenant_reference("carrier_price_tables", "carrier_id", "carriers"),
    key=("carrier_id",),
)

waybills = tenant_table(
    "waybills",
    Column("shipment_id", Uuid, nullable=False),
    Column("order_id", Uuid, nullable=False),
    Column("order_number", Text, nullable=False),
    Column("carrier_code", Text, nullable=False),
    Column("tracking_no", Text, nullable=False),
    Column("region", Text, nullable=False),
    Column("weight_grams", Integer, nullable=False),
    Column("cash_on_delivery", Numeric(20, 2)),
    Column("cost_estimate", Numeric(20, 2)),
    timestamp("booked_at"),
    version(),
    flag("cancelled", False),
    flag("intercepted", False),
    Column("last_status", Text),
    timestamp("last_scan_at", nullable=True),
    timestamp("delivered_at", nullable=True),
    Column("anomalies", ARRAY(Text), nullable=False, server_default=EMPTY_ARRAY),
    Column("cod_collected", Numeric(20, 2)),
    Column("cod_remittance_id", Uuid),
    UniqueConstraint(
        "tenant_id", "carrier_code", "tracking_no", name="waybills_tenant_id_carrier_code_key"
    ),
    tenant_reference("waybills", "shipment_id", "shipments"),
    tenant_reference("waybills", "order_id", "orders"),
    Index("waybills_booked", "tenant_id", "carrier_code", "booked_at"),
    Index("waybills_order", "tenant_id", "order_id"),
    key=("shipment_id",),
)

tracking_events = tenant_table(
    "tracking_events",
    Column("shipment_id", Uuid, nullable=False),
    Column("status", Text, nullable=False),
    timestamp("occurred_at"),
    Column("location", Text, nullable=False, server_default=text("''")),
    timestamp("received_at"),
    tenant_reference("tracking_events", "shipment_id", "waybills", "shipment_id"),
    key=("shipment_id", "occurred_at", "status"),
)

tracking_cursors = tenant_table(
    "tracking_cursors",
    Column("carrier_code", Text, nullable=False),
    Column("cursor", Text, nullable=False),
    key=("carrier_code",),
)

carrier_statements = tenant_table(
    "carrier_statements",
    Column("id", Uuid, nullable=False),
    Column("carrier_code", Text, nullable=False),
    Column("month", Text, nullable=False),
    Column("file_name", Text, nullable=False),
    Column("format", Text, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("job_id", Uuid, nullable=False),
    Column("status", Text, nullable=False),
    Column("lines", Integer, nullable=False, server_default=text("0")),
    Column("billed_total", Numeric(20, 2), nullable=False, server_default=text("0")),
    Column("differences", JSONB, nullable=False, server_default=EMPTY_LIST),
    Column("errors", JSONB, nullable=False, server_default=EMPTY_LIST),
    Column("created_by", Text, nullable=False),
    timestamp("created_at"),
    version(),
    one_of("carrier_statements", "format", ("csv", "xlsx")),
    one_of("carrier_statements", "status", ("reconciling", "reconciled", "failed")),
)

cod_remittances = tenant_table(
    "cod_remittances",
    Column("id", Uuid, nullable=False),
    Column("carrier_code", Text, nullable=False),
    Column("reference", Text, nullable=False),
    Column("lines", JSONB, nullable=False),
    Column("total", Numeric(20, 2), nullable=False),
    Column("matched", Integer, nullable=False),
    Column("differences", JSONB, nullable=False),
    Column("created_by", Text, nullable=False),
    timestamp("created_at"),
    UniqueConstraint(
        "tenant_id", "carrier_code", "reference", name="cod_remittances_tenant_id_carrier_code_key"
    ),
)

logistics_settings = tenant_table(
    "logistics_settings",
    Column("stall_hours", Integer, nullable=False),
    Column("bill_tolerance_percent", Numeric(5, 2), nullable=False),
    version(),
    timestamp("updated_at"),
    key=(),
)
