"""A killed worker's messages come back within the documented bound (issue #9, item 9).

dramatiq hands a dead worker's fetched messages back only in its broker "maintenance",
which by itself runs by chance; the worker's sweep runs it on every queue every
``SHOPKEEPER_BROKER_SWEEP_SECONDS``, so the messages return within heartbeat + sweep and
are taken within one more poll (docs/events-and-jobs.md, "Broker settings"). Here the
random maintenance is switched off (chance 0): only the sweep can bring them back.

Worker A takes a batch (two messages running, two prefetched), worker B runs beside it;
A is killed with SIGKILL while it holds its messages, and every message of the batch is
then done exactly once within the bound.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import subprocess
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

from adapters.messaging.broker import build_broker
from adapters.messaging.task_queue import task_message
from bootstrap import Container
from bootstrap.settings import Settings
from tests.conftest import cli_env, delete_redis_prefix
from tests.support.background import eventually
from tests.support.crash_probe import TASK, probe_key
from tests.support.processes import stop_process, worker_process

ROOT = Path(__file__).resolve().parents[3]
HEARTBEAT_MS = 3000  # above a live worker's heartbeat interval (about a second)
SWEEP_SECONDS = 0.5
POLL_SECONDS = 1.0  # an idle consumer fetches at least this often (dramatiq's worker_timeout)
BOUND_SECONDS = HEARTBEAT_MS / 1000 + SWEEP_SECONDS + POLL_SECONDS  # the documented bound
BATCH = 10


def start_worker(settings: Settings) -> subprocess.Popen[bytes]:
    env = {
        **cli_env(settings),
        "PYTHONPATH": str(ROOT),
        "SHOPKEEPER_WORKER_MODULES": "tests.support.crash_probe",
        "SHOPKEEPER_BROKER_HEARTBEAT_MS": str(HEARTBEAT_MS),
        "SHOPKEEPER_BROKER_SWEEP_SECONDS": str(SWEEP_SECONDS),
        "SHOPKEEPER_BROKER_MAINTENANCE_CHANCE": "0",
        "SHOPKEEPER_LOG_LEVEL": "warning",
    }
    return worker_process(env, "--queue", "crashprobe", "--no-relay")


@pytest.mark.slow
async def test_a_killed_workers_messages_are_processed_once_within_the_bound(
    settings: Settings, container: Container
) -> None:
    private = dataclasses.replace(
        settings, redis_prefix=f"{settings.redis_prefix}sweep-{uuid.uuid4().hex[:6]}:"
    )
    redis = container.redis

    async def listed(name: str) -> list[str]:
        values = await redis.lrange(probe_key(private.redis_prefix, name), 0, -1)
        return [value.decode() for value in values]

    async def started_count(count: int) -> bool:
        return len(await listed("started")) >= count

    broker = build_broker(
        private.redis_url,
        private.redis_prefix,
        heartbeat_timeout_ms=HEARTBEAT_MS,
        maintenance_chance=0,
    )
    workers = [start_worker(private)]
    try:
        for number in range(BATCH):
            await asyncio.to_thread(broker.enqueue, task_message(TASK, {"n": str(number)}))
        # A runs two messages (its two threads, both held) and has prefetched two more.
        await eventually(lambda: started_count(2), seconds=60, what="worker A to start")
        workers.append(start_worker(private))
        await eventually(lambda: started_count(4), seconds=60, what="worker B to start")
        held_by_a = (await listed("started"))[:2]

        os.kill(workers[0].pid, signal.SIGKILL)  # mid-batch: A's messages are unacked
        await asyncio.to_thread(workers[0].wait, 10)
        killed_at = time.monotonic()
        tokens = ["go"] * (2 * BATCH)  # one a run: more than the runs left
        await redis.rpush(probe_key(private.redis_prefix, "release"), *tokens)

        async def all_done() -> bool:
            return len(set(await listed("done"))) == BATCH

        await eventually(all_done, seconds=BOUND_SECONDS + 30, what="every message")
        elapsed = time.monotonic() - killed_at
        started, done = Counter(await listed("started")), Counter(await listed("done"))
        loops = await redis.smembers(probe_key(private.redis_prefix, "loops"))
    finally:
        for process in workers:
            stop_process(process)
        broker.client.close()
        await delete_redis_prefix(redis, private.redis_prefix)

    # Within the bound, with a little room for the handlers and a busy machine.
    assert elapsed <= BOUND_SECONDS + 2, f"{elapsed:.1f} s after the kill"
    # Every message done exactly once; the two A was running started again on B.
    assert done == Counter({str(number): 1 for number in range(BATCH)})
    assert all(started[number] == 2 for number in held_by_a), started
    # The workers ran their tasks on uvloop, as the API does (bootstrap/event_loop.py).
    assert loops == {b"uvloop"}, loops
