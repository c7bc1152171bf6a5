"""Sign in with the same identity as the API (company, email, password: ``Sessions.login``,
throttled alike), sign out (the session's refresh token is revoked), choose a language."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template

from application.identity.sessions import Sessions
from domain.shared.errors import AuthenticationFailed, RateLimited
from entrypoints.http.dependencies import Context
from entrypoints.messages import LANGUAGES, message
from entrypoints.web.pages import HOME, language_of, page, safe_next
from entrypoints.web.session import choose_language, keep_tokens, sign_out


class SignInForm(msgspec.Struct):
    tenant: str = ""
    email: str = ""
    password: str = ""
    next: str = HOME


class LanguageForm(msgspec.Struct):
    language: str = ""
    next: str = HOME


Form = Body(media_type=RequestEncodingType.URL_ENCODED)


class SignInPages(Controller):
    @get("/login", name="console_login")
    async def form(
        self, request: Request[Any, Any, State], next: FromQuery[str] = HOME
    ) -> Template:
        return await page(request, None, "identity/login.html", next=safe_next(next), form=None)

    @post("/login", status_code=303)
    async def sign_in(
        self,
        request: Request[Any, Any, State],
        sessions: NamedDependency[Sessions],
        data: Annotated[SignInForm, Form],
    ) -> Redirect | Template:
        ip = request.client.host if request.client else None
        try:
            pair = await sessions.login(
                data.tenant.strip(),
                data.email.strip(),
                data.password,
                ip,
                request.scope["state"]["request_id"],
            )
        except (AuthenticationFailed, RateLimited) as error:
            return await page(
                request,
                None,
                "identity/login.html",
                status=429 if isinstance(error, RateLimited) else 401,
                next=safe_next(data.next),
                form=data,
                error=message(error.code, language_of(request), **error.params),
            )
        keep_tokens(request, pair)
        return Redirect(safe_next(data.next), status_code=303)

    @post("/logout", status_code=303)
    async def sign_out(
        self, request: Request[Any, Any, State], ctx: Context, sessions: NamedDependency[Sessions]
    ) -> Redirect:
        await sessions.logout(ctx)
        sign_out(request)
        return Redirect("/console/login", status_code=303)

    @post("/language", status_code=303)
    async def language(
        self, request: Request[Any, Any, State], data: Annotated[LanguageForm, Form]
    ) -> Redirect:
        if data.language in LANGUAGES:
            choose_language(request, data.language)
        return Redirect(safe_next(data.next), status_code=303)
