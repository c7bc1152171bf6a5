"""The migration that split ``fulfilment:read`` from ``fulfilment:pick`` (docs/decisions.md):
a custom role or an API key holding ``fulfilment:pick`` or ``fulfilment:ship`` is given
``fulfilment:read``, so it reads waves and parcels as before; others are left as they were;
the downgrade takes it away again."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
from alembic.script import ScriptDirectory

from tests.integration.platform.test_migrations import insert_sample_data, scratch_database
from tests.support.databases import alembic_config, downgrade, migrate

ROLES = "SELECT key, permissions FROM roles"
KEYS = "SELECT name, permissions FROM api_keys"


def _revision() -> tuple[str, str]:
    """The migration's revision and the one before it (found by its name: the lead
    renumbers revisions at merge)."""
    script = ScriptDirectory.from_config(alembic_config("postgresql://unused/unused"))
    found = [r for r in script.walk_revisions() if r.path.endswith("_fulfilment_read.py")]
    assert len(found) == 1
    before = found[0].down_revision
    assert isinstance(before, str)
    return found[0].revision, before


async def test_roles_and_keys_that_could_read_waves_and_parcels_still_can() -> None:
    revision, before = _revision()
    async with scratch_database() as db:
        await asyncio.to_thread(migrate, db, before)
        tenant = await insert_sample_data(db)
        held = {
            "picker": ["fulfilment:pick"],
            "desk": ["orders:read", "fulfilment:ship"],
            "reader": ["orders:read"],
        }
        conn = await asyncpg.connect(db.owner_url)
        try:
            for key, permissions in held.items():
                await conn.execute(
                    "INSERT INTO roles (tenant_id, id, key, name, builtin, permissions)"
                    " VALUES ($1, $2, $3, $3, false, $4)",
                    tenant,
                    uuid.uuid4(),
                    key,
                    permissions,
                )
                await conn.execute(
                    "INSERT INTO api_keys (tenant_id, id, name, secret_hash, permissions,"
                    " created_by, created_at) VALUES ($1, $2, $3, '\\x00', $4, 'user:x', now())",
                    tenant,
                    uuid.uuid4(),
                    key,
                    permissions,
                )

            async def permissions(query: str) -> dict[str, list[str]]:
                return {row[0]: list(row[1]) for row in await conn.fetch(query)}

            await asyncio.to_thread(migrate, db, revision)
            given = {
                "picker": ["fulfilment:pick", "fulfilment:read"],
                "desk": ["orders:read", "fulfilment:ship", "fulfilment:read"],
                "reader": ["orders:read"],
            }
            assert await permissions(ROLES) == await permissions(KEYS) == given
            await asyncio.to_thread(downgrade, db, before)
            assert await permissions(ROLES) == await permissions(KEYS) == held
        finally:
            await conn.close()
