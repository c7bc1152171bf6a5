"""Test databases: one migrated database per test process, created and dropped by the run.

Roles are shared by every database on the server, so they are created if missing and
never dropped; only databases named ``shopkeeper_test_<run>_...`` that this run created
are dropped.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from alembic import command
from alembic.config import Config

from adapters.postgres.shared.provisioning import provision

ROOT = Path(__file__).resolve().parents[2]
ADMIN_URL = os.environ.get(
    "SHOPKEEPER_TEST_ADMIN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
HOST = os.environ.get("SHOPKEEPER_TEST_DATABASE_HOST", "127.0.0.1:5432")
RUN_ID = os.environ.get("SHOPKEEPER_TEST_RUN_ID") or uuid.uuid4().hex[:8]


@dataclass(frozen=True)
class TestDatabase:
    __test__ = False  # a fixture value, not a test class

    name: str
    host: str = HOST  # host:port (a crash test's own server elsewhere)

    def url(self, role: str) -> str:
        return f"postgresql://{role}@{self.host}/{self.name}"

    @property
    def owner_url(self) -> str:
        return self.url("shopkeeper_owner")

    @property
    def app_url(self) -> str:
        return self.url("shopkeeper_app")

    @property
    def platform_url(self) -> str:
        return self.url("shopkeeper_platform")


def alembic_config(database_url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["database_url"] = database_url
    return config


def migrate(db: TestDatabase, revision: str = "head") -> None:
    """Alembic's env runs its own event loop: call from a thread inside async code."""
    command.upgrade(alembic_config(db.owner_url), revision)


def downgrade(db: TestDatabase, revision: str) -> None:
    command.downgrade(alembic_config(db.owner_url), revision)


async def create_database(
    suffix: str, admin_url: str = ADMIN_URL, host: str = HOST
) -> TestDatabase:
    db = TestDatabase(f"shopkeeper_test_{RUN_ID}_{suffix}", host)
    await provision(admin_url, db.owner_url, db.app_url, db.platform_url, database=db.name)
    return db


async def drop_database(db: TestDatabase) -> None:
    assert db.name.startswith("shopkeeper_test_"), "only test databases are ever dropped"
    conn = await asyncpg.connect(ADMIN_URL)
    try:
        await conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", db.name
        )
        await conn.execute(f'DROP DATABASE IF EXISTS "{db.name}"')
    finally:
        await conn.close()


async def create_migrated_database(
    suffix: str, admin_url: str = ADMIN_URL, host: str = HOST
) -> TestDatabase:
    db = await create_database(suffix, admin_url, host)
    await asyncio.to_thread(migrate, db)
    return db
