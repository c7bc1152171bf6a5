"""/api/v1/inbox: the caller's own in-app messages (ORD-7, INV-3).

Any signed-in user reads their own inbox; no permission is needed. API keys have none
(403 ``inbox_users_only``). Another user's message id answers 404.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from application.notifications.inbox import Inbox
from entrypoints.http.conventions import Cursor, Limit, Rendered
from entrypoints.http.dependencies import Context, Idempotent
from entrypoints.http.notifications.schemas import (
    InboxMessageOut,
    InboxPageOut,
    MarkedReadOut,
    UnreadCountOut,
)
from entrypoints.http.permissions import needs


class InboxController(Controller):
    path = "/"

    @get("/", opt=needs(Inbox.list))
    async def list_messages(
        self,
        ctx: Context,
        inbox: NamedDependency[Inbox],
        unread: Annotated[bool, QueryParameter(name="unread")] = False,
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> InboxPageOut:
        """The caller's messages, newest first; ``unread=true`` for unread ones only."""
        page = await inbox.list(ctx, unread, cursor, limit)
        return InboxPageOut.of_page(page, InboxMessageOut.of)

    @get("/unread-count", opt=needs(Inbox.unread_count))
    async def unread_count(self, ctx: Context, inbox: NamedDependency[Inbox]) -> UnreadCountOut:
        return UnreadCountOut(await inbox.unread_count(ctx))

    @post("/{message_id:uuid}/read", opt=needs(Inbox.mark_read))
    async def mark_read(
        self,
        ctx: Context,
        inbox: NamedDependency[Inbox],
        idempotency: Idempotent,
        message_id: FromPath[UUID],
    ) -> Response[InboxMessageOut]:
        """Marks one message read (again: no change, 200)."""
        return await idempotency.respond(
            lambda: inbox.mark_read(ctx, message_id), lambda m: Rendered(InboxMessageOut.of(m))
        )

    @post("/read-all", opt=needs(Inbox.mark_all_read))
    async def mark_all_read(
        self, ctx: Context, inbox: NamedDependency[Inbox], idempotency: Idempotent
    ) -> Response[MarkedReadOut]:
        """Marks every unread message of the caller read."""
        return await idempotency.respond(
            lambda: inbox.mark_all_read(ctx), lambda n: Rendered(MarkedReadOut(n))
        )
