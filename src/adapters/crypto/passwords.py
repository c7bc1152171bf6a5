"""Argon2id password hashing (argon2-cffi), off the event loop. Tests use the cheap profile.

A hash costs about 50–500 ms of CPU (the RFC 9106 low-memory profile, four lanes), which on
the event loop would stall every other request: four logins a second were enough. So it
runs in a small pool of worker *processes* at the lowest scheduling priority (nice 19), so
a waking event loop takes the CPU from them at once. Processes, not threads: a hashing
thread shares the interpreter's lock, and a low-priority thread that holds it when the CPU
is busy makes the event loop wait for it (priority inversion: /health's p99 reached 250 ms
in bench/login_load.py with niced threads). The work waiting for the pool is bounded:
beyond ``workers + queue`` hashes in flight a new one is refused at once with
``ServiceBusy`` (503 with Retry-After), rather than every login, and then every request,
waiting behind an ever longer queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from argon2 import PasswordHasher as Argon2Hasher
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError

from domain.shared.errors import ServiceBusy

T = TypeVar("T")

# The niceness of the hashing processes (and of the lane threads libargon2 starts in them).
_BACKGROUND = 19


def _hasher(profile: str) -> Argon2Hasher:
    if profile == "fast-insecure-test":
        return Argon2Hasher(time_cost=1, memory_cost=64, parallelism=1, type=Type.ID)
    return Argon2Hasher(type=Type.ID)  # RFC 9106 low-memory profile, library defaults


# ---- in the worker processes ---------------------------------------------------------
_worker: dict[str, Argon2Hasher] = {}


def _start_worker(profile: str, parent: int) -> None:
    with contextlib.suppress(OSError):
        os.nice(_BACKGROUND)
    _worker["hasher"] = _hasher(profile)
    # A service killed without its exit handlers would leave the worker behind.
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def _hash(password: str) -> str:
    return _worker["hasher"].hash(password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _worker["hasher"].verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# ---- in the service --------------------------------------------------------------------
class Argon2PasswordHasher:
    def __init__(self, profile: str = "default", workers: int = 1, queue: int = 8) -> None:
        self._profile = profile
        self._hasher = _hasher(profile)
        self._workers = workers
        self._capacity = workers + queue
        self._in_flight = 0
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:  # started on first use: commands that never hash, never fork
            self._pool = ProcessPoolExecutor(
                self._workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(self._profile, os.getpid()),
            )
        return self._pool

    async def _run(self, work: Callable[..., T], *args: Any) -> T:
        with self._lock:  # the container may serve more than one event loop
            if self._in_flight >= self._capacity:
                raise ServiceBusy(retry_after=1)
            self._in_flight += 1
            pool = self._executor()
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, work, *args)
        finally:
            with self._lock:
                self._in_flight -= 1

    async def hash(self, password: str) -> str:
        return await self._run(_hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        return await self._run(_verify, password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)

    def close(self) -> None:
        """Stop the hashing processes (the container closes it on shutdown)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
