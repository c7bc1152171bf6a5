"""``If-None-Match`` on reads (RFC 9110 §13.1.2): a client that already holds the current
representation of a resource is answered ``304 Not Modified`` without it.

Every read of a versioned resource answers with its ``ETag`` (``conventions.etag``); a
``GET`` that sends one of the tags it was given back in ``If-None-Match`` (weak comparison:
``W/"v3"`` matches ``"v3"``), or ``*``, gets 304 when the answer would have been 200 with
that tag (the API answers no ``HEAD``). The handler still runs — permission, tenant and the
read itself are checked as for any read, so a 304 never says more than a 200 would — only
the body is left out. The 304 keeps the headers a cache needs (RFC 9110 §15.4.5) and the
request id.
"""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from application.shared.versions import ANY_VERSION, accepts
from entrypoints.http.conventions import NEVER_MATCHES, version_in

# What a 304 sends of the 200's headers: the ones RFC 9110 §15.4.5 names, and ours.
_KEPT = frozenset(
    {b"etag", b"cache-control", b"content-location", b"date", b"expires", b"vary"}
    | {b"x-request-id", b"content-language"}
)


def none_match(header: str, etag: str) -> bool:
    """Whether ``If-None-Match: header`` matches the response's ``etag``: both read as
    If-Match is (``version_in``: weak tags, lists, ``*``), compared as a version check
    compares them (``accepts``)."""
    asked, current = version_in(header), version_in(etag)
    if asked is None or current is None or current == NEVER_MATCHES:
        return asked is ANY_VERSION  # ``*``: any representation there is
    return asked != NEVER_MATCHES and accepts(asked, current)


class NotModified:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        asked = next((v for k, v in scope["headers"] if k == b"if-none-match"), None)
        if asked is None:
            await self.app(scope, receive, send)
            return
        header = asked.decode("latin-1")
        unchanged = False

        async def answer(message: Message) -> None:
            nonlocal unchanged
            if message["type"] == "http.response.start" and message["status"] == 200:
                headers = list(message.get("headers", []))
                etag = next((v for k, v in headers if k.lower() == b"etag"), None)
                if etag is not None and none_match(header, etag.decode("latin-1")):
                    unchanged = True
                    kept = [(k, v) for k, v in headers if k.lower() in _KEPT]
                    message = {**message, "status": 304, "headers": kept}
            elif message["type"] == "http.response.body" and unchanged:
                if message.get("more_body", False):
                    return  # the representation the client already holds: not sent
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, answer)
