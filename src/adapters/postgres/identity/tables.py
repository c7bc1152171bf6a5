"""Identity and access tables (migration 0001): users, roles, role grants, sessions with
their refresh tokens, and API keys. The tenants table is the shared kernel's
(``adapters/postgres/shared/tables.py``)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
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
from sqlalchemy.dialects.postgresql import ARRAY, INET

from adapters.postgres.shared.metadata import metadata
from adapters.postgres.shared.tables import (
    EMPTY_ARRAY,
    NOW,
    tenant_column,
    tenant_reference,
    timestamp,
)

users = Table(
    "users",
    metadata,
    tenant_column("users"),
    Column("id", Uuid, nullable=False),
    Column("email", Text, nullable=False),
    Column("display_name", Text, nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("locale", Text, nullable=False, server_default="zh-CN"),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("version", Integer, nullable=False, server_default=text("1")),
    timestamp("created_at", default=NOW),
    timestamp("updated_at", default=NOW),
    PrimaryKeyConstraint("tenant_id", "id", name="users_pkey"),
    UniqueConstraint("tenant_id", "email", name="users_tenant_id_email_key"),
)

roles = Table(
    "roles",
    metadata,
    tenant_column("roles"),
    Column("id", Uuid, nullable=False),
    Column("key", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("builtin", Boolean, nullable=False),
    Column("permissions", ARRAY(Text), nullable=False, server_default=EMPTY_ARRAY),
    Column("version", Integer, nullable=False, server_default=text("1")),
    timestamp("created_at", default=NOW),
    timestamp("updated_at", default=NOW),
    PrimaryKeyConstraint("tenant_id", "id", name="roles_pkey"),
    UniqueConstraint("tenant_id", "key", name="roles_tenant_id_key_key"),
)

user_roles = Table(
    "user_roles",
    metadata,
    tenant_column("user_roles"),
    Column("user_id", Uuid, nullable=False),
    Column("role_id", Uuid, nullable=False),
    PrimaryKeyConstraint("tenant_id", "user_id", "role_id", name="user_roles_pkey"),
    tenant_reference("user_roles", "user_id", "users"),
    tenant_reference("user_roles", "role_id", "roles"),
    Index("user_roles_role", "tenant_id", "role_id"),
)

auth_sessions = Table(
    "auth_sessions",
    metadata,
    tenant_column("auth_sessions"),
    Column("id", Uuid, nullable=False),
    Column("user_id", Uuid, nullable=False),
    Column("ip", INET),
    timestamp("created_at"),
    timestamp("revoked_at", nullable=True),
    Column("revoked_reason", Text),
    PrimaryKeyConstraint("tenant_id", "id", name="auth_sessions_pkey"),
    tenant_reference("auth_sessions", "user_id", "users"),
    Index("auth_sessions_user", "tenant_id", "user_id"),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    tenant_column("refresh_tokens"),
    Column("id", Uuid, nullable=False),
    Column("session_id", Uuid, nullable=False),
    Column("token_hash", LargeBinary, nullable=False),
    timestamp("issued_at"),
    timestamp("expires_at"),
    timestamp("used_at", nullable=True),
    PrimaryKeyConstraint("tenant_id", "id", name="refresh_tokens_pkey"),
    UniqueConstraint("tenant_id", "token_hash", name="refresh_tokens_tenant_id_token_hash_key"),
    tenant_reference("refresh_tokens", "session_id", "auth_sessions"),
)

api_keys = Table(
    "api_keys",
    metadata,
    tenant_column("api_keys"),
    Column("id", Uuid, nullable=False),
    Column("name", Text, nullable=False),
    Column("secret_hash", LargeBinary, nullable=False),
    Column("permissions", ARRAY(Text), nullable=False),
    Column("created_by", Text, nullable=False),
    timestamp("created_at"),
    timestamp("last_used_at", nullable=True),
    timestamp("revoked_at", nullable=True),
    PrimaryKeyConstraint("tenant_id", "id", name="api_keys_pkey"),
)
