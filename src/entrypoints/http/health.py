"""Liveness and readiness. /ready says which dependency is down."""

from __future__ import annotations

import asyncio
from typing import Any

from litestar import Response, get
from litestar.di import NamedDependency, Provide
from sqlalchemy import text

from bootstrap import Container
from entrypoints.http.dependencies import container_of


@get("/health", tags=["operations"], security=[], include_in_schema=True)
async def health() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


async def _check_postgres(container: NamedDependency[Container]) -> None:
    async with container.app_engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


async def _check_redis(container: NamedDependency[Container]) -> None:
    await container.redis.ping()


@get(
    "/ready",
    tags=["operations"],
    security=[],
    dependencies={"container": Provide(container_of, sync_to_thread=False)},
)
async def ready(container: NamedDependency[Container]) -> Response[dict[str, Any]]:
    """Ready to serve: PostgreSQL and Redis both answer (503 names the one that does not)."""
    checks: dict[str, str] = {}
    for name, check in (("postgres", _check_postgres), ("redis", _check_redis)):
        try:
            await asyncio.wait_for(check(container), timeout=2)
            checks[name] = "ok"
        except Exception:  # a readiness probe reports any failure as "down"
            checks[name] = "down"
    healthy = all(v == "ok" for v in checks.values())
    return Response(
        {"status": "ready" if healthy else "unavailable", "checks": checks},
        status_code=200 if healthy else 503,
    )
