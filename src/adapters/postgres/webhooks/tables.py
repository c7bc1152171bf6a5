"""Webhook tables (migrations 0002 and 0003, CHN-3): endpoints, deliveries with their
short claim (lease) and replay series, and every attempt."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Index,
    Integer,
    LargeBinary,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from adapters.postgres.shared.tables import (
    flag,
    one_of,
    stamps,
    tenant_reference,
    tenant_table,
    timestamp,
    version,
)

webhook_endpoints = tenant_table(
    "webhook_endpoints",
    Column("id", Uuid, nullable=False),
    Column("url", Text, nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("event_types", ARRAY(Text), nullable=False),
    Column("secret_enc", LargeBinary, nullable=False),
    flag("active", True),
    version(),
    *stamps(),
)

webhook_deliveries = tenant_table(
    "webhook_deliveries",
    Column("id", Uuid, nullable=False),
    Column("endpoint_id", Uuid, nullable=False),
    Column("event_id", Uuid, nullable=False),
    Column("event_type", Text, nullable=False),
    Column("payload", JSONB, nullable=False),
    Column("status", Text, nullable=False, server_default="pending"),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    timestamp("next_attempt_at", nullable=True),
    Column("last_status_code", Integer),
    Column("last_error", Text),
    *stamps(),
    timestamp("succeeded_at", nullable=True),
    Column("series", Integer, nullable=False, server_default=text("1")),
    Column("lease_token", Uuid),
    timestamp("lease_expires_at", nullable=True),
    UniqueConstraint(
        "tenant_id",
        "endpoint_id",
        "event_id",
        name="webhook_deliveries_tenant_id_endpoint_id_event_id_key",
    ),
    tenant_reference("webhook_deliveries", "endpoint_id", "webhook_endpoints", ondelete="CASCADE"),
    one_of("webhook_deliveries", "status", ("pending", "succeeded", "dead")),
    Index(
        "webhook_deliveries_due",
        "next_attempt_at",
        postgresql_where=text("status = 'pending'"),
    ),
)

# Listing newest first: by status, all deliveries, or one endpoint's.
_deliveries = webhook_deliveries.c
Index(
    "webhook_deliveries_status",
    _deliveries.tenant_id,
    _deliveries.status,
    _deliveries.created_at.desc(),
    _deliveries.id.desc(),
)
Index(
    "webhook_deliveries_newest",
    _deliveries.tenant_id,
    _deliveries.created_at.desc(),
    _deliveries.id.desc(),
)
Index(
    "webhook_deliveries_endpoint",
    _deliveries.tenant_id,
    _deliveries.endpoint_id,
    _deliveries.created_at.desc(),
    _deliveries.id.desc(),
)

webhook_attempts = tenant_table(
    "webhook_attempts",
    Column("id", Uuid, nullable=False),
    Column("delivery_id", Uuid, nullable=False),
    timestamp("attempted_at"),
    Column("status_code", Integer),
    Column("error", Text),
    Column("duration_ms", Integer, nullable=False),
    Column("succeeded", Boolean, nullable=False),
    Column("series", Integer, nullable=False, server_default=text("1")),
    Column("attempt", Integer, nullable=False, server_default=text("1")),
    tenant_reference("webhook_attempts", "delivery_id", "webhook_deliveries", ondelete="CASCADE"),
    Index("webhook_attempts_delivery", "tenant_id", "delivery_id", "attempted_at"),
    # One success per delivery and replay series: a constraint, not a hope (0003).
    Index(
        "webhook_attempts_one_success",
        "tenant_id",
        "delivery_id",
        "series",
        unique=True,
        postgresql_where=text("succeeded"),
    ),
)
