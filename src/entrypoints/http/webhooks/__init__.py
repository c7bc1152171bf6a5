"""Outgoing webhooks over HTTP: endpoints and the delivery log (CHN-3)."""

from litestar import Router

from application.webhooks.service import WebhookService
from entrypoints.http.dependencies import service
from entrypoints.http.webhooks.controllers import (
    WebhookDeliveriesController,
    WebhookEndpointsController,
)

router = Router(
    path="/api/v1/webhooks",
    tags=["webhooks"],
    route_handlers=[WebhookEndpointsController, WebhookDeliveriesController],
    dependencies={"webhooks": service(WebhookService)},
)
