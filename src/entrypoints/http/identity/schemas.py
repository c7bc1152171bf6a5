"""Wire types for authentication and access administration (camelCase on the wire)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec


class LoginIn(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    tenant: str
    email: str
    password: str


class RefreshIn(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    refresh_token: str


class TokenOut(msgspec.Struct, rename="camel"):
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105 - the OAuth token type, not a secret


class MeOut(msgspec.Struct, rename="camel"):
    tenant_id: UUID
    actor: str
    permissions: list[str]


class UserIn(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    email: str
    display_name: str
    password: str
    roles: list[str] = []
    locale: str = "zh-CN"


class UserRolesIn(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    roles: list[str]


class UserOut(msgspec.Struct, rename="camel"):
    id: UUID
    email: str
    display_name: str
    active: bool
    role_ids: list[UUID]
    version: int


class RoleIn(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    key: str
    name: str
    permissions: list[str]
    description: str = ""


class RolePatch(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    name: str | None = None
    permissions: list[str] | None = None
    description: str | None = None


class RoleOut(msgspec.Struct, rename="camel"):
    id: UUID
    key: str
    name: str
    description: str
    builtin: bool
    permissions: list[str]
    version: int


class ApiKeyIn(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    name: str
    permissions: list[str]


class ApiKeyOut(msgspec.Struct, rename="camel"):
    id: UUID
    name: str
    permissions: list[str]
    created_by: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class CreatedApiKeyOut(msgspec.Struct, rename="camel"):
    key: str  # shown once: only its hash is stored
    api_key: ApiKeyOut
