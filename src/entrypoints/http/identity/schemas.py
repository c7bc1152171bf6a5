"""Wire types for authentication and access administration (camelCase on the wire)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from domain.identity.permissions import ALL_PERMISSIONS
from domain.identity.role import ROLE_KEY
from domain.identity.user import MIN_PASSWORD_LENGTH
from entrypoints.http.limits import stated
from entrypoints.http.wire import WireIn, WireOut


class LoginIn(WireIn):
    tenant: str
    email: str
    password: str


class RefreshIn(WireIn):
    refresh_token: str


class TokenOut(WireOut):
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105 - the OAuth token type, not a secret


class MeOut(WireOut):
    tenant_id: UUID
    actor: str
    permissions: list[str]
    kind: str
    name: str
    email: str | None
    locale: str | None
    roles: list[str]
    company: str
    currency: str
    time_zone: str


# A permission a role or an API key grants: one the service declares (unknown_permission).
Permission = Annotated[str, stated(choices=sorted(ALL_PERMISSIONS))]


class UserIn(WireIn):
    email: Annotated[str, stated(email=True)]
    display_name: Annotated[str, stated(min_length=1)]
    password: Annotated[str, stated(min_length=MIN_PASSWORD_LENGTH)]
    roles: list[str] = []
    locale: str = "zh-CN"


class UserRolesIn(WireIn):
    roles: list[str]


class UserPatch(WireIn):
    active: bool


class UserOut(WireOut):
    id: UUID
    email: str
    display_name: str
    active: bool
    role_ids: list[UUID]
    version: int
    roles: list[str]  # the keys of the roles, sorted


class RoleIn(WireIn):
    key: Annotated[str, stated(pattern=ROLE_KEY)]
    name: Annotated[str, stated(min_length=1)]
    permissions: list[Permission]
    description: str = ""


class RolePatch(WireIn):
    name: str | None = None
    permissions: list[Permission] | None = None
    description: str | None = None


class RoleOut(WireOut):
    id: UUID
    key: str
    name: str
    description: str
    builtin: bool
    permissions: list[str]
    version: int


class ApiKeyIn(WireIn):
    name: str
    permissions: list[Permission]


class ApiKeyOut(WireOut):
    id: UUID
    name: str
    permissions: list[str]
    created_by: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class CreatedApiKeyOut(WireOut):
    key: str  # shown once: only its hash is stored
    api_key: ApiKeyOut
