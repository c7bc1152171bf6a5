"""Identity and access tables (migration 0001): users, roles, role grants, sessions with
their refresh tokens, and API keys. The tenants table is the shared kernel's
(``adapters/postgres/shared/tables.py``)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Index,
    LargeBinary,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.dialects.postgresql import ARRAY, INET

from adapters.postgres.shared.tables import (
    EMPTY_ARRAY,
    NOW,
    flag,
    stamps,
    tenant_reference,
    tenant_table,
    timestamp,
    version,
)

users = tenant_table(
    "users",
    Column("id", Uuid, nullable=False),
    Column("email", Text, nullable=False),
    Column("display_name", Text, nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("locale", Text, nullable=False, server_default="zh-CN"),
    flag("active", True),
    version(),
    *stamps(default=NOW),
    UniqueConstraint("tenant_id", "email", name="users_tenant_id_email_key"),
)

roles = tenant_table(
    "roles",
    Column("id", Uuid, nullable=False),
    Column("key", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("builtin", Boolean, nullable=False),
    Column("permissions", ARRAY(Text), nullable=False, server_default=EMPTY_ARRAY),
    version(),
    *stamps(default=NOW),
    UniqueConstraint("tenant_id", "key", name="roles_tenant_id_key_key"),
)

user_roles = tenant_table(
    "user_roles",
    Column("user_id", Uuid, nullable=False),
    Column("role_id", Uuid, nullable=False),
    tenant_reference("user_roles", "user_id", "users", ondelete="CASCADE"),
    tenant_reference("user_roles", "role_id", "roles", ondelete="CASCADE"),
    Index("user_roles_role", "tenant_id", "role_id"),
    key=("user_id", "role_id"),
)

auth_sessions = tenant_table(
    "auth_sessions",
    Column("id", Uuid, nullable=False),
    Column("user_id", Uuid, nullable=False),
    Column("ip", INET),
    timestamp("created_at"),
    timestamp("revoked_at", nullable=True),
    Column("revoked_reason", Text),
    tenant_reference("auth_sessions", "user_id", "users", ondelete="CASCADE"),
    Index("auth_sessions_user", "tenant_id", "user_id"),
)

refresh_tokens = tenant_table(
    "refresh_tokens",
    Column("id", Uuid, nullable=False),
    Column("session_id", Uuid, nullable=False),
    Column("token_hash", LargeBinary, nullable=False),
    timestamp("issued_at"),
    timestamp("expires_at"),
    timestamp("used_at", nullable=True),
    UniqueConstraint("tenant_id", "token_hash", name="refresh_tokens_tenant_id_token_hash_key"),
    tenant_reference("refresh_tokens", "session_id", "auth_sessions", ondelete="CASCADE"),
)

api_keys = tenant_table(
    "api_keys",
    Column("id", Uuid, nullable=False),
    Column("name", Text, nullable=False),
    Column("secret_hash", LargeBinary, nullable=False),
    Column("permissions", ARRAY(Text), nullable=False),
    Column("created_by", Text, nullable=False),
    timestamp("created_at"),
    timestamp("last_used_at", nullable=True),
    timestamp("revoked_at", nullable=True),
)
