"""Rotate a webhook endpoint's secret (CHN-3): the new secret takes effect at once, the
next attempt is signed with it."""

from __future__ import annotations

from uuid import UUID

from application.shared.use_case import Command, Work
from application.webhooks.common import load_endpoint
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
        endpoint.secret_rotated(work.clock.now())
        await webhooks.save_endpoint(endpoint, stored_version)
        await webhooks.replace_secret(endpoint.id, secret)
        work.audit(endpoint.id, detail={"version": endpoint.version})
        work.publish(endpoint)
        return EndpointWithSecret(endpoint, secret)
