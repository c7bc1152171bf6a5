"""Fulfilment tables (migration 0023; LOG-1): waves, shipments, the tenant's settings.

A wave's and a shipment's lines are JSONB on their row: they are read and written with it,
never queried apart. Warehouses, orders and channels are other modules': referenced by
foreign key, by name (decisions.md, section 29). One shipment before dispatch at a
time per order (a partial unique index): an order is never in two open parcels at once.
A shipment the channel has not been told of keeps its failed attempts and next try
(migration 0026), found across tenants by a partial index.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, Numeric, Text, UniqueConstraint, Uuid, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from adapters.postgres.shared.tables import (
    at_least,
    flag,
    one_of,
    stamps,
    tenant_reference,
    tenant_table,
    timestamp,
    version,
)
from domain.fulfilment.shipment import ShipmentStatus
from domain.fulfilment.wave import WaveStatus

waves = tenant_table(
    "waves",
    Column("id", Uuid, nullable=False),
    Column("number", Text, nullable=False),
    Column("warehouse_id", Uuid, nullable=False),
    Column("carrier_code", Text, nullable=False),
    flag("single_sku", False),
    Column("status", Text, nullable=False),
    Column("lines", JSONB, nullable=False),
    Column("order_ids", ARRAY(Uuid), nullable=False),
    version(),
    *stamps(),
    Column("zone", Text),
    UniqueConstraint("tenant_id", "number", name="waves_tenant_id_number_key"),
    one_of("waves", "status", tuple(s.value for s in WaveStatus)),
    tenant_reference("waves", "warehouse_id", "warehouses"),
)

shipments = tenant_table(
    "shipments",
    Column("id", Uuid, nullable=False),
    Column("wave_id", Uuid, nullable=False),
    Column("order_id", Uuid, nullable=False),
    Column("order_number", Text, nullable=False),
    Column("channel_id", Uuid),
    Column("warehouse_id", Uuid, nullable=False),
    Column("carrier_code", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("lines", JSONB, nullable=False),
    Column("reservation_ids", ARRAY(Uuid), nullable=False),
    Column("weight_grams", Integer),
    flag("weight_flagged", False),
    Column("packages", Integer, nullable=False, server_default=text("1")),
    Column("tracking_no", Text),
    Column("sorting_code", Text),
    Column("route", Text),
    Column("cost_estimate", Numeric(20, 2)),
    timestamp("shipped_at", nullable=True),
    Column("channel_reported", Boolean),
    Column("report_attempts", Integer, nullable=False, server_default=text("0")),
    timestamp("next_report_at", nullable=True),
    version(),
    *stamps(),
    one_of("shipments", "status", tuple(s.value for s in ShipmentStatus)),
    at_least("shipments", "packages", 1),
    tenant_reference("shipments", "wave_id", "waves"),
    tenant_reference("shipments", "order_id", "orders"),
    tenant_reference("shipments", "warehouse_id", "warehouses"),
    Index("shipments_wave", "tenant_id", "wave_id"),
    Index(  # the report sweep's (migration 0026)
        "shipments_report_due",
        "next_report_at",
        postgresql_where=text("channel_reported IS FALSE AND next_report_at IS NOT NULL"),
    ),
    Index(
        "shipments_open_order",
        "tenant_id",
        "order_id",
        unique=True,
        postgresql_where=text("status IN ('picking', 'verified', 'weighed', 'booked')"),
    ),
)

fulfilment_settings = tenant_table(
    "fulfilment_settings",
    Column("weight_tolerance_percent", Numeric(5, 2), nullable=False),
    version(),
    timestamp("updated_at"),
    key=(),
)
