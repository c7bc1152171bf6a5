"""Async engines for the three roles (docs/architecture.md, Tenancy)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def async_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs in configuration; SQLAlchemy needs the driver."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


def create_engine(url: str, *, pool_size: int = 10, max_overflow: int = 10) -> AsyncEngine:
    return create_async_engine(
        async_url(url),
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_pre_ping=True,
        connect_args={"server_settings": {"application_name": "shopkeeper"}},
    )


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
