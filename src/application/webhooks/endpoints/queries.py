"""Reading webhook endpoints (CHN-3; never their secrets)."""

from __future__ import annotations

from application.shared.reads import ById
from application.shared.use_case import Query, Reading
from application.webhooks.common import ENDPOINT
from application.webhooks.ports import WEBHOOKS
from domain.webhooks.endpoint import WebhookEndpoint
from domain.webhooks.permissions import WEBHOOKS_MANAGE


class ListEndpoints(Query[list[WebhookEndpoint]], entity=ENDPOINT, permission=WEBHOOKS_MANAGE):
    pass


class ListEndpointsHandler:
    async def handle(self, query: ListEndpoints, reading: Reading) -> list[WebhookEndpoint]:
        return await reading.uow.of(WEBHOOKS).webhooks.list_endpoints()


class GetEndpoint(ById[WebhookEndpoint], entity=ENDPOINT, permission=WEBHOOKS_MANAGE):
    pass
