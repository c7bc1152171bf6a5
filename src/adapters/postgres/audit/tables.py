"""The audit module's tables (migration 0005, PLT-3): the chain of digests that seals each
tenant's audit log, with the seal of each row. The audit log itself and the operator audit
are the shared kernel's (adapters/postgres/shared/tables.py): every command writes them."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    LargeBinary,
    Uuid,
)
from sqlalchemy.dialects.postgresql import ARRAY

from adapters.postgres.shared.tables import (
    CLOCK,
    tenant_reference,
    tenant_table,
    timestamp,
)

# Each digest hashes the previous digest and the rows it names, in order (row_hashes
# beside row_ids, so verification names the exact row that changed).
audit_digests = tenant_table(
    "audit_digests",
    Column("seq", BigInteger, nullable=False),
    Column("previous_digest", LargeBinary),
    Column("digest", LargeBinary, nullable=False),
    Column("row_ids", ARRAY(Uuid), nullable=False),
    timestamp("first_occurred_at", nullable=True),
    timestamp("last_occurred_at", nullable=True),
    timestamp("created_at", default=CLOCK),
    Column("row_hashes", ARRAY(LargeBinary), nullable=False),
    CheckConstraint(
        "cardinality(row_ids) = cardinality(row_hashes)", name="audit_digests_rows_pair"
    ),
    key=("seq",),
)

# Which digest covers each audit row: the primary key makes "exactly one" a constraint.
audit_seals = tenant_table(
    "audit_seals",
    Column("audit_id", Uuid, nullable=False),
    Column("digest_seq", BigInteger, nullable=False),
    tenant_reference("audit_seals", "digest_seq", "audit_digests", "seq", ondelete="CASCADE"),
    key=("audit_id",),
)
