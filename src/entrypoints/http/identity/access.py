"""/api/v1/users, /api/v1/roles, /api/v1/api-keys: tenant admins manage access (PLT-2)."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT

from application.identity.access_admin import AccessAdministration, NewRole, NewUser, RoleChanges
from application.identity.ports import ApiKeyRecord
from domain.identity.role import Role
from domain.identity.user import User
from entrypoints.http.conventions import Rendered, etagged
from entrypoints.http.dependencies import Context, ExpectedVersion, Idempotent
from entrypoints.http.identity.schemas import (
    ApiKeyIn,
    ApiKeyOut,
    CreatedApiKeyOut,
    RoleIn,
    RoleOut,
    RolePatch,
    UserIn,
    UserOut,
    UserPatch,
    UserRolesIn,
)
from entrypoints.http.permissions import needs


def user_out(user: User) -> UserOut:
    """The user with the keys of its roles (what ``UserIn.roles`` takes)."""
    return UserOut.of(user, roles=user.role_keys)


def role_out(role: Role) -> RoleOut:
    return RoleOut.of(role, permissions=sorted(role.permissions))


def api_key_out(record: ApiKeyRecord) -> ApiKeyOut:
    return ApiKeyOut.of(record, permissions=sorted(record.permissions))


class UsersController(Controller):
    path = "/users"
    tags = ["access"]

    @get("/", opt=needs(AccessAdministration.list_users))
    async def list_users(
        self, ctx: Context, admin: NamedDependency[AccessAdministration]
    ) -> list[UserOut]:
        return [user_out(u) for u in await admin.list_users(ctx)]

    @post("/", opt=needs(AccessAdministration.create_user))
    async def create_user(
        self,
        ctx: Context,
        admin: NamedDependency[AccessAdministration],
        idempotency: Idempotent,
        data: JSONBody[UserIn],
    ) -> Response[UserOut]:
        new = NewUser(data.email, data.display_name, data.password, data.roles, data.locale)
        return await idempotency.created(
            lambda: admin.create_user(ctx, new),
            lambda user: Rendered(user_out(user), version=user.version),
        )

    @put("/{user_id:uuid}/roles", opt=needs(AccessAdministration.assign_roles))
    async def assign_roles(
        self,
        ctx: Context,
        admin: NamedDependency[AccessAdministration],
        user_id: FromPath[UUID],
        data: JSONBody[UserRolesIn],
        expected_version: ExpectedVersion,
    ) -> Response[UserOut]:
        user = await admin.assign_roles(ctx, user_id, data.roles, expected_version)
        return etagged(user_out, user)

    @patch("/{user_id:uuid}", opt=needs(AccessAdministration.set_user_active))
    async def edit_user(
        self,
        ctx: Context,
        admin: NamedDependency[AccessAdministration],
        user_id: FromPath[UUID],
        data: JSONBody[UserPatch],
        expected_version: ExpectedVersion,
    ) -> Response[UserOut]:
        """Deactivate (``active: false``: the user's sessions end at once) or reactivate."""
        user = await admin.set_user_active(ctx, user_id, data.active, expected_version)
        return etagged(user_out, user)

    @delete(
        "/{user_id:uuid}",
        status_code=HTTP_204_NO_CONTENT,
        opt=needs(AccessAdministration.delete_user),
    )
    async def delete_user(
        self,
        ctx: Context,
        admin: NamedDependency[AccessAdministration],
        user_id: FromPath[UUID],
        expected_version: ExpectedVersion,
    ) -> None:
        await admin.delete_user(ctx, user_id, expected_version)


class RolesController(Controller):
    path = "/roles"
    tags = ["access"]

    @get("/", opt=needs(AccessAdministration.list_roles))
    async def list_roles(
        self, ctx: Context, admin: NamedDependency[AccessAdministration]
    ) -> list[RoleOut]:
        return [role_out(r) for r in await admin.list_roles(ctx)]

    @get("/{role_id:uuid}", opt=needs(AccessAdministration.get_role))
    async def get_role(
        self, ctx: Context, admin: NamedDependency[AccessAdministration], role_id: FromPath[UUID]
    ) -> Response[RoleOut]:
        return etagged(role_out, await admin.get_role(ctx, role_id))

    @post("/", opt=needs(AccessAdministration.create_role))
    async def create_role(
        self,
        ctx: Context,
        admin: NamedDependency[AccessAdministration],
        idempotency: Idempotent,
        data: JSONBody[RoleIn],
    ) -> Response[RoleOut]:
        new = NewRole(data.key, data.name, data.permissions, data.description)
        return await idempotency.created(
            lambda: admin.create_role(ctx, new),
            lambda role: Rendered(role_out(role), version=role.version),
        )

    @patch("/{role_id:uuid}", opt=needs(AccessAdministration.edit_role))
    async def edit_role(
        self,
        ctx: Context,
        admin: NamedDependency[AccessAdministration],
        role_id: FromPath[UUID],
        data: JSONBody[RolePatch],
        expected_version: ExpectedVersion,
    ) -> Response[RoleOut]:
        changes = RoleChanges(data.name, data.permissions, data.description)
        return etagged(role_out, await admin.edit_role(ctx, role_id, changes, expected_version))

    @delete(
        "/{role_id:uuid}",
        status_code=HTTP_204_NO_CONTENT,
        opt=needs(AccessAdministration.delete_role),
    )
    async def delete_role(
        self,
        ctx: Context,
        admin: NamedDependency[AccessAdministration],
        role_id: FromPath[UUID],
        expected_version: ExpectedVersion,
    ) -> None:
        await admin.delete_role(ctx, role_id, expected_version)


class ApiKeysController(Controller):
    path = "/api-keys"
    tags = ["access"]

    @get("/", opt=needs(AccessAdministration.list_api_keys))
    async def list_keys(
        self, ctx: Context, admin: NamedDependency[AccessAdministration]
    ) -> list[ApiKeyOut]:
        return [api_key_out(k) for k in await admin.list_api_keys(ctx)]

    @post("/", opt=needs(AccessAdministration.create_api_key))
    async def create_key(
        self,
        ctx: Context,
        admin: NamedDependency[AccessAdministration],
        idempotency: Idempotent,
        data: JSONBody[ApiKeyIn],
    ) -> Response[CreatedApiKeyOut]:
        return await idempotency.created(
            lambda: admin.create_api_key(ctx, data.name, data.permissions),
            lambda c: Rendered(CreatedApiKeyOut(c.key, api_key_out(c.record))),
        )

    @delete(
        "/{key_id:uuid}",
        status_code=HTTP_204_NO_CONTENT,
        opt=needs(AccessAdministration.revoke_api_key),
    )
    async def revoke_key(
        self, ctx: Context, admin: NamedDependency[AccessAdministration], key_id: FromPath[UUID]
    ) -> None:
        await admin.revoke_api_key(ctx, key_id)
