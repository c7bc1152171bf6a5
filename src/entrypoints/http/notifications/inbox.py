"""/api/v1/inbox: the caller's own in-app messages (ORD-7, INV-3).

Any signed-in user reads their own inbox; no permission is needed. API keys have none
(403 ``inbox_users_only``). Another user's message id answers 404.
"""

from __future__ import annotations

from typing import Annotated, Any, cast
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath, QueryParameter

from application.notifications.inbox import Inbox
from application.shared.context import CallContext
from domain.notifications.inbox import InboxMessage
from entrypoints.http.conventions import Cursor, IdempotencyKey, Limit, idempotent, json_response
from entrypoints.http.notifications.schemas import (
    InboxMessageOut,
    InboxPageOut,
    MarkedReadOut,
    UnreadCountOut,
)


def message_out(message: InboxMessage) -> InboxMessageOut:
    return InboxMessageOut(
        message.id,
        message.topic,
        message.title,
        message.body,
        message.link,
        message.created_at,
        message.read_at,
        message.unread,
    )


def _inbox(request: Request[CallContext, Any, State]) -> Inbox:
    inbox: Inbox = request.app.state.container.get(Inbox)
    return inbox


class InboxController(Controller):
    path = "/api/v1/inbox"
    tags = ["inbox"]

    @get("/")
    async def list_messages(
        self,
        request: Request[CallContext, Any, State],
        unread: Annotated[bool, QueryParameter(name="unread")] = False,
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> InboxPageOut:
        """The caller's messages, newest first; ``unread=true`` for unread ones only."""
        page = await _inbox(request).list(request.user, unread, cursor, limit)
        return InboxPageOut([message_out(m) for m in page.items], page.next_cursor)

    @get("/unread-count")
    async def unread_count(self, request: Request[CallContext, Any, State]) -> UnreadCountOut:
        return UnreadCountOut(await _inbox(request).unread_count(request.user))

    @post("/{message_id:uuid}/read")
    async def mark_read(
        self,
        request: Request[CallContext, Any, State],
        message_id: FromPath[UUID],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[InboxMessageOut]:
        """Marks one message read (again: no change, 200)."""
        inbox = _inbox(request)
        response = await idempotent(
            request,
            lambda: inbox.mark_read(request.user, message_id),
            lambda m: json_response(message_out(m)),
        )
        return cast("Response[InboxMessageOut]", response)  # the body is a rendered one

    @post("/read-all")
    async def mark_all_read(
        self,
        request: Request[CallContext, Any, State],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[MarkedReadOut]:
        """Marks every unread message of the caller read."""
        inbox = _inbox(request)
        response = await idempotent(
            request,
            lambda: inbox.mark_all_read(request.user),
            lambda n: json_response(MarkedReadOut(n)),
        )
        return cast("Response[MarkedReadOut]", response)
