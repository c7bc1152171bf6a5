"""Argon2id password hashing (argon2-cffi), off the event loop. Tests use the cheap profile.

A hash costs about 50–500 ms of CPU (the RFC 9106 low-memory profile, four lanes), which on
the event loop would stall every other request: four logins a second were enough. So it
runs in a small pool of threads (argon2-cffi releases the GIL), at a lower scheduling
priority where the platform allows, so the event loop keeps the CPU it needs; and the work
waiting for the pool is bounded: beyond ``workers + queue`` hashes in flight, a new one is
refused at once with ``ServiceBusy`` (503 with Retry-After), rather than every login, and
then every request, waiting behind an ever longer queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from argon2 import PasswordHasher as Argon2Hasher
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError

from domain.shared.errors import ServiceBusy

T = TypeVar("T")

# Niceness of the hashing threads (and of the lane threads libargon2 starts from them).
_BACKGROUND = 10


def _hasher(profile: str) -> Argon2Hasher:
    if profile == "fast-insecure-test":
        return Argon2Hasher(time_cost=1, memory_cost=64, parallelism=1, type=Type.ID)
    return Argon2Hasher(type=Type.ID)  # RFC 9106 low-memory profile, library defaults


def _lower_priority() -> None:
    """Linux keeps a nice value per thread: lower this one's, not the process's."""
    with contextlib.suppress(AttributeError, OSError):  # not Linux: same priority
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), _BACKGROUND)


class Argon2PasswordHasher:
    def __init__(self, profile: str = "default", workers: int = 2, queue: int = 8) -> None:
        self._hasher = _hasher(profile)
        self._workers = workers
        self._capacity = workers + queue
        self._in_flight = 0
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(
                self._workers, thread_name_prefix="argon2", initializer=_lower_priority
            )
        return self._pool

    async def _run(self, work: Callable[[], T]) -> T:
        with self._lock:  # the container may serve more than one event loop
            if self._in_flight >= self._capacity:
                raise ServiceBusy(retry_after=1)
            self._in_flight += 1
            pool = self._executor()
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, work)
        finally:
            with self._lock:
                self._in_flight -= 1

    async def hash(self, password: str) -> str:
        return await self._run(lambda: self._hasher.hash(password))

    async def verify(self, password_hash: str, password: str) -> bool:
        return await self._run(lambda: self._check(password_hash, password))

    def _check(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)
