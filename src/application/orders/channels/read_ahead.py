"""The next page of a channel's window asked for while the current one is placed (PLT-9).

A pull takes a window page after page, each page in its own transaction (``intake.py``):
the platform's answer, then the page's statements. The next page's request needs only the
current page's token, so within one ``ChannelIntake.pull`` it goes out as soon as the
current page has come back, and is read (over HTTP, parsed into ``PlatformOrder``s) while
the database writes the current one — off the critical path of the burst.

The next transaction still decides: it reads its sync point under the channel's lock and
uses the page asked for ahead only if that request is exactly the one it would send (the
same connector, channel, window and token); otherwise it is dropped and the page asked for
again. A page asked for ahead answers what the platform answers for that window and token,
as the same call a moment later would (orders modified since belong to a later window).
An error of that call (``ChannelError`` once its retries are spent) is raised where the
page is taken, as it was when the call was made there. Nothing is asked ahead outside a
pull (``during``), and what is left when the pull stops is cancelled (an error it ended
with is then not reported as never retrieved: ``cancel`` clears that).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from application.orders.channels.ports import ChannelRef, OrderPage

Fetch = Callable[["PageRequest"], Awaitable[OrderPage]]


@dataclass(frozen=True)
class PageRequest:
    """A page of a channel's window as its connector is asked for it."""

    kind: str
    endpoint: str
    channel: ChannelRef
    since: datetime
    until: datetime
    token: str | None


_Asked = dict[UUID, tuple[PageRequest, "asyncio.Future[OrderPage]"]]


class ReadAhead:
    def __init__(self) -> None:
        self._asked: ContextVar[_Asked | None] = ContextVar("pages_asked_ahead", default=None)

    @contextlib.contextmanager
    def during(self) -> Iterator[None]:
        """Pages are asked ahead inside this block (one pull); those not taken by its end
        are cancelled."""
        asked: _Asked = {}
        reset = self._asked.set(asked)
        try:
            yield
        finally:
            self._asked.reset(reset)
            for _, task in asked.values():
                task.cancel()

    async def page(self, request: PageRequest, fetch: Fetch) -> OrderPage:
        """The page ``request`` names: the one asked ahead when it is that request, else
        asked now."""
        asked = self._asked.get()
        ahead = asked.pop(request.channel.channel_id, None) if asked is not None else None
        if ahead is not None:
            if ahead[0] == request:
                return await ahead[1]
            ahead[1].cancel()
        return await fetch(request)

    def ask(self, request: PageRequest, fetch: Fetch) -> None:
        """Ask for ``request`` now, in the background, when inside a pull."""
        asked = self._asked.get()
        if asked is None:
            return
        earlier = asked.pop(request.channel.channel_id, None)
        if earlier is not None:
            earlier[1].cancel()
        asked[request.channel.channel_id] = (request, asyncio.ensure_future(fetch(request)))
