"""Tenant admins manage users, custom roles and API keys (PLT-2): the facade that builds
each use case's command or query (``users/``, ``roles/``, ``api_keys/``) and hands it to
the runner."""

from __future__ import annotations

from uuid import UUID

from application.identity.api_keys.create import CreateApiKey, CreateApiKeyHandler, CreatedApiKey
from application.identity.api_keys.queries import ListApiKeys, ListApiKeysHandler
from application.identity.api_keys.revoke import RevokeApiKey, RevokeApiKeyHandler
from application.identity.ports import ApiKeyRecord
from application.identity.roles.create import CreateRole, CreateRoleHandler, NewRole
from application.identity.roles.delete import DeleteRole, DeleteRoleHandler
from application.identity.roles.edit import EditRole, EditRoleHandler, RoleChanges
from application.identity.roles.queries import GetRole, GetRoleHandler, ListRoles, ListRolesHandler
from application.identity.security import PasswordHasher, PasswordPolicy
from application.identity.users.assign_roles import AssignRoles, AssignRolesHandler
from application.identity.users.create import CreateUser, CreateUserHandler, NewUser
from application.identity.users.delete import DeleteUser, DeleteUserHandler
from application.identity.users.queries import ListUsers, ListUsersHandler
from application.identity.users.status import SetUserActive, SetUserActiveHandler
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.runner import CommandRunner
from application.shared.use_case import runs
from domain.identity.role import Role
from domain.identity.user import User

__all__ = ["AccessAdministration", "CreatedApiKey", "NewRole", "NewUser", "RoleChanges"]


class AccessAdministration:
    def __init__(
        self,
        runner: CommandRunner,
        hasher: PasswordHasher,
        policy: PasswordPolicy,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._runner = runner
        self._create_user = CreateUserHandler(hasher, policy)
        self._create_role = CreateRoleHandler()
        self._create_api_key = CreateApiKeyHandler()
        self._revoke_api_key = RevokeApiKeyHandler()
        self._set_user_active = SetUserActiveHandler()

    # ---- users -----------------------------------------------------------------------
    @runs(CreateUser)
    async def create_user(self, ctx: CallContext, new: NewUser) -> User:
        return await self._runner.run(ctx, CreateUser(new), self._create_user)

    @runs(AssignRoles)
    async def assign_roles(
        self, ctx: CallContext, user_id: UUID, role_keys: list[str], expected_version: int | None
    ) -> User:
        command = AssignRoles(user_id, role_keys, expected_version)
        return await self._runner.run(ctx, command, AssignRolesHandler())

    @runs(SetUserActive)
    async def set_user_active(
        self, ctx: CallContext, user_id: UUID, active: bool, expected_version: int | None
    ) -> User:
        """Deactivate (sessions revoked at once) or reactivate a user."""
        command = SetUserActive(user_id, active, expected_version)
        return await self._runner.run(ctx, command, self._set_user_active)

    @runs(DeleteUser)
    async def delete_user(
        self, ctx: CallContext, user_id: UUID, expected_version: int | None
    ) -> None:
        await self._runner.run(ctx, DeleteUser(user_id, expected_version), DeleteUserHandler())

    @runs(ListUsers)
    async def list_users(self, ctx: CallContext) -> list[User]:
        return await self._runner.query(ctx, ListUsers(), ListUsersHandler())

    # ---- roles -----------------------------------------------------------------------
    @runs(ListRoles)
    async def list_roles(self, ctx: CallContext) -> list[Role]:
        return await self._runner.query(ctx, ListRoles(), ListRolesHandler())

    @runs(GetRole)
    async def get_role(self, ctx: CallContext, role_id: UUID) -> Role:
        return await self._runner.query(ctx, GetRole(role_id), GetRoleHandler())

    @runs(CreateRole)
    async def create_role(self, ctx: CallContext, new: NewRole) -> Role:
        return await self._runner.run(ctx, CreateRole(new), self._create_role)

    @runs(EditRole)
    async def edit_role(
        self, ctx: CallContext, role_id: UUID, changes: RoleChanges, expected_version: int | None
    ) -> Role:
        command = EditRole(role_id, changes, expected_version)
        return await self._runner.run(ctx, command, EditRoleHandler())

    @runs(DeleteRole)
    async def delete_role(
        self, ctx: CallContext, role_id: UUID, expected_version: int | None
    ) -> None:
        await self._runner.run(ctx, DeleteRole(role_id, expected_version), DeleteRoleHandler())

    # ---- API keys --------------------------------------------------------------------
    @runs(CreateApiKey)
    async def create_api_key(
        self, ctx: CallContext, name: str, permissions: list[str]
    ) -> CreatedApiKey:
        return await self._runner.run(ctx, CreateApiKey(name, permissions), self._create_api_key)

    @runs(ListApiKeys)
    async def list_api_keys(self, ctx: CallContext) -> list[ApiKeyRecord]:
        return await self._runner.query(ctx, ListApiKeys(), ListApiKeysHandler())

    @runs(RevokeApiKey)
    async def revoke_api_key(self, ctx: CallContext, key_id: UUID) -> None:
        await self._runner.run(ctx, RevokeApiKey(key_id), self._revoke_api_key)
