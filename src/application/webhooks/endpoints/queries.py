"""Reading webhook endpoints (CHN-3; never their secrets)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.shared.use_case import Query, Reading
from application.webhooks.common import ENDPOINT, load_endpoint
from application.webhooks.ports import WEBHOOKS
from domain.webhooks.endpoint import WebhookEndpoint
from domain.webhooks.permissions import WEBHOOKS_MANAGE


@dataclass(frozen=True)
class ListEndpoints(Query[list[WebhookEndpoint]], entity=ENDPOINT, permission=WEBHOOKS_MANAGE):
    pass


class ListEndpointsHandler:
    async def handle(self, query: ListEndpoints, reading: Reading) -> list[WebhookEndpoint]:
        return await reading.uow.of(WEBHOOKS).webhooks.list_endpoints()


@dataclass(frozen=True)
class GetEndpoint(Query[WebhookEndpoint], entity=ENDPOINT, permission=WEBHOOKS_MANAGE):
    endpoint_id: UUID


class GetEndpointHandler:
    async def handle(self, query: GetEndpoint, reading: Reading) -> WebhookEndpoint:
        return await load_endpoint(reading.uow, query.endpoint_id)
