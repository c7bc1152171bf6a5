"""Register a webhook endpoint (CHN-3); its secret is shown once."""

from __future__ import annotations

from dataclasses import dataclass

from application.shared.use_case import Command, Work
from application.webhooks.endpoints.common import EndpointWithSecret, generate_secret
from application.webhooks.ports import WEBHOOKS, RandomSource
from domain.webhooks.endpoint import SENSITIVE_FIELDS, WebhookEndpoint
from domain.webhooks.permissions import WEBHOOKS_MANAGE


@dataclass(frozen=True)
class NewEndpoint:
    url: str
    event_types: list[str]
    description: str = ""
    active: bool = True


class CreateEndpoint(
    Command[EndpointWithSecret], action="webhook_endpoint.create", permission=WEBHOOKS_MANAGE
):
    new: NewEndpoint


class CreateEndpointHandler:
    def __init__(self, random: RandomSource, *, allow_loopback: bool) -> None:
        self._random = random
        self._allow_loopback = allow_loopback

    async def handle(self, command: CreateEndpoint, work: Work) -> EndpointWithSecret:
        new = command.new
        endpoint = WebhookEndpoint.register(
            work.ids.new_id(),
            new.url.strip(),
            new.event_types,
            new.description,
            new.active,
            work.clock.now(),
            allow_loopback=self._allow_loopback,
        )
        secret = generate_secret(self._random)
        await work.uow.of(WEBHOOKS).webhooks.add_endpoint(endpoint, secret)
        snapshot = endpoint.snapshot()
        work.audit(endpoint.id, {}, snapshot, personal=SENSITIVE_FIELDS)
        work.publish(endpoint)
        return EndpointWithSecret(endpoint, secret)
