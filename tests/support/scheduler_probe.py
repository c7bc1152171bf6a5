"""A periodic job for scheduler tests, loaded into ``shopkeeper scheduler`` subprocesses
through ``SHOPKEEPER_WORKER_MODULES``: each run appends "period_start pid loop" to a file
(``loop``: the module of the event loop the job ran on)."""

from __future__ import annotations

import asyncio
import os
from datetime import datetime

from bootstrap import Container
from entrypoints.worker.scheduler import every

JOB = os.environ.get("SHOPKEEPER_TEST_PROBE_JOB", "test.probe")
FILE = os.environ.get("SHOPKEEPER_TEST_PROBE_FILE", "")
PERIOD = float(os.environ.get("SHOPKEEPER_TEST_PROBE_PERIOD", "1"))


@every(PERIOD, JOB)
async def probe(container: Container, period_start: datetime) -> None:
    loop = type(asyncio.get_running_loop()).__module__.partition(".")[0]
    line = f"{period_start.isoformat()} {os.getpid()} {loop}\n"
    await asyncio.to_thread(_append, line)


def _append(line: str) -> None:
    with open(FILE, "a", encoding="utf-8") as out:
        out.write(line)
