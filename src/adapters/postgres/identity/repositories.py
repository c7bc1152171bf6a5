"""Identity repositories: tenants (global), users, roles, sessions, API keys.

Every tenant-scoped query names its tenant explicitly as well: row-level security is the
backstop, and the platform role (which bypasses it) must never see another tenant's rows.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Uuid,
    and_,
    any_,
    bindparam,
    delete,
    func,
    insert,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.postgres.identity.tables import (
    api_keys,
    auth_sessions,
    refresh_tokens,
    roles,
    user_roles,
    users,
)
from adapters.postgres.shared.driver import DriverStatement
from adapters.postgres.shared.rows import AnyRow, TenantRepository, from_row, values_of
from adapters.postgres.shared.tables import tenants
from application.identity.ports import ApiKeyRecord, RefreshTokenRecord
from application.identity.security import TokenStanding, UserAccess
from domain.identity.role import Role, granted_by
from domain.identity.tenant import Tenant, TenantStatus
from domain.identity.user import User

_TENANT_COLUMNS = (
    tenants.c.id,
    tenants.c.slug,
    tenants.c.name,
    tenants.c.status,
    tenants.c.time_zone,
    tenants.c.currency,
    tenants.c.locale,
)


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
            await self._conn.execute(select(*_TENANT_COLUMNS).where(tenants.c.slug == slug))
        ).first()
        return _tenant(row) if row else None

    async def get(self, tenant_id: UUID) -> Tenant | None:
        row = (
            await self._conn.execute(select(*_TENANT_COLUMNS).where(tenants.c.id == tenant_id))
        ).first()
        return _tenant(row) if row else None

    async def add(self, tenant: Tenant) -> None:
        await self._conn.execute(insert(tenants).values(_tenant_params(tenant)))

    async def save(self, tenant: Tenant) -> None:
        params = _tenant_params(tenant)
        del params["id"], params["slug"]
        await self._conn.execute(
            update(tenants).where(tenants.c.id == tenant.id).values(**params, updated_at=func.now())
        )

    async def list_all(self) -> list[Tenant]:
        rows = await self._conn.execute(select(*_TENANT_COLUMNS).order_by(tenants.c.slug))
        return [_tenant(r) for r in rows]

    async def delete(self, tenant_id: UUID) -> None:
        await self._conn.execute(delete(tenants).where(tenants.c.id == tenant_id))


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
            return await PostgresTenantDirectory(await _single_statements(conn)).by_slug(slug)

    async def get(self, tenant_id: UUID) -> Tenant | None:
        async with self._engine.connect() as conn:
            return await PostgresTenantDirectory(await _single_statements(conn)).get(tenant_id)


# Migration 0031's function: the tenant entered for the statement alone, then its row, the
# user's flag, the session's and one row per role held (decision 97).
_TOKEN_ACCESS = DriverStatement(
    text("SELECT * FROM token_access(:tenant, :user, :session)").bindparams(
        bindparam("tenant", type_=Uuid),
        bindparam("user", type_=Uuid),
        bindparam("session", type_=Uuid),
    )
)


class PostgresTokenAccess:
    """A request's token check: one statement, autocommitted, on a pooled connection
    (``DriverStatement.fetch_pooled``)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def standing(
        self, tenant_id: UUID, user_id: UUID, session_id: UUID
    ) -> TokenStanding | None:
        rows = await _TOKEN_ACCESS.fetch_pooled(
            self._engine, {"tenant": tenant_id, "user": user_id, "session": session_id}
        )
        if not rows:
            return None
        first = rows[0]
        tenant = Tenant(
            id=first["tenant_id"],
            slug=first["tenant_slug"],
            name=first["tenant_name"],
            status=TenantStatus(first["tenant_status"]),
            time_zone=first["tenant_time_zone"],
            currency=first["tenant_currency"],
            locale=first["tenant_locale"],
        )
        if first["user_active"] is None:  # the user's columns are all NULL: no such user
            return TokenStanding(tenant, None)
        permissions = frozenset().union(
            *(
                granted_by(row["role_key"], row["role_builtin"], row["role_permissions"])
                for row in rows
                if row["role_key"] is not None
            )
        )
        return TokenStanding(
            tenant, UserAccess(first["user_active"], bool(first["session_active"]), permissions)
        )


async def _single_statements(conn: AsyncConnection) -> AsyncConnection:
    """One read needs no transaction of its own: without BEGIN and ROLLBACK around it, a
    tenant's look-up (a sign-in, an API key) saves two round trips (the pool restores the
    isolation level when the connection goes back)."""
    return await conn.execution_options(isolation_level="AUTOCOMMIT")


class PostgresUserRepository(TenantRepository):
    _COLUMNS = (
        users.c.id,
        users.c.tenant_id,
        users.c.email,
        users.c.display_name,
        users.c.password_hash,
        users.c.locale,
        users.c.active,
        users.c.version,
    )

    async def _roles(self, user_ids: list[UUID]) -> dict[UUID, list[AnyRow]]:
        """Each user's roles (id and key), in role id order."""
        rows = await self._conn.execute(
            select(user_roles.c.user_id, user_roles.c.role_id, roles.c.key)
            .join(
                roles,
                and_(
                    roles.c.tenant_id == user_roles.c.tenant_id, roles.c.id == user_roles.c.role_id
                ),
            )
            .where(
                user_roles.c.tenant_id == self._tenant_id,
                user_roles.c.user_id == any_(literal(user_ids, ARRAY(Uuid))),
            )
            .order_by(user_roles.c.role_id)
        )
        found: dict[UUID, list[AnyRow]] = {}
        for r in rows:
            found.setdefault(r.user_id, []).append(r)
        return found

    def _user(self, row: AnyRow, held: dict[UUID, list[AnyRow]]) -> User:
        mine = held.get(row.id, [])
        return from_row(
            User,
            row,
            role_ids=[r.role_id for r in mine],
            role_keys=sorted(r.key for r in mine),
        )

    async def _one(self, condition: ColumnElement[bool]) -> User | None:
        row = await self._first(
            select(*self._COLUMNS).where(users.c.tenant_id == self._tenant_id, condition)
        )
        return self._user(row, await self._roles([row.id])) if row else None

    async def add(self, user: User) -> None:
        await self._conn.execute(
            insert(users).values(tenant_id=self._tenant_id, **_user_params(user))
        )
        await self._set_roles(user)

    async def get(self, user_id: UUID) -> User | None:
        return await self._one(users.c.id == user_id)

    async def by_email(self, email: str) -> User | None:
        return await self._one(users.c.email == email)

    async def save(self, user: User) -> None:
        params = _user_params(user)
        del params["id"]
        await self._conn.execute(
            update(users)
            .where(self._row_of(users, user.id))
            .values(**params, updated_at=func.now())
        )
        await self._set_roles(user)

    async def delete(self, user_id: UUID) -> None:
        await self._conn.execute(delete(users).where(self._row_of(users, user_id)))

    async def list_all(self) -> list[User]:
        rows = list(
            await self._conn.execute(
                select(*self._COLUMNS)
                .where(users.c.tenant_id == self._tenant_id)
                .order_by(users.c.email)
            )
        )
        roles = await self._roles([r.id for r in rows])
        return [self._user(r, roles) for r in rows]

    async def _set_roles(self, user: User) -> None:
        await self._conn.execute(
            delete(user_roles).where(
                user_roles.c.tenant_id == self._tenant_id, user_roles.c.user_id == user.id
            )
        )
        for role_id in user.role_ids:
            await self._conn.execute(
                insert(user_roles).values(
                    tenant_id=self._tenant_id, user_id=user.id, role_id=role_id
                )
            )


def _user_params(user: User) -> dict[str, object]:
    return values_of(user, (c for c in PostgresUserRepository._COLUMNS if c.name != "tenant_id"))


class PostgresRoleRepository(TenantRepository):
    _COLUMNS = (
        roles.c.id,
        roles.c.key,
        roles.c.name,
        roles.c.description,
        roles.c.builtin,
        roles.c.permissions,
        roles.c.version,
    )

    @staticmethod
    def _role(row: AnyRow) -> Role:
        return from_row(Role, row, custom_permissions=frozenset(row.permissions))

    async def add(self, role: Role) -> None:
        await self._conn.execute(
            insert(roles).values(tenant_id=self._tenant_id, **_role_params(role))
        )

    async def _one(self, condition: ColumnElement[bool]) -> Role | None:
        row = await self._first(
            select(*self._COLUMNS).where(roles.c.tenant_id == self._tenant_id, condition)
        )
        return self._role(row) if row else None

    async def get(self, role_id: UUID) -> Role | None:
        return await self._one(roles.c.id == role_id)

    async def by_key(self, key: str) -> Role | None:
        return await self._one(roles.c.key == key)

    async def list_all(self) -> list[Role]:
        rows = await self._conn.execute(
            select(*self._COLUMNS)
            .where(roles.c.tenant_id == self._tenant_id)
            .order_by(roles.c.builtin.desc(), roles.c.key)
        )
        return [self._role(r) for r in rows]

    async def save(self, role: Role) -> None:
        params = _role_params(role)
        # Key and built-in flag are written once, by add.
        del params["id"], params["key"], params["builtin"]
        await self._conn.execute(
            update(roles)
            .where(self._row_of(roles, role.id))
            .values(**params, updated_at=func.now())
        )

    async def delete(self, role_id: UUID) -> None:
        await self._conn.execute(delete(roles).where(self._row_of(roles, role_id)))

    async def permissions_of_user(self, user_id: UUID) -> frozenset[str]:
        rows = await self._conn.execute(
            select(*self._COLUMNS)
            .join(
                user_roles,
                and_(
                    user_roles.c.tenant_id == roles.c.tenant_id, user_roles.c.role_id == roles.c.id
                ),
            )
            .where(roles.c.tenant_id == self._tenant_id, user_roles.c.user_id == user_id)
        )
        granted: set[str] = set()
        for r in rows:
            granted |= self._role(r).permissions
        return frozenset(granted)

    async def members(self, role_id: UUID) -> list[UUID]:
        rows = await self._conn.execute(
            select(user_roles.c.user_id).where(
                user_roles.c.tenant_id == self._tenant_id, user_roles.c.role_id == role_id
            )
        )
        return [r.user_id for r in rows]

    async def active_members(self, role_id: UUID) -> list[UUID]:
        await self._conn.execute(
            select(roles.c.id).where(self._row_of(roles, role_id)).with_for_update()
        )
        rows = await self._conn.execute(
            select(users.c.id)
            .join(
                user_roles,
                and_(
                    user_roles.c.tenant_id == users.c.tenant_id, user_roles.c.user_id == users.c.id
                ),
            )
            .where(
                users.c.tenant_id == self._tenant_id,
                user_roles.c.role_id == role_id,
                users.c.active,
            )
        )
        return [r.id for r in rows]


def _role_params(role: Role) -> dict[str, object]:
    columns = PostgresRoleRepository._COLUMNS
    return values_of(role, columns, permissions=sorted(role.custom_permissions))


class PostgresSessionRepository(TenantRepository):
    async def start(self, session_id: UUID, user_id: UUID, ip: str | None, at: datetime) -> None:
        await self._conn.execute(
            insert(auth_sessions).values(
                tenant_id=self._tenant_id, id=session_id, user_id=user_id, ip=ip, created_at=at
            )
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
            insert(refresh_tokens).values(
                tenant_id=self._tenant_id,
                id=token_id,
                session_id=session_id,
                token_hash=token_hash,
                issued_at=at,
                expires_at=expires_at,
            )
        )

    async def token_by_hash(self, token_hash: bytes) -> RefreshTokenRecord | None:
        rt, s = refresh_tokens.c, auth_sessions.c
        row = await self._first(
            select(
                rt.id,
                rt.session_id,
                s.user_id,
                rt.expires_at,
                rt.used_at,
                s.revoked_at.is_not(None).label("revoked"),
            )
            .join(auth_sessions, and_(s.tenant_id == rt.tenant_id, s.id == rt.session_id))
            .where(rt.tenant_id == self._tenant_id, rt.token_hash == token_hash)
        )
        if row is None:
            return None
        return RefreshTokenRecord(
            row.id, row.session_id, row.user_id, row.expires_at, row.used_at, row.revoked
        )

    async def spend_all(self, session_id: UUID, at: datetime) -> set[UUID]:
        await self._conn.execute(
            select(auth_sessions.c.id)
            .where(self._row_of(auth_sessions, session_id))
            .with_for_update()
        )
        result = await self._conn.execute(
            update(refresh_tokens)
            .where(
                refresh_tokens.c.tenant_id == self._tenant_id,
                refresh_tokens.c.session_id == session_id,
                refresh_tokens.c.used_at.is_(None),
            )
            .values(used_at=at)
            .returning(refresh_tokens.c.id)
        )
        return {row.id for row in result}

    async def revoke(self, session_id: UUID, reason: str, at: datetime) -> None:
        await self._revoke(auth_sessions.c.id == session_id, reason, at)

    async def revoke_all_of_user(self, user_id: UUID, reason: str, at: datetime) -> None:
        await self._revoke(auth_sessions.c.user_id == user_id, reason, at)

    async def _revoke(self, which: ColumnElement[bool], reason: str, at: datetime) -> None:
        await self._conn.execute(
            update(auth_sessions)
            .where(
                auth_sessions.c.tenant_id == self._tenant_id,
                which,
                auth_sessions.c.revoked_at.is_(None),
            )
            .values(revoked_at=at, revoked_reason=reason)
        )


class PostgresApiKeyRepository(TenantRepository):
    _COLUMNS = (
        api_keys.c.id,
        api_keys.c.name,
        api_keys.c.permissions,
        api_keys.c.created_by,
        api_keys.c.created_at,
        api_keys.c.revoked_at,
        api_keys.c.last_used_at,
    )

    @staticmethod
    def _record(row: AnyRow) -> ApiKeyRecord:
        return from_row(ApiKeyRecord, row, permissions=frozenset(row.permissions))

    async def add(self, record: ApiKeyRecord, secret_hash: bytes) -> None:
        await self._conn.execute(
            insert(api_keys).values(
                tenant_id=self._tenant_id,
                id=record.id,
                name=record.name,
                secret_hash=secret_hash,
                permissions=sorted(record.permissions),
                created_by=record.created_by,
                created_at=record.created_at,
            )
        )

    def _key(self, key_id: UUID) -> ColumnElement[bool]:
        return self._row_of(api_keys, key_id)

    async def get(self, key_id: UUID) -> ApiKeyRecord | None:
        row = await self._first(select(*self._COLUMNS).where(self._key(key_id)))
        return self._record(row) if row else None

    async def secret_hash(self, key_id: UUID) -> bytes | None:
        value = await self._conn.scalar(select(api_keys.c.secret_hash).where(self._key(key_id)))
        return bytes(value) if value is not None else None

    async def list_all(self) -> list[ApiKeyRecord]:
        rows = await self._conn.execute(
            select(*self._COLUMNS)
            .where(api_keys.c.tenant_id == self._tenant_id)
            .order_by(api_keys.c.created_at)
        )
        return [self._record(r) for r in rows]

    async def revoke(self, key_id: UUID, at: datetime) -> None:
        await self._conn.execute(
            update(api_keys)
            .where(self._key(key_id), api_keys.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    async def touch(self, key_id: UUID, at: datetime) -> None:
        # At most one write a minute per key: authentication must not become a write path.
        last_used = api_keys.c.last_used_at
        await self._conn.execute(
            update(api_keys)
            .where(
                self._key(key_id),
                last_used.is_(None) | (last_used < at - timedelta(minutes=1)),
            )
            .values(last_used_at=at)
        )
