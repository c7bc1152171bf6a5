"""Liveness and readiness. /ready says which dependency is down."""

from __future__ import annotations

import asyncio
from typing import Any

from litestar import Request, Response, get
from litestar.datastructures import State
from sqlalchemy import text


@get("/health", tags=["operations"], security=[], include_in_schema=True)
async def health() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


async def _check_postgres(request: Request[Any, Any, State]) -> None:
    async with request.app.state.container.app_engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


async def _check_redis(request: Request[Any, Any, State]) -> None:
    await request.app.state.container.redis.ping()


@get("/ready", tags=["operations"], security=[])
async def ready(request: Request[Any, Any, State]) -> Response[dict[str, Any]]:
    """Ready to serve: PostgreSQL and Redis both answer (503 names the one that does not)."""
    checks: dict[str, str] = {}
    for name, check in (("postgres", _check_postgres), ("redis", _check_redis)):
        try:
            await asyncio.wait_for(check(request), timeout=2)
            checks[name] = "ok"
        except Exception:  # a readiness probe reports any failure as "down"
            checks[name] = "down"
    healthy = all(v == "ok" for v in checks.values())
    return Response(
        {"status": "ready" if healthy else "unavailable", "checks": checks},
        status_code=200 if healthy else 503,
    )
