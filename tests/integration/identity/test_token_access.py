"""A request's token check is one autocommitted statement (decision 97): the tenant it
enters for its read ends with it, so the pooled connection it used reads nothing of that
tenant afterwards (no tenant setting left behind for the next borrower)."""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.identity.repositories import PostgresTokenAccess
from adapters.postgres.shared.engine import create_engine
from tests.conftest import TenantHandle


async def test_the_token_check_leaves_no_tenant_on_its_connection(tenant: TenantHandle) -> None:
    engine = create_engine(tenant.container.settings.database_url, pool_size=1, max_overflow=0)
    try:
        owner = await _user_id(engine, tenant.id, tenant.owner_email)
        lookup = PostgresTokenAccess(engine)
        standing = await lookup.standing(tenant.id, owner, uuid.uuid4())
        assert standing is not None and standing.tenant.id == tenant.id
        assert standing.access is not None and standing.access.active
        assert not standing.access.session_active  # a session that is not the owner's
        assert "orders:write" in standing.access.permissions  # the owner's built-in role
        async with engine.connect() as conn:  # the one pooled connection, borrowed again
            setting = await conn.scalar(text("SELECT current_setting('app.tenant_id', true)"))
            visible = await conn.scalar(text("SELECT count(*) FROM users"))
        assert not setting
        assert visible == 0
        assert await lookup.standing(uuid.uuid4(), owner, uuid.uuid4()) is None  # no tenant
        nobody = await lookup.standing(tenant.id, uuid.uuid4(), uuid.uuid4())
        assert nobody is not None and nobody.access is None  # no such user
    finally:
        await engine.dispose()


async def _user_id(engine: AsyncEngine, tenant_id: uuid.UUID, email: str) -> uuid.UUID:
    async with engine.connect() as conn, conn.begin():
        await conn.execute(text(f"SET LOCAL app.tenant_id = '{tenant_id}'"))
        found = await conn.scalar(text("SELECT id FROM users WHERE email = :e"), {"e": email})
    assert isinstance(found, uuid.UUID)
    return found
