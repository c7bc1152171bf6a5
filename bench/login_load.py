"""Login load (#9, item 2): ``/health`` p99 under 50 ms while 20 failing logins a second
arrive, printed beside a baseline — the same ``/health`` probes with no login load.

    .tools/bin/uv run --frozen python -m bench login_load
    BENCH_SCALE=0.2 BENCH_LOGIN_RATE=20 .tools/bin/uv run --frozen python -m bench login_load

The real service under uvicorn in a process of its own (one worker, the production Argon2
profile), on a migrated database of its own (``shopkeeper_bench_login_…``, dropped at the
end) and a Redis key prefix of its own (deleted at the end). The login limits are raised
out of the way, so every login reaches the password hash: the load measured is hashing,
not the 429 that the throttle would answer after the 20th failure from one address.

Two phases of ``30 s × BENCH_SCALE`` each: the baseline (``/health`` 50 times a second),
then the same probes while ``BENCH_LOGIN_RATE`` (default 20) logins a second with a wrong
password arrive for a real user. Both are open-loop: a request is sent on its schedule
whether or not earlier ones were answered, so a stalled server shows as latency, not as
fewer requests. Goal: the loaded phase's ``/health`` p99 < 50 ms.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from redis.asyncio import Redis
from tests.support.processes import free_port

from application.identity.tenant_operations import NewTenant, TenantOperations
from bench._database import ROOT, BenchDatabase, bench_database
from bench._setup import PASSWORD, SUPPORT
from bootstrap import build_container
from bootstrap.event_loop import use_uvloop
from bootstrap.settings import Settings

GOAL_MS = 50.0
PROBES_PER_SECOND = 50


def _settings(db: BenchDatabase, var: Path, prefix: str) -> Settings:
    return Settings(
        environment="test",
        database_url=db.app_url,
        migration_database_url=db.owner_url,
        platform_database_url=db.platform_url,
        redis_prefix=prefix,
        keystore=var / "keystore",
        file_store_dir=var / "files",
        token_signing_key="bench-signing-key-" + "x" * 32,
        login_max_failures_per_account=10**9,
        login_max_failures_per_address=10**9,
        log_level="warning",
    )


def _environment(settings: Settings) -> dict[str, str]:
    values = {
        "ENV": settings.environment,
        "DATABASE_URL": settings.database_url,
        "MIGRATION_DATABASE_URL": settings.migration_database_url,
        "PLATFORM_DATABASE_URL": settings.platform_database_url,
        "REDIS_URL": settings.redis_url,
        "REDIS_PREFIX": settings.redis_prefix,
        "KEYSTORE": str(settings.keystore),
        "FILE_STORE_DIR": str(settings.file_store_dir),
        "TOKEN_SIGNING_KEY": settings.token_signing_key,
        "LOGIN_MAX_FAILURES_PER_ACCOUNT": str(settings.login_max_failures_per_account),
        "LOGIN_MAX_FAILURES_PER_ADDRESS": str(settings.login_max_failures_per_address),
        "ARGON2_PROFILE": settings.argon2_profile,
        "LOG_LEVEL": settings.log_level,
    }
    return {**os.environ, **{f"SHOPKEEPER_{name}": value for name, value in values.items()}}


async def _started(base: str, server: asyncio.subprocess.Process) -> None:
    async with httpx.AsyncClient(base_url=base) as client:
        for _ in range(300):
            if server.returncode is not None:
                raise SystemExit("the server exited before it answered /health")
            try:
                if (await client.get("/health")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit("the server did not answer /health within 30 s")


async def _phase(base: str, seconds: float, login_rate: float, login: dict[str, str]) -> Any:
    """``/health`` latencies (ms) and the logins' statuses, both sent open-loop."""
    latencies: list[float] = []
    statuses: Counter[int | str] = Counter()
    limits = httpx.Limits(max_connections=500, max_keepalive_connections=100)
    async with (
        httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as probes,
        httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as logins,
    ):

        async def probe() -> None:
            sent = time.perf_counter()
            response = await probes.get("/health")
            latencies.append((time.perf_counter() - sent) * 1000)
            assert response.status_code == 200, response.text

        async def attempt() -> None:
            try:
                statuses[(await logins.post("/api/v1/auth/login", json=login)).status_code] += 1
            except httpx.TransportError as error:
                statuses[type(error).__name__] += 1

        async def every(rate: float, send: Any) -> list[asyncio.Task[None]]:
            tasks, start, n = [], time.perf_counter(), 0
            while (due := start + n / rate) < start + seconds:
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                tasks.append(asyncio.create_task(send()))
                n += 1
            return tasks

        schedules = [every(PROBES_PER_SECOND, probe)]
        if login_rate:
            schedules.append(every(login_rate, attempt))
        sent = [task for tasks in await asyncio.gather(*schedules) for task in tasks]
        await asyncio.gather(*sent)
    return sorted(latencies), statuses


def _percentile(values: list[float], fraction: float) -> float:
    return values[min(len(values) - 1, round(fraction * (len(values) - 1)))]


async def run(seconds: float, login_rate: float) -> bool:
    prefix = f"bench-login:{uuid.uuid4().hex[:8]}:"
    async with bench_database("login") as db:
        with tempfile.TemporaryDirectory() as var:
            settings = _settings(db, Path(var), prefix)
            container = build_container(settings)
            slug = f"bench-{uuid.uuid4().hex[:6]}"
            email = f"owner@{slug}.example.com"
            try:
                await container.get(TenantOperations).create(
                    SUPPORT, NewTenant(slug, "Bench", email, PASSWORD)
                )
            finally:
                await container.aclose()
            port = free_port()
            server = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "uvicorn",
                "entrypoints.http.app:create_app",
                "--factory",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--no-access-log",
                env=_environment(settings),
                cwd=ROOT,
            )
            base = f"http://127.0.0.1:{port}"
            try:
                await _started(base, server)
                wrong = {"tenant": slug, "email": email, "password": "not-the-password-1"}
                await _phase(base, 2.0, 0, wrong)  # warm-up: connections, first requests
                baseline, _ = await _phase(base, seconds, 0, wrong)
                loaded, statuses = await _phase(base, seconds, login_rate, wrong)
            finally:
                server.terminate()
                await server.wait()
                redis = Redis.from_url(settings.redis_url)
                async for key in redis.scan_iter(match=prefix + "*", count=500):
                    await redis.delete(key)
                await redis.aclose()
    return report(seconds, login_rate, baseline, loaded, statuses)


def report(
    seconds: float,
    login_rate: float,
    baseline: list[float],
    loaded: list[float],
    statuses: Counter[int | str],
) -> bool:
    print(
        f"/health latency, ms ({PROBES_PER_SECOND} probes/s for {seconds:.0f} s a phase; "
        f"Argon2 default profile, {os.cpu_count()} cores)"
    )
    print(f"{'phase':<34}{'probes':>8}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}")
    for label, values in (
        ("baseline (no logins)", baseline),
        (f"{login_rate:g} failing logins/s", loaded),
    ):
        figures = [_percentile(values, f) for f in (0.5, 0.95, 0.99)] + [values[-1]]
        print(f"{label:<34}{len(values):>8}" + "".join(f"{x:>8.1f}" for x in figures))
    answered = ", ".join(f"{code}: {count}" for code, count in sorted(statuses.items(), key=str))
    print(f"logins sent {sum(statuses.values())}, answered {answered}")
    load = ", ".join(f"{figure:.2f}" for figure in os.getloadavg())
    print(f"load average (1, 5, 15 min) at the end: {load}")
    met = _percentile(loaded, 0.99) < GOAL_MS
    print(f"goal (/health p99 < {GOAL_MS:.0f} ms under login load): {'met' if met else 'MISSED'}")
    return met


def main() -> Any:
    """For ``python -m bench``: phases of 30 s × ``BENCH_SCALE`` (at least 3 s)."""
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    rate = float(os.environ.get("BENCH_LOGIN_RATE", "20"))
    return run(max(3.0, 30 * scale), rate)


if __name__ == "__main__":
    use_uvloop()  # the loop the deployed processes run on (bootstrap/event_loop.py)
    sys.exit(0 if asyncio.run(main()) else 1)
