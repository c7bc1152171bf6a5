"""Settings → roles: the built-in roles and the company's own, each with its permissions;
a custom role created or changed by ticking permissions (a caller hands out only what they
hold: the use case refuses the rest), or deleted when nobody holds it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.response import Template

from application.identity.roles.create import CreateRole, NewRole
from application.identity.roles.delete import DeleteRole
from application.identity.roles.edit import EditRole, RoleChanges
from application.identity.roles.queries import GetRole, ListRoles
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.forms import form_of, version_in
from entrypoints.web.identity.permission_choices import permission_groups
from entrypoints.web.identity.role_names import ROLE_NAMES
from entrypoints.web.pages import done, page

ROLES = "/console/settings/roles"


class RolePages(Controller):
    path = "/settings/roles"

    @get("/", name="console_roles", opt=needs(ListRoles))
    async def roles(
        self, request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch
    ) -> Template:
        roles = await use_cases.query(ctx, ListRoles())
        return await page(
            request,
            use_cases,
            "identity/roles.html",
            role_names=ROLE_NAMES,
            roles=sorted(roles, key=lambda r: (not r.builtin, r.key)),
            groups=permission_groups(),
            create=CreateRole,
        )

    @post("/", opt=needs(CreateRole))
    async def create(
        self, request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch
    ) -> Response[Any]:
        texts, lists = await form_of(request)
        new = NewRole(
            texts.get("key", "").strip(),
            texts.get("name", "").strip(),
            lists.get("permissions", []),
            texts.get("description", "").strip(),
        )
        role = await use_cases.run(ctx, CreateRole(new))
        return done(request, f"{ROLES}/{role.id}", "roles.created", key=role.key)

    @get("/{role_id:uuid}", name="console_role", opt=needs(GetRole))
    async def role(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        role_id: FromPath[UUID],
    ) -> Template:
        role = await use_cases.query(ctx, GetRole(role_id))
        return await page(
            request,
            use_cases,
            "identity/role.html",
            role_names=ROLE_NAMES,
            role=role,
            groups=permission_groups(),
            edit=EditRole,
        )

    @post("/{role_id:uuid}", opt=needs(EditRole))
    async def edit(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        role_id: FromPath[UUID],
    ) -> Response[Any]:
        texts, lists = await form_of(request)
        changes = RoleChanges(
            texts.get("name", "").strip(),
            lists.get("permissions", []),
            texts.get("description", "").strip(),
        )
        role = await use_cases.run(ctx, EditRole(role_id, changes, version_in(texts)))
        return done(request, f"{ROLES}/{role.id}", "roles.saved", key=role.key)

    @post("/{role_id:uuid}/delete", opt=needs(DeleteRole))
    async def delete(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        role_id: FromPath[UUID],
    ) -> Response[Any]:
        texts, _ = await form_of(request)
        await use_cases.run(ctx, DeleteRole(role_id, version_in(texts)))
        return done(request, ROLES, "roles.deleted")
