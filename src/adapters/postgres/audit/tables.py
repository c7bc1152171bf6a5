"""The audit module's tables (migration 0005, PLT-3): the chain of digests that seals each
tenant's audit log, with the seal of each row. The audit log itself and the operator audit
are the shared kernel's (adapters/postgres/shared/tables.py): every command writes them."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    LargeBinary,
    PrimaryKeyConstraint,
    Table,
    Uuid,
)
from sqlalchemy.dialects.postgresql import ARRAY

from adapters.postgres.shared.metadata import metadata
from adapters.postgres.shared.tables import (
    CLOCK,
    tenant_column,
    tenant_reference,
    timestamp,
)

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
