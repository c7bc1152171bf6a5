"""Settings → users: who works in the company, their roles, whether they may sign in."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.datastructures import State
from litestar.response import Template

from application.identity.users.queries import ListUsers
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.pages import page


class UserPages(Controller):
    path = "/settings/users"

    @get("/", name="console_users", opt=needs(ListUsers))
    async def users(
        self, request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch
    ) -> Template:
        users = await use_cases.query(ctx, ListUsers())
        users.sort(key=lambda user: (not user.active, user.display_name.lower()))
        return await page(request, use_cases, "identity/users.html", users=users)
