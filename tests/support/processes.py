"""Project processes a test starts and stops itself (crash tests kill their own workers,
never a shared server)."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import redis

from bootstrap.settings import Settings
from tests.support.databases import ADMIN_URL, RUN_ID, TestDatabase, drop_database

SHOPKEEPER = str(Path(sys.executable).parent / "shopkeeper")


def _quiet(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    """``shopkeeper <command>`` in a session of its own (so a test can kill it alone),
    quiet."""
    return subprocess.Popen(
        [SHOPKEEPER, *command],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def worker_process(env: dict[str, str], *options: str) -> subprocess.Popen[bytes]:
    """``shopkeeper worker --threads 2 [options]``, quiet, killable alone."""
    return _quiet(["worker", "--threads", "2", *options], env)


def server_process(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """``shopkeeper serve`` as ``env`` configures it, quiet, killable alone."""
    return _quiet(["serve"], env)


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, and SIGKILL after 20 s if it has not gone."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_healthy(server: subprocess.Popen[Any], base: str, seconds: float = 90) -> None:
    """Until ``base``/health answers 200; fails if ``server`` stops or time runs out."""
    deadline = time.monotonic() + seconds
    while True:
        assert server.poll() is None, f"serve stopped: {server.communicate()[1]!r}"
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "the API did not answer"
        time.sleep(0.2)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def private_service_env(
    settings: Settings, tmp_path: Path, name: str, environ: dict[str, str]
) -> Iterator[dict[str, str]]:
    """The environment of a service of the test's own: a database that ``db migrate``
    creates (dropped afterwards), a Redis prefix (its keys deleted afterwards), a keystore,
    a file store and a free port. ``environ`` is ``cli_env`` of ``settings``' kind."""
    db = TestDatabase(f"shopkeeper_test_{RUN_ID}_{name}_{uuid.uuid4().hex[:6]}")
    prefix = f"{settings.redis_prefix}{name}-{uuid.uuid4().hex[:6]}:"
    private = dataclasses.replace(
        settings,
        database_url=db.app_url,
        migration_database_url=db.owner_url,
        platform_database_url=db.platform_url,
        redis_prefix=prefix,
        keystore=tmp_path / "keystore",
        file_store_dir=tmp_path / "files",
    )
    env = {
        **environ,
        "SHOPKEEPER_DATABASE_URL": private.database_url,
        "SHOPKEEPER_MIGRATION_DATABASE_URL": private.migration_database_url,
        "SHOPKEEPER_PLATFORM_DATABASE_URL": private.platform_database_url,
        "SHOPKEEPER_REDIS_PREFIX": prefix,
        "SHOPKEEPER_KEYSTORE": str(private.keystore),
        "SHOPKEEPER_FILE_STORE_DIR": str(private.file_store_dir),
        "SHOPKEEPER_ADMIN_DATABASE_URL": ADMIN_URL,
        "SHOPKEEPER_PORT": str(free_port()),
        "SHOPKEEPER_LOG_LEVEL": "warning",
        "SHOPKEEPER_LANG": "en",
    }
    try:
        yield env
    finally:
        client = redis.Redis.from_url(settings.redis_url)
        for key in client.scan_iter(match=prefix + "*", count=500):
            client.delete(key)
        client.close()
        asyncio.run(drop_database(db))


def cli_env(settings: Settings) -> dict[str, str]:
    """Environment for running ``shopkeeper`` as a subprocess against the test database."""
    return {
        **os.environ,
        "SHOPKEEPER_ENV": "test",
        "SHOPKEEPER_DATABASE_URL": settings.database_url,
        "SHOPKEEPER_MIGRATION_DATABASE_URL": settings.migration_database_url,
        "SHOPKEEPER_PLATFORM_DATABASE_URL": settings.platform_database_url,
        "SHOPKEEPER_REDIS_URL": settings.redis_url,
        "SHOPKEEPER_REDIS_PREFIX": settings.redis_prefix,
        "SHOPKEEPER_KEYSTORE": str(settings.keystore),
        "SHOPKEEPER_FILE_STORE_DIR": str(settings.file_store_dir),
        "SHOPKEEPER_ARGON2_PROFILE": settings.argon2_profile,
        "SHOPKEEPER_TOKEN_SIGNING_KEY": settings.token_signing_key,
        "SHOPKEEPER_OPERATOR": "pytest",
    }
