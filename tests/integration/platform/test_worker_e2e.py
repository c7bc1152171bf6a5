"""The worker (PLT-3 events; CHN-3 at-least-once delivery): actors are idempotent — the same
message delivered twice does its work once, whether the handler claims the message itself
(event subscribers) or through the command runner (``consuming``); a message that fails
every retry is dead-lettered, shown by ``shopkeeper jobs`` and retried from there, audited."""

from __future__ import annotations

import subprocess
import uuid

import pytest
from sqlalchemy import text

from application.identity.access_admin import CreateRole, NewRole
from application.shared.messages import AlreadyProcessed, consuming
from bootstrap import Container
from bootstrap.settings import Settings
from entrypoints.worker.tasks import TaskMessage, register, unregister
from tests.conftest import TenantHandle, cli_env
from tests.support.background import ProbeSubscriber, eventually, running_worker, write_events
from tests.support.cli import shopkeeper as in_process


async def queue_idle(container: Container, queue: str) -> bool:
    stats = {q.queue: q for q in await container.queues.stats([queue])}
    q = stats[queue]
    return q.waiting == 0 and q.in_flight == 0 and q.delayed == 0


async def test_the_same_event_message_delivered_twice_reaches_a_subscriber_once(
    settings: Settings, container: Container, tenant: TenantHandle
) -> None:
    [event_id] = await write_events(container, tenant.id, 1)
    payload = {"tenant_id": str(tenant.id), "event_id": str(event_id), "event_type": "test"}
    with ProbeSubscriber(tenant.id) as probe:
        for _ in range(2):  # as a relay that published, crashed before commit and published again
            await container.task_queue.enqueue("events.dispatch", payload, message_id=str(event_id))
        async with running_worker(settings, relay=False):
            await eventually(lambda: queue_idle(container, "events"), what="both messages handled")
        assert probe.delivered() == {event_id: 1}


async def test_a_use_case_run_for_the_same_message_twice_does_its_work_once(
    container: Container, tenant: TenantHandle
) -> None:
    message_id = uuid.uuid4().hex
    key = f"r{uuid.uuid4().hex[:8]}"
    role = NewRole(key, "Packers", [])
    with consuming("test.create_role", message_id):
        await container.use_cases.run(tenant.admin_context, CreateRole(role))
    with pytest.raises(AlreadyProcessed), consuming("test.create_role", message_id):
        await container.use_cases.run(tenant.admin_context, CreateRole(role))
    # A message that was claimed in a transaction that rolled back was not processed.
    with pytest.raises(Exception), consuming("test.create_role", "rolled-back"):
        await container.use_cases.run(tenant.admin_context, CreateRole(role))  # duplicate key
    async with container.platform_engine.connect() as conn:
        claims = await conn.scalar(
            text(
                "SELECT count(*) FROM processed_messages WHERE tenant_id = :t"
                " AND consumer = 'test.create_role'"
            ),
            {"t": tenant.id},
        )
    assert claims == 1


async def test_a_dead_letter_is_listed_and_retried_through_the_cli_and_audited(
    settings: Settings, container: Container, tenant: TenantHandle, database: object
) -> None:
    attempts: list[str] = []
    state = {"healed": False}  # read on the worker's event loop thread

    @register("testjobs.flaky", max_retries=0)
    async def flaky(_: Container, message: TaskMessage) -> None:
        attempts.append(message.message_id)
        if not state["healed"]:
            raise RuntimeError("the receiving system is down")

    message_id = f"flaky-{uuid.uuid4().hex[:8]}"
    try:
        async with running_worker(settings, relay=False):
            await container.task_queue.enqueue(
                "testjobs.flaky", {"tenant_id": str(tenant.id)}, message_id=message_id
            )

            async def dead() -> bool:
                letters = await container.queues.dead_letters("testjobs")
                return any(letter.message_id == message_id for letter in letters)

            await eventually(dead, what="the message dead-lettered")

            listed = await shopkeeper(settings, "jobs", "dead-letters", "--queue", "testjobs")
            assert listed.returncode == 0, listed.stderr
            line = next(x for x in listed.stdout.splitlines() if x.startswith(message_id))
            assert "testjobs.flaky" in line and str(tenant.id) in line
            assert "RuntimeError" in line

            backlog = await shopkeeper(settings, "jobs", "backlog")
            assert backlog.returncode == 0, backlog.stderr
            assert "testjobs" in backlog.stdout

            refused = await shopkeeper(settings, "jobs", "retry", "--reason", "x")
            assert refused.returncode != 0

            state["healed"] = True
            retried = await shopkeeper(
                settings, "jobs", "retry", message_id, "--reason", "ticket 7"
            )
            assert retried.returncode == 0, retried.stderr
            assert message_id in retried.stdout
            await eventually(lambda: len(attempts) == 2, what="the retried message handled")
            await eventually(lambda: queue_idle(container, "testjobs"), what="queue drained")
            assert not await container.queues.dead_letters("testjobs")
    finally:
        unregister("testjobs.flaky")
    assert attempts == [message_id, message_id]

    async with container.platform_engine.connect() as conn:
        audit = (
            await conn.execute(
                text(
                    "SELECT operator, reason, detail FROM operator_audit_log"
                    " WHERE action = 'jobs.retry' AND tenant_id = :t"
                ),
                {"t": tenant.id},
            )
        ).all()
    assert len(audit) == 1
    assert audit[0].operator == "support:pytest" and audit[0].reason == "ticket 7"
    assert audit[0].detail["message_id"] == message_id


async def shopkeeper(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return await in_process(cli_env(settings), *args)
