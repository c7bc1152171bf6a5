"""A task for worker crash tests, loaded into ``shopkeeper worker`` subprocesses through
``SHOPKEEPER_WORKER_MODULES``: each message records that it started, waits until the test
releases it (one token of a Redis list each), then records that it is done (Redis lists
under the worker's prefix), and the event loop it ran on (a set: ``loops``)."""

from __future__ import annotations

import asyncio

from bootstrap import Container
from entrypoints.worker.tasks import TaskMessage, register

TASK = "crashprobe.work"


def probe_key(redis_prefix: str, name: str) -> str:
    return f"{redis_prefix}crashprobe:{name}"


@register(TASK, max_retries=0)
async def work(container: Container, message: TaskMessage) -> None:
    redis, prefix = container.redis, container.settings.redis_prefix
    number = message.payload["n"]
    await redis.rpush(probe_key(prefix, "started"), number)
    loop = type(asyncio.get_running_loop()).__module__.partition(".")[0]
    await redis.sadd(probe_key(prefix, "loops"), loop)
    while await redis.blpop([probe_key(prefix, "release")], timeout=1) is None:
        pass  # not released yet (a short block: the client's socket timeout is 2 s)
    await redis.rpush(probe_key(prefix, "done"), number)
