"""HTTP conventions every module uses: ETag / If-Match, JSON responses, Idempotency-Key."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import msgspec
from litestar import Request, Response
from litestar.datastructures import State
from litestar.params import HeaderParameter, QueryParameter

from application.shared.context import CallContext
from application.shared.idempotency import IdempotencyScope, StoredResponse
from application.shared.runner import IdempotentCall, Replayed, idempotent_call
from domain.shared.errors import ValidationFailed

T = TypeVar("T")

IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        required=False,
        description="Makes the POST safe to retry: the first response is replayed for 24 h.",
    ),
]
Cursor = Annotated[
    str | None,
    QueryParameter(name="cursor", description="`nextCursor` of the previous page."),
]
Limit = Annotated[
    int | None, QueryParameter(name="limit", description="Items per page, 1 to 200 (50).")
]
IfMatch = Annotated[
    str | None,
    HeaderParameter(
        name="If-Match", required=False, description="The ETag you last read (required)."
    ),
]

_IF_MATCH = re.compile(r'^(?:W/)?"v(\d+)"$')
_PRINTABLE = re.compile(r"^[\x21-\x7e]{1,255}$")
NEVER_MATCHES = -1
_KEPT_HEADERS = ("etag", "location")


def etag(version: int) -> str:
    return f'"v{version}"'


def expected_version(request: Request[Any, Any, Any]) -> int | None:
    """The version named by If-Match; None when absent. The use case answers 428 for a
    missing one only after finding the entity, so another tenant's id stays a 404."""
    header = request.headers.get("if-match")
    if header is None:
        return None
    found = _IF_MATCH.match(header.strip())
    return int(found.group(1)) if found else NEVER_MATCHES


def json_response(
    body: Any, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response[bytes]:
    return Response(
        content=msgspec.json.encode(body),
        status_code=status_code,
        media_type="application/json",
        headers=headers or {},
    )


def _stored(response: Response[bytes], request_hash: bytes) -> StoredResponse:
    headers = {k: v for k, v in response.headers.items() if k.lower() in _KEPT_HEADERS}
    return StoredResponse(
        request_hash, response.status_code or 200, bytes(response.content), headers
    )


async def idempotent(
    request: Request[CallContext, Any, State],
    call: Callable[[], Awaitable[T]],
    render: Callable[[T], Response[bytes]],
    request_hash: Callable[[], Awaitable[bytes]] | None = None,
) -> Response[bytes]:
    """Run a POST use case once per Idempotency-Key (docs/architecture.md).

    A replay returns the first response; the same key with another body gets 422; a
    duplicate arriving while the first is still in flight gets 409. 5xx responses are
    never stored (their transaction rolls back), so a retry runs again. ``request_hash``
    replaces the hash of the raw body where the body was streamed (multipart uploads).
    """
    key = request.headers.get("idempotency-key")
    if key is None:
        return render(await call())
    if not _PRINTABLE.match(key):
        raise ValidationFailed.single("Idempotency-Key", "invalid_idempotency_key")
    body_hash = (
        await request_hash() if request_hash else hashlib.sha256(await request.body()).digest()
    )
    scope = IdempotencyScope(request.user.actor.label, request.method, request.url.path, key)
    announced = IdempotentCall(scope, body_hash, lambda result: _stored(render(result), body_hash))
    try:
        with idempotent_call(announced):
            result = await call()
    except Replayed as replay:
        return Response(
            content=replay.stored.body,
            status_code=replay.stored.status_code,
            media_type="application/json",
            headers={**replay.stored.headers, "Idempotent-Replayed": "true"},
        )
    return render(result)
