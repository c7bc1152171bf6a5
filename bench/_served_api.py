"""The HTTP API as it is deployed — ``shopkeeper serve`` (uvicorn, its event loop and HTTP
parser; deploy/compose.yaml) in a process of its own on the benchmark's database — and a
light keep-alive client to drive it, so a benchmark measures the server and not an
in-process client sharing its event loop. ``BENCH_SERVE_WORKERS`` (default: ``serve``'s own
default) serves the API and the bare handler with that many worker processes alike.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from tests.support.processes import cli_env, free_port

from bench import _cpu
from bootstrap.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def serve_workers() -> int:
    """Worker processes each served side runs (``BENCH_SERVE_WORKERS``, else ``shopkeeper
    serve``'s default: ``SHOPKEEPER_WORKERS``, else 1)."""
    return int(os.environ.get("BENCH_SERVE_WORKERS") or Settings().workers)


def _environment(settings: Settings, port: int) -> dict[str, str]:
    """The variables that make ``Settings()`` in the server equal the benchmark's (the same
    database, keystore, signing key and Redis prefix, as the tests' CLI runs have them),
    at the deployed log level, on ``port``."""
    return {
        **cli_env(settings),
        "SHOPKEEPER_LOG_LEVEL": "info",  # the deployed default: one access line a request
        "SHOPKEEPER_HOST": "127.0.0.1",
        "SHOPKEEPER_PORT": str(port),
    }


@dataclass(frozen=True)
class ServedApi:
    port: int
    pid: int

    def cpu_seconds(self) -> float:
        """User and system CPU the server has used so far: its process and, with several
        workers, the worker processes under it (Linux ``/proc``)."""
        return sum(_cpu.cpu_seconds(pid) or 0.0 for pid in _tree(self.pid))  # 0: gone


def _tree(pid: int) -> list[int]:
    """``pid`` and every process under it."""
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children += [int(c) for c in (task / "children").read_text().split()]
    return [pid, *(found for child in children for found in _tree(child))]


@asynccontextmanager
async def served_api(settings: Settings) -> AsyncIterator[ServedApi]:
    """``shopkeeper serve`` on a free local port until the block ends (its access log goes
    to /dev/null: written, as in production, but not shown; uvicorn's own lines to a
    temporary file, shown if it stops)."""
    port = free_port()
    command = [str(Path(sys.executable).with_name("shopkeeper")), "serve"]
    command += ["--workers", str(serve_workers())]
    async with _served(_profiled(command, "api"), _environment(settings, port), port) as served:
        yield served


@asynccontextmanager
async def served_bare(replay: Path, sku: str, dsn: str) -> AsyncIterator[ServedApi]:
    """``bench/_bare_server.py`` (one placement's SQL behind one Litestar handler, uvicorn
    as ``shopkeeper serve`` runs it) on a free local port until the block ends."""
    port = free_port()
    environment = {
        **os.environ,
        "BENCH_BARE_REPLAY": str(replay),
        "BENCH_BARE_SKU": sku,
        "BENCH_BARE_DSN": dsn,
        "PORT": str(port),
        "WORKERS": str(serve_workers()),
    }
    command = ["-m", "bench._bare_server"]
    async with _served(_profiled(command, "bare"), environment, port) as served:
        yield served


def _profiled(command: list[str], name: str) -> list[str]:
    """``command`` (a script, or ``-m module``) run by this Python; under cProfile when
    ``BENCH_PROFILE_SERVER`` names a file prefix (``<prefix>.<name>``, written when the
    server stops: ``python -m pstats`` reads it)."""
    prefix = os.environ.get("BENCH_PROFILE_SERVER")
    profiler = ["-m", "cProfile", "-o", f"{prefix}.{name}"] if prefix else []
    return [sys.executable, *profiler, *command]


@asynccontextmanager
async def _served(command: list[str], env: dict[str, str], port: int) -> AsyncIterator[ServedApi]:
    with tempfile.TemporaryFile() as errors:
        server = subprocess.Popen(  # noqa: ASYNC220 - started once, before anything is timed
            command, env=env, stdout=subprocess.DEVNULL, stderr=errors, cwd=ROOT
        )
        try:
            await _answering(port, server, errors)
            yield ServedApi(port, server.pid)
        finally:
            # cProfile writes its file on an exception, not when uvicorn re-raises SIGTERM
            stop = signal.SIGINT if os.environ.get("BENCH_PROFILE_SERVER") else signal.SIGTERM
            server.send_signal(stop)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


async def _answering(port: int, server: subprocess.Popen[bytes], errors: IO[bytes]) -> None:
    """Wait until the server answers ``/health`` (three minutes at most: on a loaded
    machine the server takes a while to start)."""
    deadline = time.monotonic() + 180
    while True:
        if server.poll() is not None:
            errors.seek(0)
            raise RuntimeError(f"the server stopped: {errors.read().decode()}")
        try:
            client = await KeepAliveClient.open(port)
        except OSError:
            client = None
        if client is not None:
            status, _ = await client.request("GET", "/health")
            await client.close()
            if status == 200:
                return
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not answer /health within 3 minutes")
        await asyncio.sleep(0.2)


class KeepAliveClient:
    """One HTTP/1.1 connection kept open, one request at a time: a request line, headers
    and a JSON body written, the status line, headers and ``Content-Length`` body read —
    no more client code than a load generator needs."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader, self._writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> KeepAliveClient:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(reader, writer)

    async def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        payload = b"" if body is None else json.dumps(body).encode()
        lines = [f"{method} {path} HTTP/1.1", "Host: bench", f"Content-Length: {len(payload)}"]
        if body is not None:
            lines.append("Content-Type: application/json")
        lines.extend(f"{name}: {value}" for name, value in (headers or {}).items())
        self._writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + payload)
        head = await self._reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        length = 0
        for line in header_lines:
            name, _, value = line.partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return int(status_line.split()[1]), await self._reader.readexactly(length)

    async def close(self) -> None:
        self._writer.close()
        await self._writer.wait_closed()


@dataclass(frozen=True)
class Driven:
    rate: float  # requests answered a second
    latencies_ms: list[float]
    statuses: Counter[int]

    def percentile(self, q: int) -> float:
        return statistics.quantiles(self.latencies_ms, n=100)[q - 1]


async def drive(
    port: int,
    count: int,
    concurrency: int,
    request: Callable[[KeepAliveClient, int], Awaitable[tuple[int, bytes]]],
) -> Driven:
    """Requests ``0 … count - 1`` (``request(client, i)``) over ``concurrency`` keep-alive
    connections opened beforehand, each one's latency and status kept."""
    clients = [await KeepAliveClient.open(port) for _ in range(concurrency)]
    queue = iter(range(count))
    latencies: list[float] = []
    statuses: Counter[int] = Counter()

    async def worker(client: KeepAliveClient) -> None:
        for i in queue:
            sent = time.perf_counter()
            status, _ = await request(client, i)
            latencies.append((time.perf_counter() - sent) * 1000)
            statuses[status] += 1

    try:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for client in clients))
        took = time.perf_counter() - started
    finally:
        for client in clients:
            await client.close()
    return Driven(count / took, latencies, statuses)
