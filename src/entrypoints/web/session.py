"""The console's session: an encrypted, HttpOnly cookie (Litestar's client-side session,
AES-GCM) holding the signed-in user's access and refresh tokens, the chosen language and
the messages to show on the next page. The tokens are the API's own (same identity, same
15-minute access token rechecked on every request, same rotating refresh token), so
signing out or revoking the session in the API ends the console's too."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.session.client_side import CookieBackendConfig

from application.identity.sessions import TokenPair
from bootstrap.settings import Settings
from entrypoints.web.secrets import session_key

COOKIE = "shopkeeper_console"
PATH = "/console"
# The API's paths never read or set the cookie (its path is /console besides).
OUTSIDE_CONSOLE = ["^/api/", "^/health$", "^/ready$", "^/metrics$", "^/schema"]
MAX_AGE = 12 * 3600  # a working day; the refresh token may live longer, the cookie not
# Seconds before the access token expires that a page load refreshes it. Only a page load
# (a GET that is not htmx's) refreshes early: polls and scans arrive in bursts, and two
# refreshes at once with one refresh token would spend it twice (reuse ends the session).
REFRESH_MARGIN = 180


def cookie_config(settings: Settings) -> CookieBackendConfig:
    return CookieBackendConfig(
        secret=session_key(settings),
        key=COOKIE,
        path=PATH,
        max_age=MAX_AGE,
        httponly=True,  # never readable by scripts
        secure=not settings.is_development,
        samesite="lax",
        exclude=OUTSIDE_CONSOLE,
    )


@dataclass(frozen=True)
class Tokens:
    access: str
    refresh: str
    expires_at: float

    def due(self, page_load: bool) -> bool:
        """Refresh before using the access token: it has expired, or a page load finds it
        about to."""
        margin = REFRESH_MARGIN if page_load else 0
        return time.time() >= self.expires_at - margin


def session_of(connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any]:
    session = connection.scope.get("session")
    return session if isinstance(session, dict) else {}


def tokens_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Tokens | None:
    session = session_of(connection)
    access, refresh, expires = session.get("access"), session.get("refresh"), session.get("exp")
    if isinstance(access, str) and isinstance(refresh, str) and isinstance(expires, int | float):
        return Tokens(access, refresh, float(expires))
    return None


def keep_tokens(connection: ASGIConnection[Any, Any, Any, Any], pair: TokenPair) -> None:
    session = session_of(connection)
    session.update(
        access=pair.access_token,
        refresh=pair.refresh_token,
        exp=time.time() + pair.expires_in,
    )
    connection.set_session(session)


def sign_out(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """Forget the tokens; the chosen language stays."""
    language = session_of(connection).get("lang")
    connection.set_session({"lang": language} if language else {})


def chosen_language(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    language = session_of(connection).get("lang")
    return language if isinstance(language, str) else None


def choose_language(connection: ASGIConnection[Any, Any, Any, Any], language: str) -> None:
    session = session_of(connection)
    session["lang"] = language
    connection.set_session(session)


def flash(
    connection: ASGIConnection[Any, Any, Any, Any], level: str, said: str, /, **params: Any
) -> None:
    """A message for the next page the user sees (after a redirect): its id and
    parameters, so it is said in the language of the page that shows it."""
    session = session_of(connection)
    note = {"level": level, "key": said, "params": params}
    session["flash"] = [*session.get("flash", []), note]
    connection.set_session(session)


def take_flashes(connection: ASGIConnection[Any, Any, Any, Any]) -> list[dict[str, Any]]:
    session = session_of(connection)
    shown = session.pop("flash", [])
    if shown:
        connection.set_session(session)
    return list(shown)
