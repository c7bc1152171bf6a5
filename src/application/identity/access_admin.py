"""Tenant admins manage users, custom roles and API keys (PLT-2)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.identity.credentials import digest, new_api_key, parse_api_key
from application.identity.ports import IDENTITY, ApiKeyRecord
from application.identity.security import PasswordHasher
from application.shared.access_policy import AccessPolicy
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWork
from application.shared.versions import check_version
from domain.identity import permissions as perm
from domain.identity.role import Role
from domain.identity.user import User, check_password_strength, normalise_email
from domain.shared.audit import AuditEntry, diff
from domain.shared.errors import (
    Conflict,
    NotFound,
    ValidationFailed,
)


@dataclass(frozen=True)
class NewUser:
    email: str
    display_name: str
    password: str
    role_keys: list[str]
    locale: str = "zh-CN"


@dataclass(frozen=True)
class NewRole:
    key: str
    name: str
    permissions: list[str]
    description: str = ""


@dataclass(frozen=True)
class RoleChanges:
    name: str | None = None
    permissions: list[str] | None = None
    description: str | None = None


@dataclass(frozen=True)
class CreatedApiKey:
    record: ApiKeyRecord
    key: str  # shown once


async def _roles_by_key(uow: UnitOfWork, keys: list[str]) -> list[Role]:
    roles = []
    for key in keys:
        role = await uow.of(IDENTITY).roles.by_key(key)
        if role is None:
            raise ValidationFailed.single("roles", "unknown_role", role=key)
        roles.append(role)
    return roles


class AccessAdministration:
    def __init__(
        self,
        runner: CommandRunner,
        access: AccessPolicy,
        hasher: PasswordHasher,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._runner = runner
        self._access = access
        self._hasher = hasher
        self._clock = clock
        self._ids = ids

    # ---- users -----------------------------------------------------------------------
    async def create_user(self, ctx: CallContext, new: NewUser) -> User:
        async def command(uow: UnitOfWork) -> User:
            self._access.require(ctx, perm.USERS_MANAGE)
            email = normalise_email(new.email)
            check_password_strength(new.password)
            if not new.display_name.strip():
                raise ValidationFailed.single("displayName", "required")
            if await uow.of(IDENTITY).users.by_email(email) is not None:
                raise Conflict("email_taken")
            roles = await _roles_by_key(uow, new.role_keys)
            self._no_escalation(ctx, roles)
            user = User(
                id=self._ids.new_id(),
                tenant_id=ctx.tenant_id,
                email=email,
                display_name=new.display_name.strip(),
                password_hash=self._hasher.hash(new.password),
                locale=new.locale,
                role_ids=[r.id for r in roles],
            )
            await uow.of(IDENTITY).users.add(user)
            await uow.audit.record(
                AuditEntry(
                    "user.create", "user", user.id, detail={"roles": sorted(r.key for r in roles)}
                )
            )
            return user

        return await self._runner.run(ctx, "user.create", "user", command)

    async def assign_roles(
        self, ctx: CallContext, user_id: UUID, role_keys: list[str], expected_version: int | None
    ) -> User:
        async def command(uow: UnitOfWork) -> User:
            self._access.require(ctx, perm.USERS_MANAGE)
            user = await uow.of(IDENTITY).users.get(user_id)
            if user is None:
                raise NotFound(entity="user")
            check_version(expected_version, user.version)
            roles = await _roles_by_key(uow, role_keys)
            self._no_escalation(ctx, roles)
            before = sorted(str(r) for r in user.role_ids)
            user.role_ids = [r.id for r in roles]
            user.version += 1
            await uow.of(IDENTITY).users.save(user)
            await uow.audit.record(
                AuditEntry(
                    "user.assign_roles",
                    "user",
                    user.id,
                    changes=diff(
                        {"roles": before}, {"roles": sorted(str(r) for r in user.role_ids)}
                    ),
                )
            )
            return user

        return await self._runner.run(ctx, "user.assign_roles", "user", command, entity_id=user_id)

    async def list_users(self, ctx: CallContext) -> list[User]:
        async def read(uow: UnitOfWork) -> list[User]:
            self._access.require(ctx, perm.USERS_READ)
            return await uow.of(IDENTITY).users.list_all()

        return await self._runner.query(ctx, read)

    def _no_escalation(self, ctx: CallContext, roles: list[Role]) -> None:
        """Nobody hands out a permission they do not hold themselves."""
        for role in roles:
            missing = role.permissions - ctx.permissions
            if missing:
                raise ValidationFailed.single(
                    "roles", "permission_escalation", permissions=sorted(missing)
                )

    # ---- roles -----------------------------------------------------------------------
    async def list_roles(self, ctx: CallContext) -> list[Role]:
        async def read(uow: UnitOfWork) -> list[Role]:
            self._access.require(ctx, perm.ROLES_READ)
            return await uow.of(IDENTITY).roles.list_all()

        return await self._runner.query(ctx, read)

    async def get_role(self, ctx: CallContext, role_id: UUID) -> Role:
        async def read(uow: UnitOfWork) -> Role:
            self._access.require(ctx, perm.ROLES_READ)
            role = await uow.of(IDENTITY).roles.get(role_id)
            if role is None:
                raise NotFound(entity="role")
            return role

        return await self._runner.query(ctx, read)

    async def create_role(self, ctx: CallContext, new: NewRole) -> Role:
        async def command(uow: UnitOfWork) -> Role:
            self._access.require(ctx, perm.ROLES_MANAGE)
            role = Role.custom(
                self._ids.new_id(), new.key, new.name, new.permissions, new.description
            )
            self._no_escalation(ctx, [role])
            if await uow.of(IDENTITY).roles.by_key(role.key) is not None:
                raise Conflict("role_key_taken", key=role.key)
            await uow.of(IDENTITY).roles.add(role)
            await uow.audit.record(
                AuditEntry(
                    "role.create",
                    "role",
                    role.id,
                    changes=diff({}, {"name": role.name, "permissions": sorted(role.permissions)}),
                )
            )
            return role

        return await self._runner.run(ctx, "role.create", "role", command)

    async def edit_role(
        self, ctx: CallContext, role_id: UUID, changes: RoleChanges, expected_version: int | None
    ) -> Role:
        async def command(uow: UnitOfWork) -> Role:
            self._access.require(ctx, perm.ROLES_MANAGE)
            role = await uow.of(IDENTITY).roles.get(role_id)
            if role is None:
                raise NotFound(entity="role")
            check_version(expected_version, role.version)
            before = {
                "name": role.name,
                "permissions": sorted(role.permissions),
                "description": role.description,
            }
            role.edit(changes.name, changes.permissions, changes.description)
            self._no_escalation(ctx, [role])
            await uow.of(IDENTITY).roles.save(role)
            after = {
                "name": role.name,
                "permissions": sorted(role.permissions),
                "description": role.description,
            }
            await uow.audit.record(
                AuditEntry("role.update", "role", role.id, changes=diff(before, after))
            )
            return role

        return await self._runner.run(ctx, "role.update", "role", command, entity_id=role_id)

    async def delete_role(
        self, ctx: CallContext, role_id: UUID, expected_version: int | None
    ) -> None:
        async def command(uow: UnitOfWork) -> None:
            self._access.require(ctx, perm.ROLES_MANAGE)
            role = await uow.of(IDENTITY).roles.get(role_id)
            if role is None:
                raise NotFound(entity="role")
            check_version(expected_version, role.version)
            if role.builtin:
                raise Conflict("builtin_role_immutable", key=role.key)
            if await uow.of(IDENTITY).roles.members(role_id):
                raise Conflict("role_in_use", key=role.key)
            await uow.of(IDENTITY).roles.delete(role_id)
            await uow.audit.record(
                AuditEntry("role.delete", "role", role_id, detail={"key": role.key})
            )

        await self._runner.run(ctx, "role.delete", "role", command, entity_id=role_id)

    # ---- API keys --------------------------------------------------------------------
    async def create_api_key(
        self, ctx: CallContext, name: str, permissions: list[str]
    ) -> CreatedApiKey:
        async def command(uow: UnitOfWork) -> CreatedApiKey:
            self._access.require(ctx, perm.API_KEYS_MANAGE)
            if not name.strip():
                raise ValidationFailed.single("name", "required")
            scopes = perm.validate_permissions(permissions)
            if scopes - ctx.permissions:
                raise ValidationFailed.single(
                    "permissions",
                    "permission_escalation",
                    permissions=sorted(scopes - ctx.permissions),
                )
            key_id = self._ids.new_id()
            key = new_api_key(ctx.tenant_id, key_id)
            record = ApiKeyRecord(
                key_id, name.strip(), scopes, ctx.actor.label, self._clock.now(), None, None
            )
            await uow.of(IDENTITY).api_keys.add(record, digest(parse_api_key(key).secret))
            await uow.audit.record(
                AuditEntry(
                    "api_key.create",
                    "api_key",
                    key_id,
                    detail={"name": record.name, "permissions": sorted(scopes)},
                )
            )
            return CreatedApiKey(record, key)

        return await self._runner.run(ctx, "api_key.create", "api_key", command)

    async def list_api_keys(self, ctx: CallContext) -> list[ApiKeyRecord]:
        async def read(uow: UnitOfWork) -> list[ApiKeyRecord]:
            self._access.require(ctx, perm.API_KEYS_MANAGE)
            return await uow.of(IDENTITY).api_keys.list_all()

        return await self._runner.query(ctx, read)

    async def revoke_api_key(self, ctx: CallContext, key_id: UUID) -> None:
        async def command(uow: UnitOfWork) -> None:
            self._access.require(ctx, perm.API_KEYS_MANAGE)
            if await uow.of(IDENTITY).api_keys.get(key_id) is None:
                raise NotFound(entity="api_key")
            await uow.of(IDENTITY).api_keys.revoke(key_id, self._clock.now())
            await uow.audit.record(AuditEntry("api_key.revoke", "api_key", key_id))

        await self._runner.run(ctx, "api_key.revoke", "api_key", command, entity_id=key_id)
