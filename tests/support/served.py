"""An ASGI app (a simulated outside service) served by uvicorn in a thread on a free port
for a test."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
import uvicorn
from litestar import Litestar

from tests.support.processes import free_port


@dataclass(frozen=True)
class Served:
    url: str
    control: httpx.Client  # a client of its base URL (its control API)


@contextmanager
def served(app: Litestar, what: str) -> Iterator[Served]:
    """The app's base URL and a client of it while the block runs."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the {what} did not start")
        time.sleep(0.02)
    url = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=url, timeout=10) as control:
            yield Served(url, control)
    finally:
        server.should_exit = True
        thread.join(10)
