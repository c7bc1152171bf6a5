"""``shopkeeper webhooks deliveries|show|replay`` for support staff (CHN-3), run in-process
(tests.support.cli): a dead delivery is found, inspected and replayed, and each step is in the
operator audit (the replay also in the tenant's audit, with the operator as actor)."""

from __future__ import annotations

import dataclasses
import secrets
import subprocess
import uuid
from datetime import UTC, datetime

from sqlalchemy import text

from application.shared.messages import PublishedEvent
from application.webhooks.ports import WEBHOOKS
from bootstrap import Container
from bootstrap.settings import Settings
from domain.webhooks.delivery import DeliveryStatus
from domain.webhooks.endpoint import WebhookEndpoint
from domain.webhooks.signature import new_secret
from tests.conftest import TenantHandle, cli_env, delete_redis_prefix
from tests.integration.webhooks.test_delivery import harness
from tests.support.cli import shopkeeper as in_process


async def shopkeeper(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return await in_process({**cli_env(settings), "SHOPKEEPER_LANG": "en"}, *args)


async def _dead_delivery(container: Container, tenant: TenantHandle) -> uuid.UUID:
    """One attempt allowed, to an address that is refused: dead at once."""
    hooks = harness(container, allow_loopback=False, max_attempts=1)
    now = datetime.now(UTC)
    endpoint = WebhookEndpoint(uuid.uuid4(), "https://127.0.0.1:1/hook", ("*",), "", True, now, now)
    event = PublishedEvent(
        uuid.uuid4(), tenant.id, "customer.updated", "customer", uuid.uuid4(), ("tags",), now
    )
    async with container.uow_factory.for_tenant(tenant.admin_context) as uow:
        await uow.of(WEBHOOKS).webhooks.add_endpoint(endpoint, new_secret(secrets.token_bytes(32)))
        [delivery] = await hooks.service.record_deliveries_for_event.in_unit_of_work(uow, event)
        await uow.commit()
    report = await hooks.service.deliver(tenant.id, delivery.id)
    assert report.status is DeliveryStatus.DEAD
    return delivery.id


async def test_support_lists_inspects_and_replays_a_dead_delivery(
    settings: Settings, container: Container, tenant: TenantHandle
) -> None:
    delivery_id = await _dead_delivery(container, tenant)
    # Its own broker namespace: the replayed attempt is queued where no worker listens.
    private = dataclasses.replace(
        settings, redis_prefix=f"{settings.redis_prefix}cli-{uuid.uuid4().hex[:6]}:"
    )
    try:
        listed = await shopkeeper(
            private, "webhooks", "deliveries", "--tenant", tenant.slug, "--status", "dead"
        )
        assert listed.returncode == 0, listed.stderr
        [line] = listed.stdout.splitlines()
        assert line.startswith(f"{delivery_id}\tdead\tcustomer.updated")
        assert "refused_destination:loopback" in line

        shown = await shopkeeper(
            private, "webhooks", "show", "--tenant", tenant.slug, str(delivery_id)
        )
        assert shown.returncode == 0, shown.stderr
        assert f"msg_{delivery_id}" in shown.stdout
        assert "series 1 attempt 1" in shown.stdout and "refused_destination" in shown.stdout

        replayed = await shopkeeper(
            private,
            "webhooks",
            "replay",
            "--tenant",
            tenant.slug,
            str(delivery_id),
            "--reason",
            "customer asked",
        )
        assert replayed.returncode == 0, replayed.stderr
        assert "series 2" in replayed.stdout
        pending = await shopkeeper(
            private, "webhooks", "deliveries", "--tenant", tenant.slug, "--status", "pending"
        )
        assert str(delivery_id) in pending.stdout

        again = await shopkeeper(
            private, "webhooks", "replay", "--tenant", tenant.slug, str(delivery_id)
        )
        assert again.returncode == 2 and "webhook_delivery_pending" in again.stderr
        unknown = await shopkeeper(private, "webhooks", "deliveries", "--tenant", "no-such-tenant")
        assert unknown.returncode == 2 and "not_found" in unknown.stderr
    finally:
        await delete_redis_prefix(container.redis, private.redis_prefix)

    async with container.platform_engine.connect() as conn:
        operator = list(
            await conn.execute(
                text(
                    "SELECT operator, action, reason FROM operator_audit_log"
                    " WHERE tenant_id = :t ORDER BY occurred_at"
                ),
                {"t": tenant.id},
            )
        )
        tenant_audit = list(
            await conn.execute(
                text("SELECT actor, action FROM audit_log WHERE tenant_id = :t AND entity_id = :d"),
                {"t": tenant.id, "d": delivery_id},
            )
        )
    actions = [(r.operator, r.action) for r in operator]
    assert ("support:pytest", "webhook_delivery.list") in actions
    assert ("support:pytest", "webhook_delivery.inspect") in actions
    assert ("support:pytest", "webhook_delivery.replay") in actions
    assert any(
        r.action == "webhook_delivery.replay" and r.reason == "customer asked" for r in operator
    )
    assert [(r.actor, r.action) for r in tenant_audit] == [
        ("support:pytest", "webhook_delivery.replay")
    ]
