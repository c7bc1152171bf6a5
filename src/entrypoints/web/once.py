"""A console form that creates something runs once per form (the API's Idempotency-Key,
for a form): the form carries a key (``forms.form_key``), the use case runs under it
through the runner's ``idempotent_call`` — the key claimed in the command's transaction
and the new record's page stored with the change, both committed or neither — and the
same form sent again (a double click, a reload, Back and send) answers the page of what
the first one created, creating nothing.

The key alone names the request (its hash is the key's): whatever the form holds the
second time, it is the form that was already sent, so its first creation is shown — as
the payment form's reference records one payment however it is sent again. A refused
attempt stores nothing (its transaction rolled back): the form, shown again with its
problem, keeps its key and may be sent corrected."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from application.shared.context import CallContext
from application.shared.idempotency import IdempotencyScope, StoredResponse
from application.shared.runner import IdempotentCall, Replayed, idempotent_call
from domain.shared.errors import ValidationFailed
from entrypoints.http.conventions import IDEMPOTENCY_KEY
from entrypoints.web.pages import safe_next

T = TypeVar("T")
LOCATION = "location"


@dataclass(frozen=True)
class Once(Generic[T]):
    """Where the created record's page is, and the record — None when the form had been
    sent before (nothing was run: ``location`` is the first creation's page)."""

    location: str
    created: T | None


def _hash(key: str) -> bytes:
    return hashlib.sha256(b"console-form\0" + key.encode()).digest()


async def once(
    ctx: CallContext,
    path: str,
    key: str,
    create: Callable[[], Awaitable[T]],
    location_of: Callable[[T], str],
) -> Once[T]:
    """``create()`` (one use case run) once per ``key`` of the form posted to ``path``
    by this user; a key already used answers the page its first run created."""
    if not IDEMPOTENCY_KEY.match(key):
        raise ValidationFailed.single("key", "invalid_idempotency_key")
    scope = IdempotencyScope(ctx.actor.label, "POST", path, key)
    request_hash = _hash(key)

    def stored(created: T) -> StoredResponse:
        location = location_of(created)
        return StoredResponse(request_hash, 303, location.encode(), {LOCATION: location})

    try:
        with idempotent_call(IdempotentCall(scope, request_hash, stored)):
            created = await create()
    except Replayed as replay:
        return Once(safe_next(replay.stored.headers.get(LOCATION, "")), None)
    return Once(location_of(created), created)
