"""Work the database rolled back because it met other work at the same moment
(``Contention``: a deadlock or a serialization failure), done again: nothing of it was
written, so a second try is the same work. For the system's own work (a job's page); a
caller of the API gets the 503 with ``Retry-After`` and tries again itself."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from domain.shared.errors import Contention

T = TypeVar("T")

TRIES = 4  # the first and three more, 50–400 ms apart


async def retried_on_contention(work: Callable[[], Awaitable[T]], tries: int = TRIES) -> T:
    """``work()``, again after a short random pause while it meets ``Contention``; the
    last try's ``Contention`` is raised."""
    for attempt in range(1, tries):
        try:
            return await work()
        except Contention:
            pause = random.uniform(0.05, 0.1) * 2 ** (attempt - 1)  # noqa: S311 (jitter)
            await asyncio.sleep(pause)
    return await work()
