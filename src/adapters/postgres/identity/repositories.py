"""Identity repositories: tenants (global), users, roles, sessions, API keys.

Every tenant-scoped query names its tenant explicitly as well: row-level security is the
backstop, and the platform role (which bypasses it) must never see another tenant's rows.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from application.identity.ports import ApiKeyRecord, RefreshTokenRecord
from domain.identity.role import Role
from domain.identity.tenant import Tenant, TenantStatus
from domain.identity.user import User

_TENANT_COLUMNS = "id, slug, name, status, time_zone, currency, locale"


def _tenant(row: Row) -> Tenant:  # type: ignore[type-arg]
    return Tenant(
        id=row.id,
        slug=row.slug,
        name=row.name,
        status=TenantStatus(row.status),
        time_zone=row.time_zone,
        currency=row.currency,
        locale=row.locale,
    )


class PostgresTenantDirectory:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def by_slug(self, slug: str) -> Tenant | None:
        row = (
            await self._conn.execute(
                text(f"SELECT {_TENANT_COLUMNS} FROM tenants WHERE slug = :slug"), {"slug": slug}
            )
        ).first()
        return _tenant(row) if row else None

    async def get(self, tenant_id: UUID) -> Tenant | None:
        row = (
            await self._conn.execute(
                text(f"SELECT {_TENANT_COLUMNS} FROM tenants WHERE id = :id"), {"id": tenant_id}
            )
        ).first()
        return _tenant(row) if row else None

    async def add(self, tenant: Tenant) -> None:
        await self._conn.execute(
            text(
                "INSERT INTO tenants (id, slug, name, status, time_zone, currency, locale)"
                " VALUES (:id, :slug, :name, :status, :time_zone, :currency, :locale)"
            ),
            _tenant_params(tenant),
        )

    async def save(self, tenant: Tenant) -> None:
        await self._conn.execute(
            text(
                "UPDATE tenants SET name = :name, status = :status, time_zone = :time_zone,"
                " currency = :currency, locale = :locale, updated_at = now() WHERE id = :id"
            ),
            _tenant_params(tenant),
        )

    async def list_all(self) -> list[Tenant]:
        rows = await self._conn.execute(
            text(f"SELECT {_TENANT_COLUMNS} FROM tenants ORDER BY slug")
        )
        return [_tenant(r) for r in rows]

    async def delete(self, tenant_id: UUID) -> None:
        await self._conn.execute(text("DELETE FROM tenants WHERE id = :id"), {"id": tenant_id})


def _tenant_params(tenant: Tenant) -> dict[str, object]:
    return {
        "id": tenant.id,
        "slug": tenant.slug,
        "name": tenant.name,
        "status": tenant.status.value,
        "time_zone": tenant.time_zone,
        "currency": tenant.currency,
        "locale": tenant.locale,
    }


class PostgresTenantLookup:
    """The global tenants table read without entering a tenant (login, token checks)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def by_slug(self, slug: str) -> Tenant | None:
        async with self._engine.connect() as conn:
            return await PostgresTenantDirectory(conn).by_slug(slug)

    async def get(self, tenant_id: UUID) -> Tenant | None:
        async with self._engine.connect() as conn:
            return await PostgresTenantDirectory(conn).get(tenant_id)


class PostgresUserRepository:
    _COLUMNS = "id, tenant_id, email, display_name, password_hash, locale, active, version"

    def __init__(self, conn: AsyncConnection, tenant_id: UUID) -> None:
        self._conn = conn
        self._tenant_id = tenant_id

    async def _roles(self, user_ids: list[UUID]) -> dict[UUID, list[UUID]]:
        rows = await self._conn.execute(
            text(
                "SELECT user_id, role_id FROM user_roles WHERE tenant_id = :t"
                " AND user_id = ANY(:ids) ORDER BY role_id"
            ),
            {"t": self._tenant_id, "ids": user_ids},
        )
        found: dict[UUID, list[UUID]] = {}
        for r in rows:
            found.setdefault(r.user_id, []).append(r.role_id)
        return found

    def _user(self, row: Row, roles: dict[UUID, list[UUID]]) -> User:  # type: ignore[type-arg]
        return User(
            id=row.id,
            tenant_id=row.tenant_id,
            email=row.email,
            display_name=row.display_name,
            password_hash=row.password_hash,
            locale=row.locale,
            active=row.active,
            role_ids=roles.get(row.id, []),
            version=row.version,
        )

    async def _one(self, where: str, params: dict[str, object]) -> User | None:
        row = (
            await self._conn.execute(
                text(f"SELECT {self._COLUMNS} FROM users WHERE tenant_id = :t AND {where}"),
                {"t": self._tenant_id, **params},
            )
        ).first()
        return self._user(row, await self._roles([row.id])) if row else None

    async def add(self, user: User) -> None:
        await self._conn.execute(
            text(
                "INSERT INTO users (tenant_id, id, email, display_name, password_hash, locale,"
                " active, version) VALUES (:t, :id, :email, :display_name, :password_hash,"
                " :locale, :active, :version)"
            ),
            {"t": self._tenant_id, **_user_params(user)},
        )
        await self._set_roles(user)

    async def get(self, user_id: UUID) -> User | None:
        return await self._one("id = :id", {"id": user_id})

    async def by_email(self, email: str) -> User | None:
        return await self._one("email = :email", {"email": email})

    async def save(self, user: User) -> None:
        await self._conn.execute(
            text(
                "UPDATE users SET email = :email, display_name = :display_name,"
                " password_hash = :password_hash, locale = :locale, active = :active,"
                " version = :version, updated_at = now() WHERE tenant_id = :t AND id = :id"
            ),
            {"t": self._tenant_id, **_user_params(user)},
        )
        await self._set_roles(user)

    async def list_all(self) -> list[User]:
        rows = list(
            await self._conn.execute(
                text(f"SELECT {self._COLUMNS} FROM users WHERE tenant_id = :t ORDER BY email"),
                {"t": self._tenant_id},
            )
        )
        roles = await self._roles([r.id for r in rows])
        return [self._user(r, roles) for r in rows]

    async def _set_roles(self, user: User) -> None:
        await self._conn.execute(
            text("DELETE FROM user_roles WHERE tenant_id = :t AND user_id = :u"),
            {"t": self._tenant_id, "u": user.id},
        )
        for role_id in user.role_ids:
            await self._conn.execute(
                text("INSERT INTO user_roles (tenant_id, user_id, role_id) VALUES (:t, :u, :r)"),
                {"t": self._tenant_id, "u": user.id, "r": role_id},
            )


def _user_params(user: User) -> dict[str, object]:
    return {
        "id": user.id,
        "email": user.email,
        "display_name": user.display_name,
        "password_hash": user.password_hash,
        "locale": user.locale,
        "active": user.active,
        "version": user.version,
    }


class PostgresRoleRepository:
    _COLUMNS = "id, key, name, description, builtin, permissions, version"

    def __init__(self, conn: AsyncConnection, tenant_id: UUID) -> None:
        self._conn = conn
        self._tenant_id = tenant_id

    @staticmethod
    def _role(row: Row) -> Role:  # type: ignore[type-arg]
        return Role(
            id=row.id,
            key=row.key,
            name=row.name,
            builtin=row.builtin,
            custom_permissions=frozenset(row.permissions),
            description=row.description,
            version=row.version,
        )

    async def add(self, role: Role) -> None:
        await self._conn.execute(
            text(
                "INSERT INTO roles (tenant_id, id, key, name, description, builtin, permissions,"
                " version) VALUES (:t, :id, :key, :name, :description, :builtin, :permissions,"
                " :version)"
            ),
            {"t": self._tenant_id, **_role_params(role)},
        )

    async def get(self, role_id: UUID) -> Role | None:
        row = (
            await self._conn.execute(
                text(f"SELECT {self._COLUMNS} FROM roles WHERE tenant_id = :t AND id = :id"),
                {"t": self._tenant_id, "id": role_id},
            )
        ).first()
        return self._role(row) if row else None

    async def by_key(self, key: str) -> Role | None:
        row = (
            await self._conn.execute(
                text(f"SELECT {self._COLUMNS} FROM roles WHERE tenant_id = :t AND key = :key"),
                {"t": self._tenant_id, "key": key},
            )
        ).first()
        return self._role(row) if row else None

    async def list_all(self) -> list[Role]:
        rows = await self._conn.execute(
            text(
                f"SELECT {self._COLUMNS} FROM roles WHERE tenant_id = :t ORDER BY builtin DESC, key"
            ),
            {"t": self._tenant_id},
        )
        return [self._role(r) for r in rows]

    async def save(self, role: Role) -> None:
        await self._conn.execute(
            text(
                "UPDATE roles SET name = :name, description = :description,"
                " permissions = :permissions, version = :version, updated_at = now()"
                " WHERE tenant_id = :t AND id = :id"
            ),
            {"t": self._tenant_id, **_role_params(role)},
        )

    async def delete(self, role_id: UUID) -> None:
        await self._conn.execute(
            text("DELETE FROM roles WHERE tenant_id = :t AND id = :id"),
            {"t": self._tenant_id, "id": role_id},
        )

    async def permissions_of_user(self, user_id: UUID) -> frozenset[str]:
        rows = await self._conn.execute(
            text(
                f"SELECT {', '.join('r.' + c for c in self._COLUMNS.split(', '))} FROM roles r"
                " JOIN user_roles ur ON ur.tenant_id = r.tenant_id AND ur.role_id = r.id"
                " WHERE r.tenant_id = :t AND ur.user_id = :u"
            ),
            {"t": self._tenant_id, "u": user_id},
        )
        granted: set[str] = set()
        for r in rows:
            granted |= self._role(r).permissions
        return frozenset(granted)

    async def members(self, role_id: UUID) -> list[UUID]:
        rows = await self._conn.execute(
            text("SELECT user_id FROM user_roles WHERE tenant_id = :t AND role_id = :r"),
            {"t": self._tenant_id, "r": role_id},
        )
        return [r.user_id for r in rows]


def _role_params(role: Role) -> dict[str, object]:
    return {
        "id": role.id,
        "key": role.key,
        "name": role.name,
        "description": role.description,
        "builtin": role.builtin,
        "permissions": sorted(role.custom_permissions),
        "version": role.version,
    }


class PostgresSessionRepository:
    def __init__(self, conn: AsyncConnection, tenant_id: UUID) -> None:
        self._conn = conn
        self._tenant_id = tenant_id

    async def start(self, session_id: UUID, user_id: UUID, ip: str | None, at: datetime) -> None:
        await self._conn.execute(
            text(
                "INSERT INTO auth_sessions (tenant_id, id, user_id, ip, created_at)"
                " VALUES (:t, :id, :u, CAST(:ip AS inet), :at)"
            ),
            {"t": self._tenant_id, "id": session_id, "u": user_id, "ip": ip, "at": at},
        )

    async def add_token(
        self,
        token_id: UUID,
        session_id: UUID,
        token_hash: bytes,
        at: datetime,
        expires_at: datetime,
    ) -> None:
        await self._conn.execute(
            text(
                "INSERT INTO refresh_tokens (tenant_id, id, session_id, token_hash, issued_at,"
                " expires_at) VALUES (:t, :id, :s, :h, :at, :exp)"
            ),
            {
                "t": self._tenant_id,
                "id": token_id,
                "s": session_id,
                "h": token_hash,
                "at": at,
                "exp": expires_at,
            },
        )

    async def token_by_hash(self, token_hash: bytes) -> RefreshTokenRecord | None:
        row = (
            await self._conn.execute(
                text(
                    "SELECT rt.id, rt.session_id, s.user_id, rt.expires_at, rt.used_at,"
                    " s.revoked_at IS NOT NULL AS revoked FROM refresh_tokens rt"
                    " JOIN auth_sessions s ON s.tenant_id = rt.tenant_id AND s.id = rt.session_id"
                    " WHERE rt.tenant_id = :t AND rt.token_hash = :h"
                ),
                {"t": self._tenant_id, "h": token_hash},
            )
        ).first()
        if row is None:
            return None
        return RefreshTokenRecord(
            row.id, row.session_id, row.user_id, row.expires_at, row.used_at, row.revoked
        )

    async def mark_used(self, token_id: UUID, at: datetime) -> bool:
        result = await self._conn.execute(
            text(
                "UPDATE refresh_tokens SET used_at = :at WHERE tenant_id = :t AND id = :id"
                " AND used_at IS NULL"
            ),
            {"t": self._tenant_id, "id": token_id, "at": at},
        )
        return bool(result.rowcount)

    async def revoke(self, session_id: UUID, reason: str, at: datetime) -> None:
        await self._conn.execute(
            text(
                "UPDATE auth_sessions SET revoked_at = :at, revoked_reason = :reason"
                " WHERE tenant_id = :t AND id = :id AND revoked_at IS NULL"
            ),
            {"t": self._tenant_id, "id": session_id, "at": at, "reason": reason},
        )

    async def revoke_all_of_user(self, user_id: UUID, reason: str, at: datetime) -> None:
        await self._conn.execute(
            text(
                "UPDATE auth_sessions SET revoked_at = :at, revoked_reason = :reason"
                " WHERE tenant_id = :t AND user_id = :u AND revoked_at IS NULL"
            ),
            {"t": self._tenant_id, "u": user_id, "at": at, "reason": reason},
        )

    async def is_active(self, session_id: UUID) -> bool:
        value = await self._conn.scalar(
            text("SELECT revoked_at IS NULL FROM auth_sessions WHERE tenant_id = :t AND id = :id"),
            {"t": self._tenant_id, "id": session_id},
        )
        return bool(value)


class PostgresApiKeyRepository:
    _COLUMNS = "id, name, permissions, created_by, created_at, revoked_at, last_used_at"

    def __init__(self, conn: AsyncConnection, tenant_id: UUID) -> None:
        self._conn = conn
        self._tenant_id = tenant_id

    @staticmethod
    def _record(row: Row) -> ApiKeyRecord:  # type: ignore[type-arg]
        return ApiKeyRecord(
            row.id,
            row.name,
            frozenset(row.permissions),
            row.created_by,
            row.created_at,
            row.revoked_at,
            row.last_used_at,
        )

    async def add(self, record: ApiKeyRecord, secret_hash: bytes) -> None:
        await self._conn.execute(
            text(
                "INSERT INTO api_keys (tenant_id, id, name, secret_hash, permissions, created_by,"
                " created_at) VALUES (:t, :id, :name, :h, :p, :by, :at)"
            ),
            {
                "t": self._tenant_id,
                "id": record.id,
                "name": record.name,
                "h": secret_hash,
                "p": sorted(record.permissions),
                "by": record.created_by,
                "at": record.created_at,
            },
        )

    async def get(self, key_id: UUID) -> ApiKeyRecord | None:
        row = (
            await self._conn.execute(
                text(f"SELECT {self._COLUMNS} FROM api_keys WHERE tenant_id = :t AND id = :id"),
                {"t": self._tenant_id, "id": key_id},
            )
        ).first()
        return self._record(row) if row else None

    async def secret_hash(self, key_id: UUID) -> bytes | None:
        value = await self._conn.scalar(
            text("SELECT secret_hash FROM api_keys WHERE tenant_id = :t AND id = :id"),
            {"t": self._tenant_id, "id": key_id},
        )
        return bytes(value) if value is not None else None

    async def list_all(self) -> list[ApiKeyRecord]:
        rows = await self._conn.execute(
            text(f"SELECT {self._COLUMNS} FROM api_keys WHERE tenant_id = :t ORDER BY created_at"),
            {"t": self._tenant_id},
        )
        return [self._record(r) for r in rows]

    async def revoke(self, key_id: UUID, at: datetime) -> None:
        await self._conn.execute(
            text(
                "UPDATE api_keys SET revoked_at = :at WHERE tenant_id = :t AND id = :id"
                " AND revoked_at IS NULL"
            ),
            {"t": self._tenant_id, "id": key_id, "at": at},
        )

    async def touch(self, key_id: UUID, at: datetime) -> None:
        # At most one write a minute per key: authentication must not become a write path.
        await self._conn.execute(
            text(
                "UPDATE api_keys SET last_used_at = :at WHERE tenant_id = :t AND id = :id"
                " AND (last_used_at IS NULL"
                " OR last_used_at < CAST(:at AS timestamptz) - interval '1 minute')"
            ),
            {"t": self._tenant_id, "id": key_id, "at": at},
        )
