"""EnvelopeFieldCipher and FileKeyStore against the real Postgres (PLT-4)."""

from __future__ import annotations

import asyncio
import stat
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import asyncpg
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.crypto.field_cipher import (
    EnvelopeFieldCipher,
    TenantKeyUnavailable,
    UndecryptableValue,
)
from adapters.crypto.keystore import FileKeyStore, KeyMissing
from adapters.postgres.shared.engine import create_engine
from adapters.postgres.shared.provisioning import provision

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
ALEMBIC_INI = Path(__file__).resolve().parents[3] / "alembic.ini"


def _url(role: str, database: str) -> str:
    return f"postgresql://{role}@127.0.0.1:5432/{database}"


@dataclass
class CipherDb:
    owner_engine: AsyncEngine
    platform_engine: AsyncEngine
    key_dir: Path

    def cipher(self) -> EnvelopeFieldCipher:
        """A fresh instance: empty caches, same key store and database."""
        return EnvelopeFieldCipher(FileKeyStore(self.key_dir), self.platform_engine)


async def _drop_database(name: str) -> None:
    conn = await asyncpg.connect(ADMIN_URL)
    try:
        await conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = $1 AND pid <> pg_backend_pid()",
            name,
        )
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture(scope="module")
async def cipher_db(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[CipherDb]:
    database = f"shopkeeper_test_cipher_{uuid.uuid4().hex[:8]}"
    owner_url = _url("shopkeeper_owner", database)
    await provision(
        ADMIN_URL,
        owner_url,
        _url("shopkeeper_app", database),
        _url("shopkeeper_platform", database),
        database=database,
    )
    owner_engine = platform_engine = None
    try:
        cfg = Config(str(ALEMBIC_INI))
        cfg.attributes["database_url"] = owner_url
        # migrations/env.py calls asyncio.run, which cannot nest in this running loop.
        await asyncio.to_thread(command.upgrade, cfg, "head")
        owner_engine = create_engine(owner_url, pool_size=2)
        platform_engine = create_engine(_url("shopkeeper_platform", database), pool_size=2)
        yield CipherDb(owner_engine, platform_engine, tmp_path_factory.mktemp("keys") / "kek")
    finally:
        for engine in (owner_engine, platform_engine):
            if engine is not None:
                await engine.dispose()
        await _drop_database(database)


@pytest.fixture
async def new_tenant(cipher_db: CipherDb) -> Callable[[], Awaitable[UUID]]:
    """A fresh tenant row (inserted as the owner) with its keys created."""

    async def make() -> UUID:
        tenant_id = uuid.uuid4()
        async with cipher_db.owner_engine.begin() as conn:
            await conn.execute(
                text("INSERT INTO tenants (id, slug, name) VALUES (:id, :slug, :name)"),
                {"id": tenant_id, "slug": f"t-{tenant_id.hex[:12]}", "name": "测试商户"},
            )
        await cipher_db.cipher().create(tenant_id)
        return tenant_id

    return make


TEXTS = ["alice@example.com", "+8613800138000", "张三", "上海市浦东新区世纪大道100号…", ""]


@pytest.mark.parametrize("plaintext", TEXTS)
async def test_round_trip(
    cipher_db: CipherDb, new_tenant: Callable[[], Awaitable[UUID]], plaintext: str
) -> None:
    """PLT-4: ASCII and Chinese text decrypt to what was encrypted, and are not stored plain."""
    tenant = await new_tenant()
    cipher = cipher_db.cipher()
    row = uuid.uuid4()
    blob = await cipher.encrypt(tenant, "customer.name", row, plaintext)
    assert plaintext.encode() not in blob or plaintext == ""
    assert await cipher.decrypt(tenant, "customer.name", row, blob) == plaintext
    # A fresh instance (no cached keys) reads it through the wrapped key in the database.
    assert await cipher_db.cipher().decrypt(tenant, "customer.name", row, blob) == plaintext


async def test_ciphertext_cannot_be_moved_or_altered(
    cipher_db: CipherDb, new_tenant: Callable[[], Awaitable[UUID]]
) -> None:
    """PLT-4: a value copied to another row, field or tenant, or altered, does not decrypt."""
    tenant, other_tenant = await new_tenant(), await new_tenant()
    cipher = cipher_db.cipher()
    row = uuid.uuid4()
    blob = await cipher.encrypt(tenant, "customer.phone", row, "+8613800138000")

    with pytest.raises(UndecryptableValue):
        await cipher.decrypt(tenant, "customer.phone", uuid.uuid4(), blob)
    with pytest.raises(UndecryptableValue):
        await cipher.decrypt(tenant, "customer.email", row, blob)
    with pytest.raises(UndecryptableValue):
        await cipher.decrypt(other_tenant, "customer.phone", row, blob)
    for position in (0, 3, 10, len(blob) - 1):
        tampered = bytearray(blob)
        tampered[position] ^= 0x01
        with pytest.raises(UndecryptableValue):
            await cipher.decrypt(tenant, "customer.phone", row, bytes(tampered))
    with pytest.raises(UndecryptableValue):
        await cipher.decrypt(tenant, "customer.phone", row, blob[:-1])


async def test_rotation_keeps_old_versions_and_blind_indexes(
    cipher_db: CipherDb, new_tenant: Callable[[], Awaitable[UUID]]
) -> None:
    """PLT-4: after rotate new values use version 2, version 1 still decrypts, and blind
    indexes are stable across rotation, deterministic, and differ between tenants."""
    tenant, other_tenant = await new_tenant(), await new_tenant()
    cipher = cipher_db.cipher()
    row = uuid.uuid4()
    old_blob = await cipher.encrypt(tenant, "customer.email", row, "alice@example.com")
    assert int.from_bytes(old_blob[1:5], "big") == 1
    index_before = await cipher.blind_index(tenant, "customer.email", "alice@example.com")

    assert await cipher.rotate(tenant) == 2

    new_blob = await cipher.encrypt(tenant, "customer.email", row, "alice@example.com")
    assert int.from_bytes(new_blob[1:5], "big") == 2
    # Another process, with its own cache, also moves to version 2.
    fresh = cipher_db.cipher()
    fresh_blob = await fresh.encrypt(tenant, "customer.email", row, "bob@example.com")
    assert int.from_bytes(fresh_blob[1:5], "big") == 2
    for reader in (cipher, fresh):
        assert await reader.decrypt(tenant, "customer.email", row, old_blob) == "alice@example.com"
        assert await reader.decrypt(tenant, "customer.email", row, new_blob) == "alice@example.com"

    index_after = await fresh.blind_index(tenant, "customer.email", "alice@example.com")
    assert index_after == index_before
    assert len(index_after) == 32
    assert await cipher.blind_index(tenant, "customer.email", "bob@example.com") != index_after
    assert await cipher.blind_index(tenant, "customer.phone", "alice@example.com") != index_after
    assert (
        await cipher.blind_index(other_tenant, "customer.email", "alice@example.com") != index_after
    )

    async with cipher_db.owner_engine.connect() as conn:
        versions = (
            await conn.scalars(
                text("SELECT id FROM tenant_data_keys WHERE tenant_id = :t ORDER BY id"),
                {"t": tenant},
            )
        ).all()
    assert versions == [1, 2]


async def test_create_is_idempotent(
    cipher_db: CipherDb, new_tenant: Callable[[], Awaitable[UUID]]
) -> None:
    """PLT-4: creating a tenant's keys twice keeps the first KEK and data key."""
    tenant = await new_tenant()
    cipher = cipher_db.cipher()
    row = uuid.uuid4()
    blob = await cipher.encrypt(tenant, "customer.name", row, "张三")
    await cipher_db.cipher().create(tenant)
    assert await cipher_db.cipher().decrypt(tenant, "customer.name", row, blob) == "张三"
    async with cipher_db.owner_engine.connect() as conn:
        count = await conn.scalar(
            text("SELECT count(*) FROM tenant_data_keys WHERE tenant_id = :t"), {"t": tenant}
        )
    assert count == 1


async def test_destroy_shreds_only_that_tenant(
    cipher_db: CipherDb, new_tenant: Callable[[], Awaitable[UUID]]
) -> None:
    """PLT-4: once the KEK is destroyed the tenant's values and blind indexes are gone, even
    for an instance with an empty cache; another tenant is unaffected."""
    tenant, other_tenant = await new_tenant(), await new_tenant()
    cipher = cipher_db.cipher()
    row = uuid.uuid4()
    blob = await cipher.encrypt(tenant, "customer.name", row, "张三")
    other_blob = await cipher.encrypt(other_tenant, "customer.name", row, "李四")
    await cipher.blind_index(tenant, "customer.email", "a@example.com")  # warm the caches

    await cipher.destroy(tenant)

    for reader in (cipher, cipher_db.cipher()):
        with pytest.raises(TenantKeyUnavailable):
            await reader.decrypt(tenant, "customer.name", row, blob)
        with pytest.raises(UndecryptableValue):
            await reader.blind_index(tenant, "customer.email", "a@example.com")
        with pytest.raises(UndecryptableValue):
            await reader.encrypt(tenant, "customer.name", row, "王五")
        assert await reader.decrypt(other_tenant, "customer.name", row, other_blob) == "李四"
        await reader.blind_index(other_tenant, "customer.email", "a@example.com")

    # The wrapped data keys stay until the tenant's rows go; they are useless without the KEK.
    async with cipher_db.owner_engine.connect() as conn:
        count = await conn.scalar(
            text("SELECT count(*) FROM tenant_data_keys WHERE tenant_id = :t"), {"t": tenant}
        )
    assert count == 1


async def test_keystore_files_are_private(tmp_path: Path) -> None:
    """PLT-4: KEK files are 0600 in a 0700 directory; create keeps the key, destroy removes it."""
    store = FileKeyStore(tmp_path / "keys")
    tenant = uuid.uuid4()
    await store.create(tenant)
    path = tmp_path / "keys" / f"{tenant}.kek"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "keys").stat().st_mode) == 0o700
    key = await store.load(tenant)
    assert len(key) == 32

    await store.create(tenant)
    assert await store.load(tenant) == key
    assert [p.name for p in (tmp_path / "keys").iterdir()] == [path.name]  # no temp files left

    await store.destroy(tenant)
    assert not path.exists()
    with pytest.raises(KeyMissing):
        await store.load(tenant)
    await store.destroy(tenant)  # destroying twice is harmless
