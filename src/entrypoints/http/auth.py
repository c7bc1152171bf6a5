"""Authentication: a Bearer access token or an API key becomes the request's CallContext."""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Sequence
from typing import Any

import structlog
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import Guard

from application.identity.authentication import Authenticator
from application.shared.context import CallContext
from domain.shared.errors import AuthenticationFailed, PermissionDenied
from entrypoints.http.dependencies import container_of
from entrypoints.http.middleware import Network
from entrypoints.messages import asked_for

PUBLIC_PATHS = [
    "^/health$",
    "^/ready$",
    "^/metrics$",
    "^/schema",
    "^/api/v1/auth/login$",
    "^/api/v1/auth/refresh$",
    "^/console(/|$)",  # the console signs in with its own session (entrypoints/web/auth.py)
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
        # No language asked for: "" lets the tenant's default apply (Authenticator).
        language = asked_for(connection.headers.get("accept-language")) or ""
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


def metrics_guard(internal: Sequence[Network], token: str) -> Guard:
    """Who may read /metrics: a caller on an internal network (loopback and
    ``SHOPKEEPER_METRICS_NETWORKS``), or anyone sending ``Authorization: Bearer`` with
    ``SHOPKEEPER_METRICS_TOKEN`` (none set: nobody else). Anyone else gets 403
    ``metrics_not_public``: the figures tell an outsider the traffic and the error rate."""

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        host = connection.client.host if connection.client else ""
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            address = None
        if address is not None and any(address in network for network in internal):
            return
        scheme, _space, given = connection.headers.get("authorization", "").partition(" ")
        if token and scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token):
            return
        raise PermissionDenied("metrics_not_public")

    return guard
