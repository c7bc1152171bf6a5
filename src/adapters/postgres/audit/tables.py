"""Audit tables (migrations 0001, 0002 and 0005, PLT-3): each tenant's append-only audit
log, the chain of digests that seals it with the seal of each row, and the operator audit
(global: what support staff did, outliving the tenants they acted on)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Index,
    LargeBinary,
    PrimaryKeyConstraint,
    Table,
    Text,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, INET, JSONB

from adapters.postgres.metadata import metadata
from adapters.postgres.platform.tables import (
    CLOCK,
    EMPTY_OBJECT,
    NOW,
    tenant_column,
    tenant_reference,
    timestamp,
)

audit_log = Table(
    "audit_log",
    metadata,
    tenant_column("audit_log"),
    Column("id", Uuid, nullable=False),
    timestamp("occurred_at", default=CLOCK),
    Column("actor", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("entity_type", Text, nullable=False),
    Column("entity_id", Uuid),
    Column("outcome", Text, nullable=False),
    Column("changes", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("detail", JSONB, nullable=False, server_default=EMPTY_OBJECT),
    Column("request_id", Text, nullable=False, server_default=""),
    Column("ip", INET),
    PrimaryKeyConstraint("tenant_id", "id", name="audit_log_pkey"),
    CheckConstraint("outcome IN ('success', 'denied', 'failed')", name="audit_log_outcome_check"),
    Index("audit_log_entity", "tenant_id", "entity_type", "entity_id"),
)
Index(
    "audit_log_time",
    audit_log.c.tenant_id,
    audit_log.c.occurred_at.desc(),
    audit_log.c.id.desc(),
)
Index("audit_log_actor", audit_log.c.tenant_id, audit_log.c.actor, audit_log.c.occurred_at.desc())

# Each digest hashes the previous digest and the rows it names, in order (row_hashes
# beside row_ids, so verification names the exact row that changed).
audit_digests = Table(
    "audit_digests",
    metadata,
    tenant_column("audit_digests"),
    Column("seq", BigInteger, nullable=False),
    Column("previous_digest", LargeBinary),
    Column("digest", LargeBinary, nullable=False),
    Column("row_ids", ARRAY(Uuid), nullable=False),
    timestamp("first_occurred_at", nullable=True),
    timestamp("last_occurred_at", nullable=True),
    timestamp("created_at", default=CLOCK),
    Column("row_hashes", ARRAY(LargeBinary), nullable=False),
    PrimaryKeyConstraint("tenant_id", "seq", name="audit_digests_pkey"),
    CheckConstraint(
        "cardinality(row_ids) = cardinality(row_hashes)", name="audit_digests_rows_pair"
    ),
)

# Which digest covers each audit row: the primary key makes "exactly one" a constraint.
audit_seals = Table(
    "audit_seals",
    metadata,
    tenant_column("audit_seals"),
    Column("audit_id", Uuid, nullable=False),
    Column("digest_seq", BigInteger, nullable=False),
    PrimaryKeyConstraint("tenant_id", "audit_id", name="audit_seals_pkey"),
    tenant_reference("audit_seals", "digest_seq", "audit_digests", "seq"),
)

operator_audit_log = Table(
    "operator_audit_log",
    metadata,
    Column("id", Uuid, nullable=False),
    timestamp("occurred_at", default=NOW),
    Column("operator", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("tenant_id", Uuid),
    Column("reason", Text, nullable=False, server_default=""),
    Column("detail", JSONB, nullable=False, server_default=EMPTY_OBJECT),
    PrimaryKeyConstraint("id", name="operator_audit_log_pkey"),
)
