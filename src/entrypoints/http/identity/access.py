"""/api/v1/users, /api/v1/roles, /api/v1/api-keys: tenant admins manage access (PLT-2)."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, delete, get, patch, post, put
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT

from application.identity.access_admin import (
    AssignRoles,
    CreateApiKey,
    CreateRole,
    CreateUser,
    DeleteRole,
    DeleteUser,
    EditRole,
    GetRole,
    GetUser,
    ListApiKeys,
    ListRoles,
    ListUsers,
    NewRole,
    NewUser,
    RevokeApiKey,
    RoleChanges,
    SetUserActive,
)
from application.identity.ports import ApiKeyRecord
from domain.identity.role import Role
from domain.identity.user import User
from entrypoints.http.conventions import Rendered, etagged
from entrypoints.http.dependencies import Context, Dispatch, ExpectedVersion, Idempotent
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

    @get("/", opt=needs(ListUsers))
    async def list_users(self, ctx: Context, use_cases: Dispatch) -> list[UserOut]:
        """The company's users."""
        return [user_out(u) for u in await use_cases.query(ctx, ListUsers())]

    @get("/{user_id:uuid}", opt=needs(GetUser))
    async def get_user(
        self, ctx: Context, use_cases: Dispatch, user_id: FromPath[UUID]
    ) -> Response[UserOut]:
        """One user with the keys of their roles (ETag: the version If-Match takes)."""
        return etagged(user_out, await use_cases.query(ctx, GetUser(user_id)))

    @post("/", opt=needs(CreateUser))
    async def create_user(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        data: JSONBody[UserIn],
    ) -> Response[UserOut]:
        """Create a user with a password and roles."""
        new = NewUser(data.email, data.display_name, data.password, data.roles, data.locale)
        return await idempotency.created(
            lambda: use_cases.run(ctx, CreateUser(new)),
            lambda user: Rendered(user_out(user), version=user.version),
        )

    @put("/{user_id:uuid}/roles", opt=needs(AssignRoles))
    async def assign_roles(
        self,
        ctx: Context,
        use_cases: Dispatch,
        user_id: FromPath[UUID],
        data: JSONBody[UserRolesIn],
        expected_version: ExpectedVersion,
    ) -> Response[UserOut]:
        """Replace the user's roles (If-Match)."""
        user = await use_cases.run(ctx, AssignRoles(user_id, data.roles, expected_version))
        return etagged(user_out, user)

    @patch("/{user_id:uuid}", opt=needs(SetUserActive))
    async def edit_user(
        self,
        ctx: Context,
        use_cases: Dispatch,
        user_id: FromPath[UUID],
        data: JSONBody[UserPatch],
        expected_version: ExpectedVersion,
    ) -> Response[UserOut]:
        """Deactivate (``active: false``: the user's sessions end at once) or reactivate."""
        user = await use_cases.run(ctx, SetUserActive(user_id, data.active, expected_version))
        return etagged(user_out, user)

    @delete(
        "/{user_id:uuid}",
        status_code=HTTP_204_NO_CONTENT,
        opt=needs(DeleteUser),
    )
    async def delete_user(
        self,
        ctx: Context,
        use_cases: Dispatch,
        user_id: FromPath[UUID],
        expected_version: ExpectedVersion,
    ) -> None:
        """Delete a user of the company."""
        await use_cases.run(ctx, DeleteUser(user_id, expected_version))


class RolesController(Controller):
    path = "/roles"
    tags = ["access"]

    @get("/", opt=needs(ListRoles))
    async def list_roles(self, ctx: Context, use_cases: Dispatch) -> list[RoleOut]:
        """The company's roles, built-in and custom."""
        return [role_out(r) for r in await use_cases.query(ctx, ListRoles())]

    @get("/{role_id:uuid}", opt=needs(GetRole))
    async def get_role(
        self, ctx: Context, use_cases: Dispatch, role_id: FromPath[UUID]
    ) -> Response[RoleOut]:
        """One role with its permissions."""
        return etagged(role_out, await use_cases.query(ctx, GetRole(role_id)))

    @post("/", opt=needs(CreateRole))
    async def create_role(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        data: JSONBody[RoleIn],
    ) -> Response[RoleOut]:
        """Create a custom role with a set of permissions."""
        new = NewRole(data.key, data.name, data.permissions, data.description)
        return await idempotency.created(
            lambda: use_cases.run(ctx, CreateRole(new)),
            lambda role: Rendered(role_out(role), version=role.version),
        )

    @patch("/{role_id:uuid}", opt=needs(EditRole))
    async def edit_role(
        self,
        ctx: Context,
        use_cases: Dispatch,
        role_id: FromPath[UUID],
        data: JSONBody[RolePatch],
        expected_version: ExpectedVersion,
    ) -> Response[RoleOut]:
        """Change a custom role's name, permissions or description (If-Match)."""
        changes = RoleChanges(data.name, data.permissions, data.description)
        return etagged(
            role_out, await use_cases.run(ctx, EditRole(role_id, changes, expected_version))
        )

    @delete(
        "/{role_id:uuid}",
        status_code=HTTP_204_NO_CONTENT,
        opt=needs(DeleteRole),
    )
    async def delete_role(
        self,
        ctx: Context,
        use_cases: Dispatch,
        role_id: FromPath[UUID],
        expected_version: ExpectedVersion,
    ) -> None:
        """Delete a custom role."""
        await use_cases.run(ctx, DeleteRole(role_id, expected_version))


class ApiKeysController(Controller):
    path = "/api-keys"
    tags = ["access"]

    @get("/", opt=needs(ListApiKeys))
    async def list_keys(self, ctx: Context, use_cases: Dispatch) -> list[ApiKeyOut]:
        """The company's API keys (never the keys themselves)."""
        return [api_key_out(k) for k in await use_cases.query(ctx, ListApiKeys())]

    @post("/", opt=needs(CreateApiKey))
    async def create_key(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        data: JSONBody[ApiKeyIn],
    ) -> Response[CreatedApiKeyOut]:
        """Create an API key; the key is shown in this answer only."""
        return await idempotency.created(
            lambda: use_cases.run(ctx, CreateApiKey(data.name, data.permissions)),
            lambda c: Rendered(CreatedApiKeyOut(c.key, api_key_out(c.record))),
        )

    @delete(
        "/{key_id:uuid}",
        status_code=HTTP_204_NO_CONTENT,
        opt=needs(RevokeApiKey),
    )
    async def revoke_key(self, ctx: Context, use_cases: Dispatch, key_id: FromPath[UUID]) -> None:
        """Revoke an API key: it stops working at once."""
        await use_cases.run(ctx, RevokeApiKey(key_id))
