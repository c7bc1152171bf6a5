"""A console client per test: its own cookie jar (session and CSRF cookies) against the
same app and container as the API client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from litestar import Litestar
from playwright.async_api import Browser, Page

from tests.e2e.console.browser import DESKTOP, chromium, serving
from tests.e2e.console.support import ConsoleClient


@pytest.fixture(scope="session")
def console_app(app: Litestar) -> Litestar:
    """The session's app (tests/conftest.py): the console is served by the same one."""
    return app


@pytest.fixture
async def console(console_app: Litestar) -> AsyncIterator[ConsoleClient]:
    transport = httpx.ASGITransport(app=console_app, client=("203.0.113.9", 5555))
    async with httpx.AsyncClient(transport=transport, base_url="http://shopkeeper.test") as client:
        yield ConsoleClient(client)


@pytest.fixture(scope="session")
async def console_url(console_app: Litestar) -> AsyncIterator[str]:
    async with serving(console_app) as url:
        yield url


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as running:
        yield running


@pytest.fixture
async def tab(browser: Browser, console_url: str) -> AsyncIterator[Page]:
    """A fresh browser context (its own cookies; Accept-Language zh-CN) with one page."""
    context = await browser.new_context(base_url=console_url, viewport=DESKTOP, locale="zh-CN")
    page = await context.new_page()
    try:
        yield page
    finally:
        await context.close()
