from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from application.shared.context import ActorKind
from application.shared.unit_of_work import StoreKey, UnitOfWork
from domain.identity.role import Role
from domain.identity.tenant import Tenant
from domain.identity.user import User


class TenantDirectory(Protocol):
    """The global tenants table (readable by the app role, writable by the platform role)."""

    async def by_slug(self, slug: str) -> Tenant | None: ...

    async def get(self, tenant_id: UUID) -> Tenant | None: ...

    async def add(self, tenant: Tenant) -> None: ...

    async def save(self, tenant: Tenant) -> None: ...

    async def list_all(self) -> list[Tenant]: ...

    async def delete(self, tenant_id: UUID) -> None:
        """Delete the tenant and, by cascade, every row it owns."""
        ...


class UserRepository(Protocol):
    async def add(self, user: User) -> None: ...

    async def get(self, user_id: UUID) -> User | None: ...

    async def by_email(self, email: str) -> User | None: ...

    async def save(self, user: User) -> None: ...

    async def list_all(self) -> list[User]: ...

    async def delete(self, user_id: UUID) -> None:
        """Remove the user; their roles, sessions and inbox go with them."""
        ...


class RoleRepository(Protocol):
    async def add(self, role: Role) -> None: ...

    async def get(self, role_id: UUID) -> Role | None: ...

    async def by_key(self, key: str) -> Role | None: ...

    async def list_all(self) -> list[Role]: ...

    async def save(self, role: Role) -> None: ...

    async def delete(self, role_id: UUID) -> None: ...

    async def permissions_of_user(self, user_id: UUID) -> frozenset[str]: ...

    async def members(self, role_id: UUID) -> list[UUID]: ...

    async def active_members(self, role_id: UUID) -> list[UUID]:
        """The active users holding the role, the role locked until the transaction ends
        (so two changes of its members are decided one after the other)."""
        ...


@dataclass(frozen=True)
class RefreshTokenRecord:
    id: UUID
    session_id: UUID
    user_id: UUID
    expires_at: datetime
    used_at: datetime | None
    session_revoked: bool


class SessionRepository(Protocol):
    """Login sessions: each is a family of rotating refresh tokens."""

    async def start(
        self, session_id: UUID, user_id: UUID, ip: str | None, at: datetime
    ) -> None: ...

    async def add_token(
        self,
        token_id: UUID,
        session_id: UUID,
        token_hash: bytes,
        at: datetime,
        expires_at: datetime,
    ) -> None: ...

    async def token_by_hash(self, token_hash: bytes) -> RefreshTokenRecord | None: ...

    async def spend_all(self, session_id: UUID, at: datetime) -> set[UUID]:
        """Lock the session until the transaction ends (its refreshes run one at a time) and
        mark every unspent token of it used at ``at``; the ids of those it marked."""
        ...

    async def revoke(self, session_id: UUID, reason: str, at: datetime) -> None: ...

    async def revoke_all_of_user(self, user_id: UUID, reason: str, at: datetime) -> None: ...


@dataclass(frozen=True)
class ApiKeyRecord:
    id: UUID
    name: str
    permissions: frozenset[str]
    created_by: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class ApiKeyRepository(Protocol):
    async def add(self, record: ApiKeyRecord, secret_hash: bytes) -> None: ...

    async def get(self, key_id: UUID) -> ApiKeyRecord | None: ...

    async def secret_hash(self, key_id: UUID) -> bytes | None: ...

    async def list_all(self) -> list[ApiKeyRecord]: ...

    async def revoke(self, key_id: UUID, at: datetime) -> None: ...

    async def touch(self, key_id: UUID, at: datetime) -> None: ...


class IdentityStore(Protocol):
    """Identity's repositories in one unit of work (``uow.of(IDENTITY)``)."""

    tenants: TenantDirectory
    users: UserRepository
    roles: RoleRepository
    sessions: SessionRepository
    api_keys: ApiKeyRepository


IDENTITY: StoreKey[IdentityStore] = StoreKey("identity")


async def actor_names(uow: UnitOfWork, actors: Iterable[str]) -> dict[str, str]:
    """Who each actor label (``user:<id>``, ``api_key:<id>``) is, by name — a user as
    ``王芳 <fang@shop.cn>``, an API key by its name — for a page of records (the audit
    trail, an order's timeline): one read per distinct actor. Other labels (support:…,
    system:…, rule_engine) are their own name; a deleted user or key has none."""
    store, names = uow.of(IDENTITY), {}
    for label in set(actors):
        kind, _, raw = label.partition(":")
        try:
            actor_id = UUID(raw)
        except ValueError:
            continue
        if kind == ActorKind.USER and (user := await store.users.get(actor_id)):
            names[label] = f"{user.display_name} <{user.email}>"
        elif kind == ActorKind.API_KEY and (key := await store.api_keys.get(actor_id)):
            names[label] = key.name
    return names
