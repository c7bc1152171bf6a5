"""The inbox: newest first, unread only at a click, one message or all marked read."""

from __future__ import annotations

import re
from functools import cache
from typing import Any
from uuid import UUID

from litestar import Controller, Litestar, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from application.notifications.inbox.mark_all_read import MarkAllRead
from application.notifications.inbox.mark_read import MarkRead
from application.notifications.inbox.queries import ListInbox
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.pages import done, page

_PARAMETER = re.compile(r"\{[^}]+\}")


@cache
def _console_pages(app: Litestar) -> tuple[re.Pattern[str], ...]:
    """The console's GET pages as patterns (``/console/orders/{order_id:uuid}``)."""
    return tuple(
        re.compile("^" + _PARAMETER.sub("[^/]+", route.path) + "$")  # letters, -, _ and /
        for route in app.routes
        if route.path.startswith("/console/") and "GET" in route.methods
    )


def console_link(app: Litestar, link: str | None) -> str | None:
    """A message's link (the API's path of what it is about, ``/orders/<id>``) as the
    console page showing it; None when the console has no such page."""
    if not link or not link.startswith("/") or link.startswith("//"):
        return None
    page = f"/console{link}"
    return page if any(p.match(page) for p in _console_pages(app)) else None


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
        links = {item.id: console_link(request.app, item.link) for item in found.items}
        return await page(
            request,
            use_cases,
            "notifications/inbox.html",
            found=found,
            unread=unread,
            links=links,
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
