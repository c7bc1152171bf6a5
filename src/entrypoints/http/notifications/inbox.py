"""/api/v1/inbox: the caller's own in-app messages (ORD-7, INV-3).

Any signed-in user reads their own inbox; no permission is needed. API keys have none
(403 ``inbox_users_only``). Another user's message id answers 404.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.params import FromPath, QueryParameter

from application.notifications.inbox import CountUnread, ListInbox, MarkAllRead, MarkRead
from entrypoints.http.conventions import Cursor, Limit, Rendered
from entrypoints.http.dependencies import Context, Dispatch, Idempotent
from entrypoints.http.notifications.schemas import (
    InboxMessageOut,
    InboxPageOut,
    MarkedReadOut,
    UnreadCountOut,
)
from entrypoints.http.permissions import needs


class InboxController(Controller):
    path = "/"

    @get("/", opt=needs(ListInbox))
    async def list_messages(
        self,
        ctx: Context,
        use_cases: Dispatch,
        unread: Annotated[bool, QueryParameter(name="unread")] = False,
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> InboxPageOut:
        """The caller's messages, newest first; ``unread=true`` for unread ones only."""
        page = await use_cases.query(ctx, ListInbox.window(unread, cursor, limit))
        return InboxPageOut.of_page(page, InboxMessageOut.of)

    @get("/unread-count", opt=needs(CountUnread))
    async def unread_count(self, ctx: Context, use_cases: Dispatch) -> UnreadCountOut:
        """How many messages of the caller's inbox are unread."""
        return UnreadCountOut(await use_cases.query(ctx, CountUnread()))

    @post("/{message_id:uuid}/read", opt=needs(MarkRead))
    async def mark_read(
        self, ctx: Context, use_cases: Dispatch, idempotency: Idempotent, message_id: FromPath[UUID]
    ) -> Response[InboxMessageOut]:
        """Marks one message read (again: no change, 200)."""
        return await idempotency.respond(
            lambda: use_cases.run(ctx, MarkRead(message_id)),
            lambda m: Rendered(InboxMessageOut.of(m)),
        )

    @post("/read-all", opt=needs(MarkAllRead))
    async def mark_all_read(
        self, ctx: Context, use_cases: Dispatch, idempotency: Idempotent
    ) -> Response[MarkedReadOut]:
        """Marks every unread message of the caller read."""
        return await idempotency.respond(
            lambda: use_cases.run(ctx, MarkAllRead()), lambda n: Rendered(MarkedReadOut(n))
        )
