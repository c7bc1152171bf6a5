"""Rotate a webhook endpoint's secret (CHN-3): the new secret takes effect at once, the
next attempt is signed with it. Deliveries held because the old secret did not decrypt
(``WebhookDelivery.held``) are released in the same transaction and queued after it
commits (``SecretRotation``); the periodic sweep queues them too if the broker is down."""

from __future__ import annotations

from uuid import UUID

from application.shared.clock import IdGenerator
from application.shared.context import CallContext
from application.shared.messaging import TaskQueue
from application.shared.runner import CommandRunner
from application.shared.use_case import Command, Work, runs
from application.webhooks.common import load_endpoint
from application.webhooks.deliveries.common import queue_replay
from application.webhooks.endpoints.common import EndpointWithSecret, generate_secret
from application.webhooks.ports import WEBHOOKS, RandomSource
from domain.webhooks.permissions import WEBHOOKS_MANAGE


class RotateSecret(
    Command[EndpointWithSecret],
    action="webhook_endpoint.rotate_secret",
    permission=WEBHOOKS_MANAGE,
    target="endpoint_id",
):
    endpoint_id: UUID


class RotateSecretHandler:
    def __init__(self, random: RandomSource) -> None:
        self._random = random

    async def handle(self, command: RotateSecret, work: Work) -> EndpointWithSecret:
        webhooks = work.uow.of(WEBHOOKS).webhooks
        endpoint = await load_endpoint(work.uow, command.endpoint_id)
        stored_version = endpoint.version
        secret = generate_secret(self._random)
        now = work.clock.now()
        endpoint.secret_rotated(now)
        await webhooks.save_endpoint(endpoint, stored_version)
        await webhooks.replace_secret(endpoint.id, secret)
        released = tuple(d for d in await webhooks.held_deliveries(endpoint.id) if d.release(now))
        for delivery in released:
            await webhooks.save_delivery(delivery)
        detail: dict[str, object] = {"version": endpoint.version}
        if released:
            detail["released"] = len(released)
        work.audit(endpoint.id, detail=detail)
        work.publish(endpoint)
        return EndpointWithSecret(endpoint, secret, released)


class SecretRotation:
    """Rotates through the runner, then queues the deliveries the rotation released."""

    def __init__(
        self, runner: CommandRunner, queue: TaskQueue, ids: IdGenerator, random: RandomSource
    ) -> None:
        self._runner = runner
        self._queue = queue
        self._ids = ids
        self._rotate = RotateSecretHandler(random)

    @runs(RotateSecret)
    async def rotate(self, ctx: CallContext, endpoint_id: UUID) -> EndpointWithSecret:
        rotated = await self._runner.run(ctx, RotateSecret(endpoint_id), self._rotate)
        for delivery in rotated.released:
            await queue_replay(self._queue, self._ids, ctx.tenant_id, delivery)
        return rotated
