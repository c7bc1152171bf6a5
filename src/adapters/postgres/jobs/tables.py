"""The jobs table (migration 0002): long-running work with its progress and checkpoint
(re-encryption, catalog imports and exports)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Index,
    PrimaryKeyConstraint,
    Table,
    Text,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from adapters.postgres.shared.metadata import metadata
from adapters.postgres.shared.tables import EMPTY_OBJECT, tenant_column, timestamp

jobs = Table(
    "jobs",
    metadata,
    tenant_column("jobs"),
    Column("id", Uuid, nullable=False),
    Column("kind", Text, nullable=False),
    Column("status", Text, nullable=False, server_default="queued"),
    Column("done", BigInteger, nullable=False, server_default=text("0")),
    Column("total", BigInteger),
    Column("checkpoint", JSONB, nullable=False, server_default=EMPTY_OBJECT),
    Column("parameters", JSONB, nullable=False, server_default=EMPTY_OBJECT),
    Column("error", Text),
    Column("created_by", Text, nullable=False),
    timestamp("created_at"),
    timestamp("updated_at"),
    timestamp("finished_at", nullable=True),
    PrimaryKeyConstraint("tenant_id", "id", name="jobs_pkey"),
    CheckConstraint(
        "status IN ('queued', 'running', 'succeeded', 'failed')", name="jobs_status_check"
    ),
)
Index("jobs_kind", jobs.c.tenant_id, jobs.c.kind, jobs.c.created_at.desc())
