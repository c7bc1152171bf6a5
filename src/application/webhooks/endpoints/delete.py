"""Remove a webhook endpoint with its delivery log (CHN-3)."""

from __future__ import annotations

from uuid import UUID

from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from application.webhooks.common import ENDPOINT, load_endpoint
from application.webhooks.ports import WEBHOOKS
from domain.shared.events import DomainEvent
from domain.webhooks.endpoint import SENSITIVE_FIELDS
from domain.webhooks.permissions import WEBHOOKS_MANAGE


class DeleteEndpoint(
    Command[None],
    action="webhook_endpoint.delete",
    permission=WEBHOOKS_MANAGE,
    target="endpoint_id",
):
    endpoint_id: UUID
    expected_version: int | None


class DeleteEndpointHandler:
    async def handle(self, command: DeleteEndpoint, work: Work) -> None:
        endpoint = await load_endpoint(work.uow, command.endpoint_id)
        check_version(command.expected_version, endpoint.version)
        await work.uow.of(WEBHOOKS).webhooks.delete_endpoint(endpoint.id)
        work.audit(endpoint.id, endpoint.snapshot(), {}, personal=SENSITIVE_FIELDS)
        work.emit(DomainEvent("webhook_endpoint.deleted", ENDPOINT, endpoint.id))
