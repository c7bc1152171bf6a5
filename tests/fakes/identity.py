"""In-memory identity store (``uow.of(IDENTITY)``): the global tenant directory, and one
tenant's users, roles, login sessions and API keys, as the Postgres adapters keep them
(user roles as a link table, deleted with their role; tokens found by hash)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from datetime import datetime
from uuid import UUID

from application.identity.ports import (
    IDENTITY,
    ApiKeyRecord,
    IdentityStore,
    RefreshTokenRecord,
)
from domain.identity.role import Role
from domain.identity.tenant import Tenant
from domain.identity.user import User
from tests.fakes.stores import FakeStore


@dataclass
class DirectoryTables:
    """The global ``tenants`` table (deleting a tenant cascades: see ``FakeDatabase``)."""

    tenants: dict[UUID, Tenant] = field(default_factory=dict)

    def copy(self) -> DirectoryTables:
        return copy.deepcopy(self)


@dataclass
class SessionRow:
    user_id: UUID
    revoked_at: datetime | None = None
    revoked_reason: str | None = None


@dataclass
class TokenRow:
    id: UUID
    session_id: UUID
    expires_at: datetime
    used_at: datetime | None = None


@dataclass
class IdentityTables:
    """One tenant's ``users``, ``roles``, ``auth_sessions``, ``refresh_tokens``, ``api_keys``."""

    users: dict[UUID, User] = field(default_factory=dict)
    roles: dict[UUID, Role] = field(default_factory=dict)
    sessions: dict[UUID, SessionRow] = field(default_factory=dict)
    tokens: dict[bytes, TokenRow] = field(default_factory=dict)  # by hash
    api_keys: dict[UUID, tuple[ApiKeyRecord, bytes]] = field(default_factory=dict)

    def copy(self) -> IdentityTables:
        return copy.deepcopy(self)


class FakeTenantDirectory:
    def __init__(self, tables: DirectoryTables) -> None:
        self._t = tables

    async def by_slug(self, slug: str) -> Tenant | None:
        found = next((t for t in self._t.tenants.values() if t.slug == slug), None)
        return copy.deepcopy(found)

    async def get(self, tenant_id: UUID) -> Tenant | None:
        return copy.deepcopy(self._t.tenants.get(tenant_id))

    async def add(self, tenant: Tenant) -> None:
        assert tenant.id not in self._t.tenants, "duplicate primary key"
        assert all(t.slug != tenant.slug for t in self._t.tenants.values()), "slug taken"
        self._t.tenants[tenant.id] = copy.deepcopy(tenant)

    async def save(self, tenant: Tenant) -> None:
        if tenant.id in self._t.tenants:
            self._t.tenants[tenant.id] = copy.deepcopy(tenant)

    async def list_all(self) -> list[Tenant]:
        return [copy.deepcopy(t) for t in sorted(self._t.tenants.values(), key=lambda t: t.slug)]

    async def delete(self, tenant_id: UUID) -> None:
        self._t.tenants.pop(tenant_id, None)


class FakeUserRepository:
    def __init__(self, tables: IdentityTables) -> None:
        self._t = tables

    async def add(self, user: User) -> None:
        assert user.id not in self._t.users, "duplicate primary key"
        assert await self.by_email(user.email) is None, "email taken in the tenant"
        self._t.users[user.id] = copy.deepcopy(user)

    def _read(self, user: User | None) -> User | None:
        """A copy with its role keys, read from the roles as the database joins them."""
        if user is None:
            return None
        found = copy.deepcopy(user)
        found.role_keys = sorted(self._t.roles[r].key for r in user.role_ids if r in self._t.roles)
        return found

    async def get(self, user_id: UUID) -> User | None:
        return self._read(self._t.users.get(user_id))

    async def by_email(self, email: str) -> User | None:
        return self._read(next((u for u in self._t.users.values() if u.email == email), None))

    async def save(self, user: User) -> None:
        if user.id in self._t.users:
            self._t.users[user.id] = copy.deepcopy(user)

    async def list_all(self) -> list[User]:
        ordered = sorted(self._t.users.values(), key=lambda u: u.email)
        return [user for u in ordered if (user := self._read(u)) is not None]

    async def delete(self, user_id: UUID) -> None:
        # ON DELETE CASCADE: the user's sessions and, through them, refresh tokens.
        self._t.users.pop(user_id, None)
        gone = {sid for sid, row in self._t.sessions.items() if row.user_id == user_id}
        for sid in gone:
            del self._t.sessions[sid]
        self._t.tokens = {h: t for h, t in self._t.tokens.items() if t.session_id not in gone}


class FakeRoleRepository:
    def __init__(self, tables: IdentityTables) -> None:
        self._t = tables

    async def add(self, role: Role) -> None:
        assert role.id not in self._t.roles, "duplicate primary key"
        self._t.roles[role.id] = copy.deepcopy(role)

    async def get(self, role_id: UUID) -> Role | None:
        return copy.deepcopy(self._t.roles.get(role_id))

    async def by_key(self, key: str) -> Role | None:
        return copy.deepcopy(next((r for r in self._t.roles.values() if r.key == key), None))

    async def list_all(self) -> list[Role]:
        ordered = sorted(self._t.roles.values(), key=lambda r: (not r.builtin, r.key))
        return [copy.deepcopy(r) for r in ordered]

    async def save(self, role: Role) -> None:
        if role.id in self._t.roles:
            self._t.roles[role.id] = copy.deepcopy(role)

    async def delete(self, role_id: UUID) -> None:
        self._t.roles.pop(role_id, None)
        for user in self._t.users.values():  # user_roles: ON DELETE CASCADE
            user.role_ids = [r for r in user.role_ids if r != role_id]

    async def permissions_of_user(self, user_id: UUID) -> frozenset[str]:
        user = self._t.users.get(user_id)
        roles = [self._t.roles[r] for r in user.role_ids if r in self._t.roles] if user else []
        return frozenset(p for role in roles for p in role.permissions)

    async def members(self, role_id: UUID) -> list[UUID]:
        return [u.id for u in self._t.users.values() if role_id in u.role_ids]

    async def active_members(self, role_id: UUID) -> list[UUID]:
        return [u.id for u in self._t.users.values() if role_id in u.role_ids and u.active]


class FakeSessionRepository:
    def __init__(self, tables: IdentityTables) -> None:
        self._t = tables

    async def start(self, session_id: UUID, user_id: UUID, ip: str | None, at: datetime) -> None:
        assert session_id not in self._t.sessions, "duplicate primary key"
        self._t.sessions[session_id] = SessionRow(user_id)

    async def add_token(
        self,
        token_id: UUID,
        session_id: UUID,
        token_hash: bytes,
        at: datetime,
        expires_at: datetime,
    ) -> None:
        assert session_id in self._t.sessions, "foreign key: session"
        self._t.tokens[token_hash] = TokenRow(token_id, session_id, expires_at)

    async def token_by_hash(self, token_hash: bytes) -> RefreshTokenRecord | None:
        token = self._t.tokens.get(token_hash)
        if token is None:
            return None
        session = self._t.sessions[token.session_id]
        return RefreshTokenRecord(
            token.id,
            token.session_id,
            session.user_id,
            token.expires_at,
            token.used_at,
            session.revoked_at is not None,
        )

    async def spend_all(self, session_id: UUID, at: datetime) -> set[UUID]:
        spent = set()
        for token in self._t.tokens.values():
            if token.session_id == session_id and token.used_at is None:
                token.used_at = at
                spent.add(token.id)
        return spent

    async def revoke(self, session_id: UUID, reason: str, at: datetime) -> None:
        session = self._t.sessions.get(session_id)
        if session is not None and session.revoked_at is None:
            session.revoked_at, session.revoked_reason = at, reason

    async def revoke_all_of_user(self, user_id: UUID, reason: str, at: datetime) -> None:
        for session_id, session in self._t.sessions.items():
            if session.user_id == user_id:
                await self.revoke(session_id, reason, at)


class FakeApiKeyRepository:
    def __init__(self, tables: IdentityTables) -> None:
        self._t = tables

    async def add(self, record: ApiKeyRecord, secret_hash: bytes) -> None:
        assert record.id not in self._t.api_keys, "duplicate primary key"
        self._t.api_keys[record.id] = (record, secret_hash)

    async def get(self, key_id: UUID) -> ApiKeyRecord | None:
        found = self._t.api_keys.get(key_id)
        return found[0] if found else None

    async def secret_hash(self, key_id: UUID) -> bytes | None:
        found = self._t.api_keys.get(key_id)
        return found[1] if found else None

    async def list_all(self) -> list[ApiKeyRecord]:
        return sorted((r for r, _ in self._t.api_keys.values()), key=lambda r: r.created_at)

    async def revoke(self, key_id: UUID, at: datetime) -> None:
        if key_id in self._t.api_keys:
            record, secret = self._t.api_keys[key_id]
            self._t.api_keys[key_id] = (replace(record, revoked_at=at), secret)

    async def touch(self, key_id: UUID, at: datetime) -> None:
        if key_id in self._t.api_keys:
            record, secret = self._t.api_keys[key_id]
            self._t.api_keys[key_id] = (replace(record, last_used_at=at), secret)


class FakeIdentityStore(IdentityStore):
    def __init__(self, directory: DirectoryTables, tables: IdentityTables) -> None:
        self.tenants = FakeTenantDirectory(directory)
        self.users = FakeUserRepository(tables)
        self.roles = FakeRoleRepository(tables)
        self.sessions = FakeSessionRepository(tables)
        self.api_keys = FakeApiKeyRepository(tables)


def build(directory: DirectoryTables, tables: IdentityTables) -> IdentityStore:
    """Typed as the port, so mypy proves the fake store satisfies ``IdentityStore``."""
    return FakeIdentityStore(directory, tables)


# Found by the fake unit of work (tests/fakes/stores.py).
FAKE = FakeStore(IDENTITY, IdentityTables, lambda tables, parts: build(parts.directory, tables))
