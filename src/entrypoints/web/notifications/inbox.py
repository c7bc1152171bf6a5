"""The inbox: newest first, unread only at a click, one message or all marked read."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from application.notifications.inbox.mark_all_read import MarkAllRead
from application.notifications.inbox.mark_read import MarkRead
from application.notifications.inbox.queries import ListInbox
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.pages import done, page


class InboxPages(Controller):
    @get("/", name="console_inbox", opt=needs(ListInbox))
    async def inbox(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        unread: FromQuery[bool] = False,
        cursor: FromQuery[str | None] = None,
    ) -> Template:
        found = await use_cases.query(ctx, ListInbox.window(unread, cursor, None))
        return await page(
            request, use_cases, "notifications/inbox.html", found=found, unread=unread
        )

    @post("/{message_id:uuid}/read", opt=needs(MarkRead))
    async def read(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        message_id: FromPath[UUID],
    ) -> Response[Any]:
        await use_cases.run(ctx, MarkRead(message_id))
        return done(request, "/console/inbox", "inbox.marked")

    @post("/read-all", opt=needs(MarkAllRead))
    async def read_all(
        self, request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch
    ) -> Response[Any]:
        count = await use_cases.run(ctx, MarkAllRead())
        return done(request, "/console/inbox", "inbox.all_marked", count=count)
