"""Change a webhook endpoint (CHN-3): URL, event types, description, active."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from application.webhooks.common import load_endpoint
from application.webhooks.ports import WEBHOOKS
from domain.webhooks.endpoint import SENSITIVE_FIELDS, WebhookEndpoint
from domain.webhooks.permissions import WEBHOOKS_MANAGE


@dataclass(frozen=True)
class EndpointChanges:
    url: str | None = None
    event_types: list[str] | None = None
    description: str | None = None
    active: bool | None = None


class UpdateEndpoint(
    Command[WebhookEndpoint],
    action="webhook_endpoint.update",
    permission=WEBHOOKS_MANAGE,
    target="endpoint_id",
):
    endpoint_id: UUID
    changes: EndpointChanges
    expected_version: int | None


class UpdateEndpointHandler:
    def __init__(self, *, allow_loopback: bool) -> None:
        self._allow_loopback = allow_loopback

    async def handle(self, command: UpdateEndpoint, work: Work) -> WebhookEndpoint:
        changes = command.changes
        endpoint = await load_endpoint(work.uow, command.endpoint_id)
        check_version(command.expected_version, endpoint.version)
        stored_version = endpoint.version
        before = endpoint.snapshot()
        changed = endpoint.change(
            work.clock.now(),
            url=changes.url.strip() if changes.url is not None else None,
            event_types=changes.event_types,
            description=changes.description,
            active=changes.active,
            allow_loopback=self._allow_loopback,
        )
        if not changed:
            return endpoint
        await work.uow.of(WEBHOOKS).webhooks.save_endpoint(endpoint, stored_version)
        work.audit(endpoint.id, before, endpoint.snapshot(), personal=SENSITIVE_FIELDS)
        work.publish(endpoint)
        return endpoint
