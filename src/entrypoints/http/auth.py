"""Authentication: a Bearer access token or an API key becomes the request's CallContext."""

from __future__ import annotations

from typing import Any

import structlog
from litestar.connection import ASGIConnection
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from application.identity.authentication import Authenticator
from application.shared.context import CallContext
from domain.shared.errors import AuthenticationFailed
from entrypoints.http.dependencies import container_of
from entrypoints.messages import negotiate

PUBLIC_PATHS = [
    "^/health$",
    "^/ready$",
    "^/metrics$",
    "^/schema",
    "^/api/v1/auth/login$",
    "^/api/v1/auth/refresh$",
]


class CredentialsMiddleware(AbstractAuthenticationMiddleware):
    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        authenticator = container_of(connection.app.state).get(Authenticator)
        header = connection.headers.get("authorization", "")
        api_key = connection.headers.get("x-api-key")
        scheme, _, credential = header.partition(" ")
        request_id = connection.scope.get("state", {}).get("request_id", "")
        ip = connection.client.host if connection.client else None
        language = negotiate(connection.headers.get("accept-language"))
        ctx: CallContext
        if api_key is not None and "authorization" in connection.headers:
            # One request, one identity: a second credential beside the first is refused,
            # never silently ignored (a bad token must not pass because a key was sent too).
            raise AuthenticationFailed("credentials_ambiguous")
        if api_key:
            ctx = await authenticator.from_api_key(api_key, request_id, ip, language)
        elif scheme.lower() == "bearer" and credential:
            ctx = await authenticator.from_access_token(
                credential.strip(), request_id, ip, language
            )
        else:
            raise AuthenticationFailed("authentication_required")
        structlog.contextvars.bind_contextvars(tenant_id=str(ctx.tenant_id), actor=ctx.actor.label)
        return AuthenticationResult(user=ctx, auth=ctx.actor.kind)
