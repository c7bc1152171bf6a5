"""HTTP conventions every module uses: ETag / If-Match, JSON responses, Idempotency-Key."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, Protocol, TypeVar

import msgspec
from litestar import Request, Response
from litestar.datastructures import State, UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import HeaderParameter, QueryParameter

from application.shared.context import CallContext
from application.shared.idempotency import IdempotencyScope, StoredResponse
from application.shared.pagination import MAX_LIMIT
from application.shared.runner import IdempotentCall, Replayed, idempotent_call
from application.shared.versions import ANY_VERSION, VersionChoice
from domain.shared.errors import ValidationFailed

T = TypeVar("T")
B = TypeVar("B")


class Versioned(Protocol):
    @property
    def version(self) -> int: ...


V = TypeVar("V", bound=Versioned)

IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # 1-255 printable ASCII characters
IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        required=False,
        description="Makes the POST safe to retry: the first response is replayed for 24 h.",
        schema_extra={"pattern": IDEMPOTENCY_KEY.pattern},  # stated; checked in ``respond``
    ),
]
Cursor = Annotated[
    str | None,
    QueryParameter(name="cursor", description="`nextCursor` of the previous page."),
]
Limit = Annotated[
    int | None,
    QueryParameter(
        name="limit",
        description="Items per page, 1 to 200 (50).",
        # documented here, checked by the use case (a 422 in the caller's language)
        schema_extra={"minimum": 1, "maximum": MAX_LIMIT},
    ),
]
IfMatch = Annotated[
    str | None,
    HeaderParameter(
        name="If-Match", required=False, description="The ETag you last read (required)."
    ),
]

# One entity-tag of an If-Match list (RFC 9110 §8.8.3): optionally weak, then quoted.
_ENTITY_TAG = re.compile(r'\s*(W/)?"([^"]*)"\s*(?:,|$)')
_OUR_TAG = re.compile(r"^v(\d{1,12})$")

NEVER_MATCHES = -1
_KEPT_HEADERS = ("etag", "location")


def etag(version: int) -> str:
    return f'"v{version}"'


def version_in(if_match: str | None) -> int | None:
    """The version(s) an If-Match header accepts: None when absent; ``NEVER_MATCHES`` when
    it names none of ours (so it is never mistaken for a missing one, 428); a
    ``VersionChoice`` for ``*`` or a list of several. The use case answers 428 for a
    missing one only after finding the entity, so another tenant's id stays a 404.

    Every form RFC 9110 allows is read: ``"v3"``, ``W/"v3"``, ``*`` and lists such as
    ``"v3", W/"v4"``. A weak tag is taken for the strong one it names: the service only
    makes strong tags, and a proxy that weakens them (compressing, say) should not make
    every update a 412."""
    if if_match is None:
        return None
    text = if_match.strip()
    if text == "*":
        return ANY_VERSION
    versions: set[int] = set()
    position = 0
    while position < len(text):
        found = _ENTITY_TAG.match(text, position)
        if found is None or found.end() == position:
            return NEVER_MATCHES  # not an entity-tag list at all
        ours = _OUR_TAG.match(found.group(2))
        if ours:
            versions.add(int(ours.group(1)))
        position = found.end()
    if not versions:
        return NEVER_MATCHES
    if len(versions) == 1:
        return versions.pop()
    return VersionChoice(frozenset(versions))


def with_etag(body: B, version: int, status_code: int = 200) -> Response[B]:
    return Response(body, status_code=status_code, headers={"ETag": etag(version)})


def etagged(out: Callable[[V], B], entity: V) -> Response[B]:
    """``out(entity)`` with the entity's version as its ETag: what a read or an update answers."""
    return with_etag(out(entity), entity.version)


@dataclass(frozen=True)
class Rendered(Generic[B]):
    """What a POST answers: its body, and where its resource lives and at which version
    (the Location and ETag headers), when it has one."""

    body: B
    location: str | None = None
    version: int | None = None

    def response(self, status_code: int) -> Response[B]:
        headers = {}
        if self.version is not None:
            headers["ETag"] = etag(self.version)
        if self.location is not None:
            headers["Location"] = self.location
        return Response(self.body, status_code=status_code, headers=headers)


def _stored(response: Response[Any], request_hash: bytes) -> StoredResponse:
    headers = {k: v for k, v in response.headers.items() if k.lower() in _KEPT_HEADERS}
    content = response.content
    body = content if isinstance(content, bytes) else msgspec.json.encode(content)
    return StoredResponse(request_hash, response.status_code or 200, body, headers)


def _sent(stored: StoredResponse, **headers: str) -> Response[Any]:
    """A stored response's JSON sent byte for byte, whatever type it encodes."""
    return Response(
        content=stored.body,
        status_code=stored.status_code,
        media_type="application/json",
        headers={**stored.headers, **headers},
    )


def _replay(stored: StoredResponse) -> Response[Any]:
    """The first response again."""
    return _sent(stored, **{"Idempotent-Replayed": "true"})


async def _body_hash(request: Request[Any, Any, State]) -> bytes:
    """What makes two sends of a POST the same request. A JSON body: its bytes. A multipart
    form (an upload): its fields and each file's name and content, whatever boundary the
    client chose — and read from the parsed form, since Litestar streamed the body into it
    and the raw bytes are gone (asking for them was a 500 for every keyed upload)."""
    if request.content_type[0] != RequestEncodingType.MULTI_PART:
        return hashlib.sha256(await request.body()).digest()
    digest = hashlib.sha256(b"multipart\0")
    form = await request.form()
    for name, value in sorted(form.multi_items(), key=lambda item: item[0]):
        digest.update(name.encode() + b"\0")
        if isinstance(value, UploadFile):
            digest.update(b"file\0" + (value.filename or "").encode() + b"\0")
            content = hashlib.sha256()
            await value.seek(0)
            while chunk := await value.read(1 << 16):
                content.update(chunk)
            await value.seek(0)
            digest.update(content.digest())
        else:
            digest.update(b"text\0" + str(value).encode() + b"\0")
    return digest.digest()


class Idempotency:
    """A POST run once per Idempotency-Key (docs/architecture.md), injected as ``idempotency``.

    A replay returns the first response; the same key with another body gets 422; a
    duplicate arriving while the first is still in flight gets 409. 5xx responses are
    never stored (their transaction rolls back), so a retry runs again.
    """

    def __init__(self, request: Request[CallContext, Any, State], key: str | None) -> None:
        self._request = request
        self._key = key

    async def created(
        self,
        call: Callable[[], Awaitable[T]],
        render: Callable[[T], Rendered[B]],
        request_hash: Callable[[], Awaitable[bytes]] | None = None,
    ) -> Response[B]:
        """201 Created, with the new resource's Location and ETag."""
        return await self.respond(call, render, 201, request_hash)

    async def respond(
        self,
        call: Callable[[], Awaitable[T]],
        render: Callable[[T], Rendered[B]],
        status_code: int = 200,
        request_hash: Callable[[], Awaitable[bytes]] | None = None,
    ) -> Response[B]:
        """``request_hash`` replaces the hash of the raw body where the body was streamed
        (multipart uploads: the boundary differs between two sends of the same form)."""
        if self._key is None:
            return render(await call()).response(status_code)
        if not IDEMPOTENCY_KEY.match(self._key):
            raise ValidationFailed.single("Idempotency-Key", "invalid_idempotency_key")
        request = self._request
        body_hash = await request_hash() if request_hash else await _body_hash(request)
        scope = IdempotencyScope(
            request.user.actor.label, request.method, request.url.path, self._key
        )
        rendered: list[StoredResponse] = []

        def stored(result: T) -> StoredResponse:
            answer = _stored(render(result).response(status_code), body_hash)
            rendered.append(answer)
            return answer

        try:
            with idempotent_call(IdempotentCall(scope, body_hash, stored)):
                result = await call()
        except Replayed as replay:
            return _replay(replay.stored)
        if rendered:  # the answer stored with the change, sent as stored: rendered once
            return _sent(rendered[-1])
        return render(result).response(status_code)
