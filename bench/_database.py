"""A throwaway database for one benchmark run, made the way the tests make theirs
(tests/support/databases.py): the three roles and a database created by ``provision``,
migrated to head by alembic as the owner, and dropped at the end — on success, failure or
Ctrl-C. Only databases named ``shopkeeper_bench_...`` are ever dropped.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from alembic import command
from alembic.config import Config

from adapters.postgres.shared.provisioning import provision

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "shopkeeper_bench_"
ADMIN_URL = os.environ.get(
    "SHOPKEEPER_BENCH_ADMIN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
HOST = os.environ.get("SHOPKEEPER_BENCH_DATABASE_HOST", "127.0.0.1:5432")


@dataclass(frozen=True)
class BenchDatabase:
    name: str

    def url(self, role: str) -> str:
        return f"postgresql://{role}@{HOST}/{self.name}"

    @property
    def owner_url(self) -> str:
        return self.url("shopkeeper_owner")

    @property
    def app_url(self) -> str:
        return self.url("shopkeeper_app")

    @property
    def platform_url(self) -> str:
        return self.url("shopkeeper_platform")

    @property
    def admin_url(self) -> str:
        """The superuser on this database (bulk loads and seeding past row-level security)."""
        return ADMIN_URL.rsplit("/", 1)[0] + "/" + self.name


def _migrate(db: BenchDatabase) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["database_url"] = db.owner_url
    command.upgrade(config, "head")


async def _drop(db: BenchDatabase) -> None:
    if not db.name.startswith(PREFIX):
        raise RuntimeError(f"refusing to drop {db.name}: not a benchmark database")
    conn = await asyncpg.connect(ADMIN_URL)
    try:
        await conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", db.name
        )
        await conn.execute(f'DROP DATABASE IF EXISTS "{db.name}"')
    finally:
        await conn.close()


@asynccontextmanager
async def bench_database(label: str) -> AsyncIterator[BenchDatabase]:
    """A migrated database ``shopkeeper_bench_<label>_<random>``, dropped on the way out
    (``SHOPKEEPER_BENCH_KEEP=1`` keeps it, to look at with psql; it says its name)."""
    db = BenchDatabase(f"{PREFIX}{label}_{uuid.uuid4().hex[:8]}")
    try:
        await provision(ADMIN_URL, db.owner_url, db.app_url, db.platform_url, database=db.name)
        # Alembic's env runs its own event loop.
        await asyncio.to_thread(_migrate, db)
        yield db
    finally:
        if os.environ.get("SHOPKEEPER_BENCH_KEEP") == "1":
            print(f"kept database {db.name} (drop it with: DROP DATABASE {db.name})")
        else:
            await _drop(db)
