"""A real browser on the console: the app served by uvicorn in the tests' own event loop
(so it shares the container's pools), driven by Playwright through the system's Chromium
(Debian's ``chromium``, installed by ``make env``; never a browser download). Pages are
scanned with axe-core and photographed at phone and desktop widths into
``var/artifacts/console/``."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import uvicorn
from axe_playwright_python.async_playwright import Axe
from litestar import Litestar
from playwright.async_api import Browser, Page, async_playwright

from tests.support.processes import free_port

ARTIFACTS = Path(__file__).resolve().parents[3] / "var" / "artifacts" / "console"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
SERIOUS = ("serious", "critical")


def chromium_path() -> str:
    found = os.environ.get("SHOPKEEPER_CHROMIUM") or shutil.which("chromium")
    if not found:
        raise RuntimeError(
            "Chromium is missing: run `make env` (it installs Debian's chromium package)"
            " or set SHOPKEEPER_CHROMIUM to a Chromium binary"
        )
    return found


@asynccontextmanager
async def serving(app: Litestar) -> AsyncIterator[str]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield browser
        finally:
            await browser.close()


async def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    results = await Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: {v['nodes'][0]['target']})"
        for v in results.response["violations"]
        if v.get("impact") in SERIOUS
    ]


async def photograph(page: Page, name: str) -> None:
    """The page at phone and desktop widths, kept as test artefacts."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    was = page.viewport_size
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        await page.set_viewport_size(size)
        await page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
    if was:
        await page.set_viewport_size(was)
