"""Crypto-shredding (PLT-4): a pg_dump taken before `tenants delete`, restored afterwards,
yields no readable personal data — the key-encryption key was never in the database."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import uuid
from pathlib import Path

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from adapters.crypto.field_cipher import EnvelopeFieldCipher, UndecryptableValue
from adapters.crypto.keystore import FileKeyStore
from adapters.postgres.shared.engine import create_engine
from application.identity.tenant_operations import TenantOperations
from bootstrap import Container
from bootstrap.settings import Settings
from tests.conftest import TenantHandle, support_context
from tests.support.databases import ADMIN_URL, RUN_ID, TestDatabase, drop_database

PLAINTEXTS = ["张三丰", "13912345678", "zsf@example.com", "武当山"]
FIELDS = {
    "name_enc": "customer.name",
    "phone_enc": "customer.phone",
    "email_enc": "customer.email",
    "addresses_enc": "customer.addresses",
}


def _pg_tool(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))), None
    )
    if not found:
        pytest.fail(f"{name} is needed for the crypto-shredding test (install postgresql-client)")
    return str(found)


async def test_restored_backup_of_a_deleted_tenant_is_unreadable(
    tenant: TenantHandle,
    client: httpx.AsyncClient,
    container: Container,
    database: TestDatabase,
    settings: Settings,
    tmp_path: Path,
) -> None:
    owner = await tenant.headers("owner")
    body = {
        "name": PLAINTEXTS[0],
        "phone": PLAINTEXTS[1],
        "email": PLAINTEXTS[2],
        "addresses": [
            {"province": "湖北省", "city": "十堰市", "district": "丹江口市", "line": PLAINTEXTS[3]}
        ],
    }
    created = await client.post("/api/v1/customers", json=body, headers=owner)
    assert created.status_code == 201, created.text
    customer_id = uuid.UUID(created.json()["id"])

    admin_url = make_url(ADMIN_URL)
    connection = [
        "-h",
        admin_url.host or "127.0.0.1",
        "-p",
        str(admin_url.port or 5432),
        "-U",
        admin_url.username or "postgres",
    ]
    dump = tmp_path / "before-delete.dump"
    await asyncio.to_thread(
        subprocess.run,
        [_pg_tool("pg_dump"), *connection, "-Fc", "-f", str(dump), database.name],
        check=True,
        capture_output=True,
        timeout=120,
    )

    await container.get(TenantOperations).delete(
        support_context("customer asked to close"), tenant.slug
    )
    assert not (settings.keystore / f"{tenant.id}.kek").exists()

    restored = TestDatabase(f"shopkeeper_test_{RUN_ID}_restore_{uuid.uuid4().hex[:6]}")
    admin = await asyncpg.connect(ADMIN_URL)
    try:
        await admin.execute(f'CREATE DATABASE "{restored.name}" TEMPLATE template0')
    finally:
        await admin.close()
    engine = None
    try:
        await asyncio.to_thread(
            subprocess.run,
            [_pg_tool("pg_restore"), *connection, "-d", restored.name, str(dump)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        raw = await asyncpg.connect(restored.url("postgres"))
        try:
            row = await raw.fetchrow(
                "SELECT name_enc, phone_enc, email_enc, addresses_enc FROM customers"
                " WHERE tenant_id = $1 AND id = $2",
                tenant.id,
                customer_id,
            )
        finally:
            await raw.close()
        assert row is not None, "the backup holds the tenant's rows"
        blob = b"".join(bytes(v) for v in row.values() if v is not None)
        for text in PLAINTEXTS:
            assert text.encode() not in blob

        # With the very same key store the service uses, nothing decrypts any more.
        engine = create_engine(restored.platform_url, pool_size=1, max_overflow=0)
        cipher = EnvelopeFieldCipher(FileKeyStore(settings.keystore), engine)
        for column, field in FIELDS.items():
            with pytest.raises(UndecryptableValue):
                await cipher.decrypt(tenant.id, field, customer_id, bytes(row[column]))
        with pytest.raises(UndecryptableValue):
            await cipher.blind_index(tenant.id, "customer.phone", "+8613912345678")
    finally:
        if engine is not None:
            await engine.dispose()
        await drop_database(restored)


async def test_other_tenants_survive_a_deletion(
    new_tenant, client: httpx.AsyncClient, container: Container
) -> None:
    keep, gone = await new_tenant(), await new_tenant()
    body = {"name": "李四", "phone": "13700000000"}
    kept = await client.post("/api/v1/customers", json=body, headers=await keep.headers("owner"))
    await client.post("/api/v1/customers", json=body, headers=await gone.headers("owner"))
    await container.get(TenantOperations).delete(support_context("test"), gone.slug)
    read = await client.get(
        f"/api/v1/customers/{kept.json()['id']}", headers=await keep.headers("owner")
    )
    assert read.status_code == 200
    assert read.json()["name"] == "李四"
