"""The event loop a Shopkeeper process runs on: uvloop, as ``shopkeeper serve`` already
runs (uvicorn's ``loop="auto"``), for the worker's and the scheduler's processes too.

Their work is the database's round trips and the jobs' Python between them: on asyncio's
own loop each socket read and write goes through its Python transport; uvloop does it in
C. The review of waiting orders measured 8 % less of its process's CPU on uvloop
(bench/README.md, decision 110). dramatiq's event-loop thread takes its loop from the
policy, so the policy is set — once, at the process's start, by its command — rather than
a loop passed in; nothing imported by the tests sets it.
"""

from __future__ import annotations

import asyncio

import uvloop


def use_uvloop() -> None:
    """Every event loop this process makes from now on is a uvloop loop."""
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
