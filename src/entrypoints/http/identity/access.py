"""/api/v1/users, /api/v1/roles, /api/v1/api-keys: tenant admins manage access (PLT-2)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT

from application.identity.access_admin import AccessAdministration, NewRole, NewUser, RoleChanges
from application.identity.ports import ApiKeyRecord
from application.shared.context import CallContext
from domain.identity.role import Role
from domain.identity.user import User
from entrypoints.http.conventions import (
    IdempotencyKey,
    IfMatch,
    etag,
    expected_version,
    idempotent,
    json_response,
)
from entrypoints.http.identity.schemas import (
    ApiKeyIn,
    ApiKeyOut,
    CreatedApiKeyOut,
    RoleIn,
    RoleOut,
    RolePatch,
    UserIn,
    UserOut,
    UserRolesIn,
)


def user_out(user: User) -> UserOut:
    return UserOut(user.id, user.email, user.display_name, user.active, user.role_ids, user.version)


def role_out(role: Role) -> RoleOut:
    return RoleOut(
        role.id,
        role.key,
        role.name,
        role.description,
        role.builtin,
        sorted(role.permissions),
        role.version,
    )


def api_key_out(record: ApiKeyRecord) -> ApiKeyOut:
    return ApiKeyOut(
        record.id,
        record.name,
        sorted(record.permissions),
        record.created_by,
        record.created_at,
        record.revoked_at,
        record.last_used_at,
    )


class UsersController(Controller):
    path = "/api/v1/users"
    tags = ["access"]

    @get("/")
    async def list_users(self, request: Request[CallContext, Any, State]) -> list[UserOut]:
        users = await request.app.state.container.get(AccessAdministration).list_users(request.user)
        return [user_out(u) for u in users]

    @post("/")
    async def create_user(
        self,
        request: Request[CallContext, Any, State],
        data: JSONBody[UserIn],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[bytes]:
        admin = request.app.state.container.get(AccessAdministration)
        new = NewUser(data.email, data.display_name, data.password, data.roles, data.locale)
        return await idempotent(
            request,
            lambda: admin.create_user(request.user, new),
            lambda u: json_response(user_out(u), 201, {"ETag": etag(u.version)}),
        )

    @put("/{user_id:uuid}/roles")
    async def assign_roles(
        self,
        request: Request[CallContext, Any, State],
        user_id: FromPath[UUID],
        data: JSONBody[UserRolesIn],
        if_match: IfMatch = None,
    ) -> Response[UserOut]:
        user = await request.app.state.container.get(AccessAdministration).assign_roles(
            request.user, user_id, data.roles, expected_version(request)
        )
        return Response(user_out(user), headers={"ETag": etag(user.version)})


class RolesController(Controller):
    path = "/api/v1/roles"
    tags = ["access"]

    @get("/")
    async def list_roles(self, request: Request[CallContext, Any, State]) -> list[RoleOut]:
        roles = await request.app.state.container.get(AccessAdministration).list_roles(request.user)
        return [role_out(r) for r in roles]

    @get("/{role_id:uuid}")
    async def get_role(
        self, request: Request[CallContext, Any, State], role_id: FromPath[UUID]
    ) -> Response[RoleOut]:
        role = await request.app.state.container.get(AccessAdministration).get_role(
            request.user, role_id
        )
        return Response(role_out(role), headers={"ETag": etag(role.version)})

    @post("/")
    async def create_role(
        self,
        request: Request[CallContext, Any, State],
        data: JSONBody[RoleIn],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[bytes]:
        admin = request.app.state.container.get(AccessAdministration)
        new = NewRole(data.key, data.name, data.permissions, data.description)
        return await idempotent(
            request,
            lambda: admin.create_role(request.user, new),
            lambda r: json_response(role_out(r), 201, {"ETag": etag(r.version)}),
        )

    @patch("/{role_id:uuid}")
    async def edit_role(
        self,
        request: Request[CallContext, Any, State],
        role_id: FromPath[UUID],
        data: JSONBody[RolePatch],
        if_match: IfMatch = None,
    ) -> Response[RoleOut]:
        role = await request.app.state.container.get(AccessAdministration).edit_role(
            request.user,
            role_id,
            RoleChanges(data.name, data.permissions, data.description),
            expected_version(request),
        )
        return Response(role_out(role), headers={"ETag": etag(role.version)})

    @delete("/{role_id:uuid}", status_code=HTTP_204_NO_CONTENT)
    async def delete_role(
        self,
        request: Request[CallContext, Any, State],
        role_id: FromPath[UUID],
        if_match: IfMatch = None,
    ) -> None:
        await request.app.state.container.get(AccessAdministration).delete_role(
            request.user, role_id, expected_version(request)
        )


class ApiKeysController(Controller):
    path = "/api/v1/api-keys"
    tags = ["access"]

    @get("/")
    async def list_keys(self, request: Request[CallContext, Any, State]) -> list[ApiKeyOut]:
        keys = await request.app.state.container.get(AccessAdministration).list_api_keys(
            request.user
        )
        return [api_key_out(k) for k in keys]

    @post("/")
    async def create_key(
        self,
        request: Request[CallContext, Any, State],
        data: JSONBody[ApiKeyIn],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[bytes]:
        admin = request.app.state.container.get(AccessAdministration)
        return await idempotent(
            request,
            lambda: admin.create_api_key(request.user, data.name, data.permissions),
            lambda c: json_response(CreatedApiKeyOut(c.key, api_key_out(c.record)), 201),
        )

    @delete("/{key_id:uuid}", status_code=HTTP_204_NO_CONTENT)
    async def revoke_key(
        self, request: Request[CallContext, Any, State], key_id: FromPath[UUID]
    ) -> None:
        await request.app.state.container.get(AccessAdministration).revoke_api_key(
            request.user, key_id
        )
