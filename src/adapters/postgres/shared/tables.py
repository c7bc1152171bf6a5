"""The shared kernel's tables (migrations 0001 and 0002): the global tenants and scheduler
runs; per tenant, the wrapped data keys, stored idempotent responses, the outbox and the
workers' processed messages.

Row-level security and grants stay in the migrations (``migrations/rls.py``); these objects
describe columns, keys and indexes, under the names the migrations gave them.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import (
    CHAR,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, INET, JSONB
from sqlalchemy.schema import SchemaItem
from sqlalchemy.sql.elements import TextClause

from adapters.postgres.shared.metadata import metadata

NOW = text("now()")
# Rows written together get distinct, ordered times (now() is the transaction's start).
CLOCK = text("clock_timestamp()")
EMPTY_ARRAY = text("'{}'")
EMPTY_OBJECT = text("'{}'::jsonb")
EMPTY_LIST = text("'[]'::jsonb")


def tenant_column(table: str) -> Column[UUID]:
    """The leading ``tenant_id`` of a tenant-scoped table, as every migration writes it:
    ``tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE``."""
    return Column(
        "tenant_id",
        Uuid,
        ForeignKey("tenants.id", ondelete="CASCADE", name=f"{table}_tenant_id_fkey"),
        nullable=False,
    )


def tenant_table(name: str, *items: SchemaItem, key: tuple[str, ...] = ("id",)) -> Table:
    """A tenant-owned table: ``tenant_id`` first (:func:`tenant_column`), then ``items``,
    with the primary key ``(tenant_id, *key)`` named ``<name>_pkey`` as Postgres names it."""
    return Table(
        name,
        metadata,
        tenant_column(name),
        *items,
        PrimaryKeyConstraint("tenant_id", *key, name=f"{name}_pkey"),
    )


def tenant_reference(
    table: str,
    columns: str | tuple[str, ...],
    target: str,
    target_columns: str | tuple[str, ...] = "id",
    *,
    ondelete: str | None = None,
) -> ForeignKeyConstraint:
    """A foreign key led by ``tenant_id`` on both sides (so it never crosses tenants), under
    the name Postgres gave it (``<table>_tenant_id_<columns>_fkey``)."""
    keys = ["tenant_id", *((columns,) if isinstance(columns, str) else columns)]
    targets = [
        "tenant_id",
        *((target_columns,) if isinstance(target_columns, str) else target_columns),
    ]
    return ForeignKeyConstraint(
        keys,
        [f"{target}.{column}" for column in targets],
        name=f"{table}_{'_'.join(keys)}_fkey",
        ondelete=ondelete,
    )


def timestamp(
    name: str, *, nullable: bool = False, default: TextClause | None = None
) -> Column[datetime]:
    """A ``timestamptz`` column."""
    return Column(name, DateTime(timezone=True), nullable=nullable, server_default=default)


def stamps(default: TextClause | None = None) -> tuple[Column[datetime], Column[datetime]]:
    """``created_at`` and ``updated_at``, both required."""
    return timestamp("created_at", default=default), timestamp("updated_at", default=default)


def version() -> Column[int]:
    """The optimistic-concurrency ``version``, starting at 1."""
    return Column("version", Integer, nullable=False, server_default=text("1"))


def flag(name: str, default: bool) -> Column[bool]:
    """A required ``boolean`` with its default."""
    return Column(name, Boolean, nullable=False, server_default=text(str(default).lower()))


def one_of(table: str, column: str, values: tuple[str, ...]) -> CheckConstraint:
    """``CHECK (column IN (...))`` under the name Postgres derives."""
    listed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({listed})", name=f"{table}_{column}_check")


def file_import_record(table: str, formats: tuple[str, ...]) -> tuple[SchemaItem, ...]:
    """What a file import's record keeps beside its own columns (decision 52): the file,
    its state and report, its two jobs, version, who and when."""
    return (
        Column("file_name", Text, nullable=False),
        Column("format", Text, nullable=False),
        Column("content", LargeBinary, nullable=False),
        Column("status", Text, nullable=False),
        Column("errors", JSONB, nullable=False, server_default=EMPTY_LIST),
        Column("counts", JSONB, nullable=False, server_default=EMPTY_OBJECT),
        Column("check_job_id", Uuid, nullable=False),
        Column("commit_job_id", Uuid),
        Column("valid_only", Boolean),
        version(),
        Column("created_by", Text, nullable=False),
        *stamps(),
        one_of(table, "format", formats),
        one_of(table, "status", ("checking", "checked", "committing", "committed")),
    )


def at_least(table: str, column: str, bound: int, *, strict: bool = False) -> CheckConstraint:
    """``CHECK (column >= bound)`` (``>`` when strict) under the name Postgres derives."""
    operator = ">" if strict else ">="
    return CheckConstraint(f"{column} {operator} {bound}", name=f"{table}_{column}_check")


tenants = Table(
    "tenants",
    metadata,
    Column("id", Uuid, nullable=False),
    Column("slug", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("status", Text, nullable=False, server_default="active"),
    Column("time_zone", Text, nullable=False, server_default="Asia/Shanghai"),
    Column("currency", CHAR(3), nullable=False, server_default="CNY"),
    Column("locale", Text, nullable=False, server_default="zh-CN"),
    *stamps(default=NOW),
    PrimaryKeyConstraint("id", name="tenants_pkey"),
    UniqueConstraint("slug", name="tenants_slug_key"),
    one_of("tenants", "status", ("active", "suspended")),
)

# Wrapped data keys; the key-encryption key lives outside the database (PLT-4).
tenant_data_keys = tenant_table(
    "tenant_data_keys",
    Column("id", Integer, nullable=False),
    Column("wrapped_key", LargeBinary, nullable=False),
    timestamp("created_at", default=NOW),
    timestamp("retired_at", nullable=True),
)

idempotency_keys = tenant_table(
    "idempotency_keys",
    Column("id", Text, nullable=False),
    Column("request_hash", LargeBinary, nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("headers", JSONB, nullable=False, server_default=EMPTY_OBJECT),
    timestamp("created_at", default=NOW),
    timestamp("expires_at"),
    Index("idempotency_keys_expiry", "expires_at"),
)

outbox = tenant_table(
    "outbox",
    Column("id", Uuid, nullable=False),
    Column("event_type", Text, nullable=False),
    Column("entity_type", Text, nullable=False),
    Column("entity_id", Uuid, nullable=False),
    Column("changed_fields", ARRAY(Text), nullable=False, server_default=EMPTY_ARRAY),
    Column("data", JSONB, nullable=False, server_default=EMPTY_OBJECT),
    timestamp("occurred_at", default=CLOCK),
    Column("request_id", Text, nullable=False, server_default=""),
    timestamp("published_at", nullable=True),
    Index("outbox_unpublished", "occurred_at", postgresql_where=text("published_at IS NULL")),
)

# Actors deduplicate by message id in the same transaction as their work.
processed_messages = tenant_table(
    "processed_messages",
    Column("consumer", Text, nullable=False),
    Column("message_id", Text, nullable=False),
    timestamp("processed_at", default=NOW),
    key=("consumer", "message_id"),
)

# The scheduler's record of fired periods (global).
scheduler_runs = Table(
    "scheduler_runs",
    metadata,
    Column("job", Text, nullable=False),
    timestamp("period_start"),
    timestamp("fired_at", default=NOW),
    Column("fired_by", Text, nullable=False),
    PrimaryKeyConstraint("job", "period_start", name="scheduler_runs_pkey"),
)


# The audit trail every command writes (PLT-3): each tenant's append-only log, and the
# operator audit (global: what support staff did, outliving the tenants they acted on).
audit_log = tenant_table(
    "audit_log",
    Column("id", Uuid, nullable=False),
    timestamp("occurred_at", default=CLOCK),
    Column("actor", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("entity_type", Text, nullable=False),
    Column("entity_id", Uuid),
    Column("outcome", Text, nullable=False),
    Column("changes", JSONB, nullable=False, server_default=EMPTY_LIST),
    Column("detail", JSONB, nullable=False, server_default=EMPTY_OBJECT),
    Column("request_id", Text, nullable=False, server_default=""),
    Column("ip", INET),
    one_of("audit_log", "outcome", ("success", "denied", "failed")),
    Index("audit_log_entity", "tenant_id", "entity_type", "entity_id"),
)
Index(
    "audit_log_time",
    audit_log.c.tenant_id,
    audit_log.c.occurred_at.desc(),
    audit_log.c.id.desc(),
)
Index("audit_log_actor", audit_log.c.tenant_id, audit_log.c.actor, audit_log.c.occurred_at.desc())


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
