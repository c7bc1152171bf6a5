"""Who is signed in to the console: the session's access token becomes the request's
``CallContext`` exactly as a Bearer token does in the API (``Authenticator``); a token about
to expire is refreshed first with the session's refresh token (rotated, as in the API). No
session, or one the identity module no longer honours, sends the user to the sign-in page."""

from __future__ import annotations

from typing import Any

import structlog
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from application.identity.authentication import Authenticator
from application.identity.sessions import Sessions
from application.shared.context import CallContext
from domain.shared.errors import AuthenticationFailed
from entrypoints.http.dependencies import container_of
from entrypoints.messages import asked_for
from entrypoints.web.session import chosen_language, keep_tokens, sign_out, tokens_of

#: Pages anyone may open: sign-in, the language switch, the static files.
PUBLIC = ["^/console/login$", "^/console/language$", "^/console/static/"]


def asked_language(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The user's choice in this browser, else Accept-Language's; None: the company's."""
    return chosen_language(connection) or asked_for(connection.headers.get("accept-language"))


class ConsoleAuthentication(AbstractAuthenticationMiddleware):
    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        tokens = tokens_of(connection)
        if tokens is None:
            raise NotAuthorizedException()
        container = container_of(connection.app.state)
        request_id = connection.scope.get("state", {}).get("request_id", "")
        ip = connection.client.host if connection.client else None
        language = asked_language(connection) or ""
        access = tokens.access
        try:
            page_load = (
                connection.scope.get("method") == "GET"
                and connection.headers.get("hx-request") != "true"
            )
            if tokens.due(page_load):
                pair = await container.get(Sessions).refresh(tokens.refresh, ip, request_id)
                keep_tokens(connection, pair)
                access = pair.access_token
            ctx: CallContext = await container.get(Authenticator).from_access_token(
                access, request_id, ip, language
            )
        except AuthenticationFailed:
            sign_out(connection)  # revoked, reused or expired: sign in again
            raise NotAuthorizedException() from None
        structlog.contextvars.bind_contextvars(tenant_id=str(ctx.tenant_id), actor=ctx.actor.label)
        return AuthenticationResult(user=ctx, auth="console")
