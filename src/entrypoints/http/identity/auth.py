"""/api/v1/auth: log in, refresh, log out, who am I."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from application.identity.sessions import Sessions, TokenPair
from application.identity.users.me import WhoAmI
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.identity.schemas import LoginIn, MeOut, RefreshIn, TokenOut
from entrypoints.http.permissions import needs


def _tokens(pair: TokenPair) -> TokenOut:
    return TokenOut(pair.access_token, pair.refresh_token, pair.expires_in)


def _ip(request: Request[Any, Any, Any]) -> str | None:
    return request.client.host if request.client else None


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]

    @post("/login", status_code=HTTP_200_OK, security=[])
    async def login(
        self,
        request: Request[Any, Any, State],
        sessions: NamedDependency[Sessions],
        data: JSONBody[LoginIn],
    ) -> TokenOut:
        """Log in with the company slug, email and password. Failed attempts are limited."""
        pair = await sessions.login(
            data.tenant,
            data.email,
            data.password,
            _ip(request),
            request.scope["state"]["request_id"],
        )
        return _tokens(pair)

    @post("/refresh", status_code=HTTP_200_OK, security=[])
    async def refresh(
        self,
        request: Request[Any, Any, State],
        sessions: NamedDependency[Sessions],
        data: JSONBody[RefreshIn],
    ) -> TokenOut:
        """Spend a refresh token for a new pair. Reusing a spent one ends the session."""
        pair = await sessions.refresh(
            data.refresh_token, _ip(request), request.scope["state"]["request_id"]
        )
        return _tokens(pair)

    @post("/logout", status_code=HTTP_204_NO_CONTENT, opt=needs())
    async def logout(self, ctx: Context, sessions: NamedDependency[Sessions]) -> None:
        """End the session: its refresh token stops working."""
        await sessions.logout(ctx)

    @get("/me", opt=needs(WhoAmI))
    async def me(self, ctx: Context, use_cases: Dispatch) -> MeOut:
        """The caller: tenant, actor label, a user's email, name, language and role keys
        (an API key: its name), and the permissions held."""
        me = await use_cases.query(ctx, WhoAmI())
        return MeOut.of(me)
