"""Webhook endpoints (CHN-3): one file per use case, gathered by ``WebhookEndpoints``."""

from application.webhooks.endpoints.common import EndpointWithSecret
from application.webhooks.endpoints.create import NewEndpoint
from application.webhooks.endpoints.service import WebhookEndpoints
from application.webhooks.endpoints.update import EndpointChanges

__all__ = ["EndpointChanges", "EndpointWithSecret", "NewEndpoint", "WebhookEndpoints"]
