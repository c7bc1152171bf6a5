"""The jobs table (migration 0002): long-running work with its progress and checkpoint
(re-encryption, catalog imports and exports)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Text,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from adapters.postgres.shared.tables import (
    EMPTY_OBJECT,
    one_of,
    stamps,
    tenant_table,
    timestamp,
)

jobs = tenant_table(
    "jobs",
    Column("id", Uuid, nullable=False),
    Column("kind", Text, nullable=False),
    Column("status", Text, nullable=False, server_default="queued"),
    Column("done", BigInteger, nullable=False, server_default=text("0")),
    Column("total", BigInteger),
    Column("checkpoint", JSONB, nullable=False, server_default=EMPTY_OBJECT),
    Column("parameters", JSONB, nullable=False, server_default=EMPTY_OBJECT),
    Column("error", Text),
    Column("created_by", Text, nullable=False),
    *stamps(),
    timestamp("finished_at", nullable=True),
    one_of("jobs", "status", ("queued", "running", "succeeded", "failed")),
)
Index("jobs_kind", jobs.c.tenant_id, jobs.c.kind, jobs.c.created_at.desc())
