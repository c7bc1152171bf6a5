"""The next page of a pull asked for ahead (PLT-9, ORD-9, CHN-2; ``read_ahead.py``): inside
a pull a page asked ahead is taken once and not asked again; a different request drops it
and asks anew; its error is raised where the page is taken; outside a pull nothing is
asked ahead; what is left when the pull ends is cancelled."""

from __future__ import annotations

import asyncio
import gc
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from application.orders.channels.ports import ChannelRef, ChannelUnavailable, OrderPage
from application.orders.channels.read_ahead import PageRequest, ReadAhead

SINCE = datetime(2026, 11, 11, tzinfo=UTC)
FIRST = PageRequest(
    "simulated",
    "http://market",
    ChannelRef(uuid4(), "tmall_11", "tmall"),
    SINCE,
    SINCE + timedelta(hours=1),
    None,
)
SECOND = replace(FIRST, token="page-2")


class Platform:
    """Answers each request with an empty page naming the token asked; records the
    requests, and can hold an answer until released or refuse."""

    def __init__(self, refuse: bool = False) -> None:
        self.asked: list[PageRequest] = []
        self.cancelled: list[PageRequest] = []
        self.refuse = refuse
        self.release = asyncio.Event()
        self.release.set()

    async def fetch(self, request: PageRequest) -> OrderPage:
        self.asked.append(request)
        try:
            await self.release.wait()
        except asyncio.CancelledError:
            self.cancelled.append(request)
            raise
        if self.refuse:
            raise ChannelUnavailable(request.channel.code, 503, 5)
        return OrderPage(orders=(), next_page_token=f"after-{request.token}")


async def test_a_page_asked_ahead_is_taken_without_asking_again() -> None:
    platform, ahead = Platform(), ReadAhead()
    with ahead.during():
        first = await ahead.page(FIRST, platform.fetch)
        ahead.ask(SECOND, platform.fetch)
        await asyncio.sleep(0)  # the request is sent while the first page is placed
        assert platform.asked == [FIRST, SECOND]
        second = await ahead.page(SECOND, platform.fetch)
    assert (first.next_page_token, second.next_page_token) == ("after-None", "after-page-2")
    assert platform.asked == [FIRST, SECOND]


async def test_another_request_drops_the_page_asked_ahead_and_asks_anew() -> None:
    platform, ahead = Platform(), ReadAhead()
    with ahead.during():
        platform.release.clear()
        ahead.ask(SECOND, platform.fetch)
        await asyncio.sleep(0)
        moved = replace(SECOND, since=SINCE - timedelta(minutes=5))  # the sync point moved
        asking = asyncio.ensure_future(ahead.page(moved, platform.fetch))
        await asyncio.sleep(0)
        platform.release.set()
        page = await asking
    assert page.next_page_token == "after-page-2"
    assert (platform.asked, platform.cancelled) == ([SECOND, moved], [SECOND])


async def test_the_error_of_a_page_asked_ahead_is_raised_where_it_is_taken() -> None:
    platform, ahead = Platform(refuse=True), ReadAhead()
    with ahead.during():
        ahead.ask(SECOND, platform.fetch)
        await asyncio.sleep(0)
        with pytest.raises(ChannelUnavailable):
            await ahead.page(SECOND, platform.fetch)
    assert platform.asked == [SECOND]


async def test_nothing_is_asked_ahead_outside_a_pull() -> None:
    platform, ahead = Platform(), ReadAhead()
    ahead.ask(SECOND, platform.fetch)
    await asyncio.sleep(0)
    assert platform.asked == []
    await ahead.page(SECOND, platform.fetch)
    assert platform.asked == [SECOND]


async def test_a_page_asked_ahead_and_not_taken_is_cancelled_when_the_pull_ends() -> None:
    platform, ahead = Platform(), ReadAhead()
    platform.release.clear()
    with ahead.during():
        ahead.ask(SECOND, platform.fetch)
        await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert platform.cancelled == [SECOND]
    # a refusal nobody took is not reported as an error never retrieved
    reported: list[dict[str, object]] = []
    asyncio.get_running_loop().set_exception_handler(lambda _, context: reported.append(context))
    refusing = Platform(refuse=True)
    with ahead.during():
        ahead.ask(SECOND, refusing.fetch)
        await asyncio.sleep(0)
        await asyncio.sleep(0)
    gc.collect()
    await asyncio.sleep(0)
    assert refusing.asked == [SECOND] and reported == []
