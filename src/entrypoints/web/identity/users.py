"""Settings → users: who works in the company, their roles, whether they may sign in; a
user added with a first password and roles, roles changed, a user deactivated (their
sessions end at once) or reactivated."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.response import Template

from application.identity.roles.queries import ListRoles
from application.identity.users.assign_roles import AssignRoles
from application.identity.users.create import CreateUser, NewUser
from application.identity.users.queries import GetUser, ListUsers
from application.identity.users.status import SetUserActive
from domain.identity.permissions import ROLES_READ
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.messages import LANGUAGES
from entrypoints.web.forms import form_of, version_in
from entrypoints.web.identity.role_names import ROLE_NAMES
from entrypoints.web.pages import done, page

USERS = "/console/settings/users"


class UserPages(Controller):
    path = "/settings/users"

    @get("/", name="console_users", opt=needs(ListUsers))
    async def users(
        self, request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch
    ) -> Template:
        users = await use_cases.query(ctx, ListUsers())
        users.sort(key=lambda user: (not user.active, user.display_name.lower()))
        roles = await use_cases.query(ctx, ListRoles()) if ROLES_READ in ctx.permissions else []
        return await page(
            request,
            use_cases,
            "identity/users.html",
            role_names=ROLE_NAMES,
            users=users,
            roles=sorted(roles, key=lambda r: r.key),
            languages=LANGUAGES,
            create=CreateUser,
        )

    @post("/", opt=needs(CreateUser))
    async def create(
        self, request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch
    ) -> Response[Any]:
        texts, lists = await form_of(request)
        new = NewUser(
            texts.get("email", "").strip(),
            texts.get("display_name", "").strip(),
            texts.get("password", ""),
            lists.get("roles", []),
            texts.get("locale", "zh-CN"),
        )
        user = await use_cases.run(ctx, CreateUser(new))
        return done(request, f"{USERS}/{user.id}", "users.created", email=user.email)

    @get("/{user_id:uuid}", name="console_user", opt=needs(GetUser))
    async def user(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        user_id: FromPath[UUID],
    ) -> Template:
        user = await use_cases.query(ctx, GetUser(user_id))
        roles = await use_cases.query(ctx, ListRoles()) if ROLES_READ in ctx.permissions else []
        return await page(
            request,
            use_cases,
            "identity/user.html",
            role_names=ROLE_NAMES,
            user=user,
            roles=sorted(roles, key=lambda r: r.key),
            manage=AssignRoles,
        )

    @post("/{user_id:uuid}/roles", opt=needs(AssignRoles))
    async def assign(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        user_id: FromPath[UUID],
    ) -> Response[Any]:
        texts, lists = await form_of(request)
        user = await use_cases.run(
            ctx, AssignRoles(user_id, lists.get("roles", []), version_in(texts))
        )
        return done(request, f"{USERS}/{user.id}", "users.roles_saved")

    @post("/{user_id:uuid}/active", opt=needs(SetUserActive))
    async def set_active(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        user_id: FromPath[UUID],
    ) -> Response[Any]:
        texts, _ = await form_of(request)
        active = texts.get("active") == "true"
        user = await use_cases.run(ctx, SetUserActive(user_id, active, version_in(texts)))
        key = "users.activated" if user.active else "users.deactivated"
        return done(request, f"{USERS}/{user.id}", key)
