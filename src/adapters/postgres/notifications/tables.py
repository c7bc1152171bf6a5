"""Notification tables (migrations 0002 and 0004, ORD-7, INV-3): the in-app inbox, and the
emails waiting to be sent (template and parameters, rendered when sent)."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Index,
    Integer,
    Text,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from adapters.postgres.shared.tables import (
    EMPTY_OBJECT,
    one_of,
    tenant_reference,
    tenant_table,
    timestamp,
)

inbox_messages = tenant_table(
    "inbox_messages",
    Column("id", Uuid, nullable=False),
    Column("user_id", Uuid, nullable=False),
    Column("topic", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False, server_default=""),
    Column("link", Text),
    timestamp("created_at"),
    timestamp("read_at", nullable=True),
    tenant_reference("inbox_messages", "user_id", "users", ondelete="CASCADE"),
    Index(
        "inbox_messages_unread", "tenant_id", "user_id", postgresql_where=text("read_at IS NULL")
    ),
)
Index(
    "inbox_messages_user",
    inbox_messages.c.tenant_id,
    inbox_messages.c.user_id,
    inbox_messages.c.created_at.desc(),
    inbox_messages.c.id.desc(),
)

queued_emails = tenant_table(
    "queued_emails",
    Column("id", Uuid, nullable=False),
    Column("notification_id", Uuid, nullable=False),
    Column("user_id", Uuid),  # a user, or (migration 0019) a customer
    Column("topic", Text, nullable=False),
    Column("template", Text, nullable=False),
    Column("params", JSONB, nullable=False, server_default=EMPTY_OBJECT),
    Column("link", Text),
    Column("status", Text, nullable=False, server_default="pending"),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("last_error", Text),
    timestamp("created_at"),
    timestamp("next_attempt_at"),
    timestamp("sent_at", nullable=True),
    Column("lease_token", Uuid),
    timestamp("lease_expires_at", nullable=True),
    Column("customer_id", Uuid),
    tenant_reference("queued_emails", "user_id", "users", ondelete="CASCADE"),
    tenant_reference("queued_emails", "customer_id", "customers", ondelete="CASCADE"),
    CheckConstraint(
        "(user_id IS NULL) <> (customer_id IS NULL)", name="queued_emails_recipient_check"
    ),
    one_of("queued_emails", "status", ("pending", "sent", "failed", "skipped")),
    Index("queued_emails_notification", "tenant_id", "notification_id"),
    # The sweep (platform role, every tenant) reads only pending rows, oldest due first.
    Index("queued_emails_due", "next_attempt_at", postgresql_where=text("status = 'pending'")),
    Index("queued_emails_user", "tenant_id", "user_id"),
    Index("queued_emails_customer", "tenant_id", "customer_id"),
)
