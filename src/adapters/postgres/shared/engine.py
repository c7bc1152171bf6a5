"""Async engines for the three roles (docs/architecture.md, Tenancy)."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event, exc, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

# A pooled connection that sat unused for longer than this is pinged before it is handed
# out; one used more recently only has its socket checked (decision 56, "Pinging idle
# connections only").
PING_AFTER_IDLE_SECONDS = 5.0


def async_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs in configuration; SQLAlchemy needs the driver."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


def create_engine(url: str, *, pool_size: int = 10, max_overflow: int = 10) -> AsyncEngine:
    engine = create_async_engine(
        async_url(url),
        pool_size=pool_size,
        max_overflow=max_overflow,
        connect_args={"server_settings": {"application_name": "shopkeeper"}},
    )
    check_on_checkout(engine)
    return engine


def check_on_checkout(engine: AsyncEngine) -> None:
    """Hand out no dead connection, cheaply. SQLAlchemy's ``pool_pre_ping`` costs three
    round trips on asyncpg at every checkout (BEGIN, ``;``, ROLLBACK) — as many as the rest
    of a small command's overhead. Instead: a connection whose socket the server closed (a
    restart, ``pg_terminate_backend``) is seen as closed by the driver without a round
    trip, and only one idle for longer than ``PING_AFTER_IDLE_SECONDS`` (a socket a
    firewall may have dropped silently) is pinged. Either failure invalidates the pool, as
    a failed pre-ping did, and the pool retries with a new connection."""
    pool = engine.sync_engine.pool

    def idle_from_now(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info["idle_since"] = time.monotonic()

    def checked_out(dbapi_connection: Any, record: ConnectionPoolEntry, proxy: Any) -> None:
        if dbapi_connection.driver_connection.is_closed():
            raise exc.InvalidatePoolError("the connection was closed by the server")
        if time.monotonic() - record.info.get("idle_since", 0.0) > PING_AFTER_IDLE_SECONDS:
            try:
                dbapi_connection.ping()
            except Exception as error:
                raise exc.InvalidatePoolError("the connection did not answer a ping") from error

    event.listen(pool, "connect", idle_from_now)
    event.listen(pool, "checkin", idle_from_now)
    event.listen(pool, "checkout", checked_out)


class DistributionMisconfigured(RuntimeError):
    """On Citus, the tenant setting must reach the worker nodes, or RLS reads no rows there."""


def require_tenant_propagation(citus_installed: bool, propagate_set_commands: str | None) -> None:
    """``SET LOCAL app.tenant_id`` reaches Citus's workers only when
    ``citus.propagate_set_commands = 'local'``; without it the policy is evaluated on the
    workers with no tenant and silently reads nothing. Refuse to start instead."""
    if citus_installed and propagate_set_commands != "local":
        raise DistributionMisconfigured(
            "Citus is installed but citus.propagate_set_commands is "
            f"{propagate_set_commands!r}; set it to 'local' (deploy/PRODUCTION.md)"
        )


async def check_tenant_propagation(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        citus = await conn.scalar(text("SELECT count(*) FROM pg_extension WHERE extname = 'citus'"))
        setting = None
        if citus:
            setting = await conn.scalar(
                text("SELECT current_setting('citus.propagate_set_commands', true)")
            )
    require_tenant_propagation(bool(citus), setting)
