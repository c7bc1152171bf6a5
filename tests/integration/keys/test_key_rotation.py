"""Data-key rotation with resumable re-encryption (PLT-4), against the real Postgres.

The job is stopped half-way twice over: in-process (the fault point raises inside a batch's
transaction) and as a real ``shopkeeper keys rotate`` subprocess that kills itself with
SIGKILL in the middle of a batch. After resuming, every value decrypts to what it was, every
ciphertext (read raw, as the owner) names the new key version, progress reaches the total,
the old version is retired, and the blind indexes still find customers by phone and email.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import asyncpg
import httpx
import pytest

from adapters.crypto.field_cipher import key_version
from adapters.postgres.shared.encrypted_sources import encrypted_sources
from application.customers import GetCustomer, RegisterCustomer, search_query
from application.customers.inputs import AddressInput, NewCustomer
from application.customers.queries import CustomerSearch
from application.customers.views import CustomerView
from application.keys.reencrypt import InjectedFault
from application.keys.rotation import KeyRotation
from application.shared.context import Actor, ActorKind, CallContext
from application.shared.job import JobStatus
from bootstrap import Container
from bootstrap.settings import Settings
from domain.identity.permissions import ALL_PERMISSIONS
from domain.shared.errors import Conflict
from tests.conftest import TenantHandle, cli_env, support_context
from tests.support.cli import shopkeeper as in_process
from tests.support.databases import TestDatabase
from tests.support.processes import SHOPKEEPER

ENCRYPTED = ("name_enc", "phone_enc", "email_enc", "addresses_enc")
CUSTOMERS = 14


@pytest.fixture
async def owner(database: TestDatabase) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(database.owner_url)
    try:
        yield conn
    finally:
        await conn.close()


def ctx(tenant: TenantHandle) -> CallContext:
    return CallContext(
        tenant.id, Actor(ActorKind.SUPPORT, "pytest"), ALL_PERMISSIONS, uuid.uuid4().hex
    )


async def register_customers(tenant: TenantHandle) -> dict[uuid.UUID, CustomerView]:
    """Customers with every personal field (some without email), read back as written."""
    views = {}
    for n in range(CUSTOMERS):
        new = NewCustomer(
            name=f"客户{n:02d} 张",
            phone=f"1380000{n:04d}",
            email=f"c{n}@shop.example" if n % 3 else None,
            addresses=[AddressInput("浙江省", "杭州市", "西湖区", f"文三路 {n} 号", f"收件人{n}")],
            tags=["vip"],
        )
        created = await tenant.container.use_cases.run(ctx(tenant), RegisterCustomer(new))
        views[created.id] = await tenant.container.use_cases.query(
            ctx(tenant), GetCustomer(created.id)
        )
    return views


async def versions(owner: asyncpg.Connection, tenant: TenantHandle) -> list[set[int]]:
    """Per customer in id order, the key versions its ciphertexts name (read raw)."""
    rows = await owner.fetch(
        f"SELECT {', '.join(ENCRYPTED)} FROM customers WHERE tenant_id = $1 ORDER BY id",
        tenant.id,
    )
    return [{key_version(bytes(r[c])) for c in ENCRYPTED if r[c] is not None} for r in rows]


async def assert_everything_moved(
    container: Container,
    tenant: TenantHandle,
    owner: asyncpg.Connection,
    originals: dict[uuid.UUID, CustomerView],
    target: int,
) -> None:
    assert await versions(owner, tenant) == [{target}] * len(originals)
    for customer_id, before in originals.items():
        after = await container.use_cases.query(ctx(tenant), GetCustomer(customer_id))
        assert after == before  # same values, same version, same timestamps
        assert before.phone is not None
        found = await container.use_cases.query(
            ctx(tenant), search_query(CustomerSearch(phone=before.phone), None, None)
        )
        assert [v.id for v in found.items] == [customer_id]
        if before.email is not None:
            found = await container.use_cases.query(
                ctx(tenant), search_query(CustomerSearch(email=before.email), None, None)
            )
            assert [v.id for v in found.items] == [customer_id]
    keys = await owner.fetch(
        "SELECT id, retired_at IS NOT NULL AS retired FROM tenant_data_keys"
        " WHERE tenant_id = $1 ORDER BY id",
        tenant.id,
    )
    assert [(k["id"], k["retired"]) for k in keys] == [
        *[(v, True) for v in range(1, target)],
        (target, False),
    ]


async def test_reencryption_stopped_half_way_in_process_resumes_to_the_end(
    container: Container,
    tenant: TenantHandle,
    owner: asyncpg.Connection,
    client: httpx.AsyncClient,
) -> None:
    originals = await register_customers(tenant)
    # A stored idempotent response is encrypted too (a text-keyed source).
    headers = {**await tenant.headers("owner"), "Idempotency-Key": "rotate-me"}
    body = {"name": "王五", "phone": "13700001111"}
    first = await client.post("/api/v1/customers", json=body, headers=headers)
    assert first.status_code == 201, first.text
    originals[uuid.UUID(first.json()["id"])] = await container.use_cases.query(
        ctx(tenant), GetCustomer(uuid.UUID(first.json()["id"]))
    )

    job = await container.get(KeyRotation).rotate(support_context(), tenant.id, timedelta(0))
    assert job.parameters["target_version"] == 2 and job.status is JobStatus.QUEUED
    with pytest.raises(Conflict) as refused:  # one re-encryption at a time
        await container.get(KeyRotation).rotate(support_context(), tenant.id, timedelta(0))
    assert refused.value.code == "reencryption_in_progress"

    with pytest.raises(InjectedFault):
        await container.get(KeyRotation).run(tenant.id, job.id, batch_size=4, fault_after_batches=2)
    stopped = await container.get(KeyRotation).job(support_context(), tenant.id, job.id)
    assert stopped.status is JobStatus.FAILED and "InjectedFault" in (stopped.error or "")
    assert stopped.done == 8 and stopped.total == CUSTOMERS + 1 + 1  # + one idempotency key
    # Exactly the two committed batches moved; the third rolled back with its checkpoint.
    assert await versions(owner, tenant) == [{2}] * 8 + [{1}] * (CUSTOMERS + 1 - 8)

    resumed = await container.get(KeyRotation).run(tenant.id, job.id, batch_size=4)
    assert resumed.status is JobStatus.SUCCEEDED
    assert resumed.done == resumed.total == CUSTOMERS + 2
    await assert_everything_moved(container, tenant, owner, originals, target=2)
    replay = await client.post("/api/v1/customers", json=body, headers=headers)
    assert replay.status_code == 201 and replay.json() == first.json()
    stored = await owner.fetchval(
        "SELECT body FROM idempotency_keys WHERE tenant_id = $1", tenant.id
    )
    assert key_version(bytes(stored)) == 2

    # New writes use the new version; the trail names the rotation and its completion.
    extra = await container.use_cases.run(
        ctx(tenant), RegisterCustomer(NewCustomer("新客户", "13911112222"))
    )
    name_enc = await owner.fetchval(
        "SELECT name_enc FROM customers WHERE tenant_id = $1 AND id = $2", tenant.id, extra.id
    )
    assert key_version(bytes(name_enc)) == 2
    actions = await owner.fetch(
        "SELECT action, detail FROM audit_log WHERE tenant_id = $1 AND action LIKE 'keys.%'"
        " ORDER BY occurred_at",
        tenant.id,
    )
    assert [a["action"] for a in actions] == ["keys.rotate", "keys.reencrypt"]
    # Running a finished job again does nothing.
    again = await container.get(KeyRotation).run(tenant.id, job.id, batch_size=4)
    assert again.done == resumed.done and await versions(owner, tenant) == [{2}] * (CUSTOMERS + 2)


async def test_reencryption_killed_with_sigkill_resumes_through_the_cli(
    container: Container, settings: Settings, tenant: TenantHandle, owner: asyncpg.Connection
) -> None:
    originals = await register_customers(tenant)
    env = cli_env(settings)
    killed = await _cli(
        {**env, "SHOPKEEPER_FAULT_REENCRYPT_AFTER_BATCHES": "2"},
        "keys", "rotate", "--tenant", tenant.slug, "--batch-size", "3", "--settle-seconds", "0",
    )  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert "data key version 2 created" in killed.stdout

    status = await in_process(env, "keys", "status", "--tenant", tenant.slug)
    assert f"running, 6/{CUSTOMERS} rows, target version 2" in status.stdout, status.stdout
    assert await versions(owner, tenant) == [{2}] * 6 + [{1}] * (CUSTOMERS - 6)
    refused = await in_process(
        env, "keys", "rotate", "--tenant", tenant.slug, "--settle-seconds", "0"
    )
    assert refused.returncode == 2 and "reencryption_in_progress" in refused.stderr

    resumed = await in_process(env, "keys", "resume", "--tenant", tenant.slug, "--batch-size", "3")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert f"succeeded, {CUSTOMERS}/{CUSTOMERS} rows" in resumed.stdout
    await assert_everything_moved(container, tenant, owner, originals, target=2)

    # A second rotation runs end to end without interruption.
    rotated = await in_process(
        env, "keys", "rotate", "--tenant", tenant.slug, "--settle-seconds", "0"
    )
    assert rotated.returncode == 0, rotated.stdout + rotated.stderr
    assert "target version 3" in rotated.stdout
    await assert_everything_moved(container, tenant, owner, originals, target=3)
    operator = await owner.fetch(
        "SELECT action FROM operator_audit_log WHERE tenant_id = $1 AND action LIKE 'keys.%'"
        " ORDER BY occurred_at",
        tenant.id,
    )
    assert [r["action"] for r in operator] == ["keys.rotate", "keys.resume", "keys.rotate"]


async def test_the_worker_task_runs_in_slices_and_re_enqueues_itself(
    container: Container,
    tenant: TenantHandle,
    owner: asyncpg.Connection,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``keys rotate --no-wait`` hands the job to the worker: each message runs a slice and
    enqueues the next, with progress in the job row (the handler is called directly)."""
    from entrypoints.worker import key_rotation
    from entrypoints.worker.tasks import TaskMessage

    originals = await register_customers(tenant)
    job = await container.get(KeyRotation).rotate(support_context(), tenant.id, timedelta(0))
    enqueued: list[tuple[str, dict[str, str], str | None]] = []

    async def enqueue(
        task: str, payload: dict[str, str], *, message_id: str | None = None, delay_ms: int = 0
    ) -> None:
        enqueued.append((task, payload, message_id))

    monkeypatch.setattr(container.task_queue, "enqueue", enqueue)
    monkeypatch.setattr(key_rotation, "SLICE_SECONDS", 0.0)  # one batch per message
    payload = {"tenant_id": str(tenant.id), "job_id": str(job.id)}
    message = TaskMessage("keys.reencrypt", f"keys.reencrypt:{job.id}", payload)
    await key_rotation.reencrypt(container, message)
    first = await container.get(KeyRotation).job(support_context(), tenant.id, job.id)
    assert first.status is JobStatus.RUNNING and first.done == min(CUSTOMERS, 200)
    assert enqueued == [("keys.reencrypt", payload, f"keys.reencrypt:{job.id}:{first.done}")]
    while enqueued:
        task, next_payload, message_id = enqueued.pop()
        await key_rotation.reencrypt(container, TaskMessage(task, message_id or "", next_payload))
    finished = await container.get(KeyRotation).job(support_context(), tenant.id, job.id)
    assert finished.succeeded and finished.done == finished.total == CUSTOMERS
    await assert_everything_moved(container, tenant, owner, originals, target=2)


async def test_every_encrypted_column_is_walked_by_the_reencryption(
    owner: asyncpg.Connection,
) -> None:
    """A new ``*_enc`` column must be registered, or rotation would leave it behind."""
    rows = await owner.fetch(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = 'public' AND data_type = 'bytea' AND column_name LIKE '%\\_enc'"
    )
    registered = {(s.table, column) for s in encrypted_sources() for column, _ in s.columns}
    assert {(r["table_name"], r["column_name"]) for r in rows} <= registered


async def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """A real process, which the fault kills with SIGKILL (the rest run in-process)."""
    return await asyncio.to_thread(
        subprocess.run,
        [SHOPKEEPER, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
