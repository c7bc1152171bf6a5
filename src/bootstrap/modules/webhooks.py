"""Outgoing webhooks (docs/webhooks.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.postgres.webhooks.repository import PostgresStalledDeliveries
from adapters.webhooks.randomness import SystemRandomSource
from adapters.webhooks.sender import HttpWebhookSender
from application.shared.reads import GetOne
from application.shared.use_cases import UseCases
from application.webhooks.common import load_endpoint
from application.webhooks.deliveries.queries import GetDeliveryHandler, ListDeliveriesHandler
from application.webhooks.endpoints.create import CreateEndpointHandler
from application.webhooks.endpoints.delete import DeleteEndpointHandler
from application.webhooks.endpoints.queries import GetEndpoint, ListEndpointsHandler
from application.webhooks.endpoints.rotate_secret import RotateSecretHandler
from application.webhooks.endpoints.update import UpdateEndpointHandler
from application.webhooks.ports import RandomSource
from application.webhooks.service import WebhookService
from domain.webhooks.retry import RetryPolicy

if TYPE_CHECKING:
    from bootstrap import Container


def register_use_cases(use_cases: UseCases, random: RandomSource, *, loopback: bool) -> None:
    """The endpoint and delivery-log use cases (``loopback``: the development setting that
    lets an endpoint point at this machine)."""
    use_cases.register(
        CreateEndpointHandler(random, allow_loopback=loopback),
        UpdateEndpointHandler(allow_loopback=loopback),
        RotateSecretHandler(random),
        DeleteEndpointHandler(),
        ListEndpointsHandler(),
        ListDeliveriesHandler(),
        GetDeliveryHandler(),
    )
    use_cases.add(GetEndpoint, GetOne(load_endpoint))


def register(c: Container) -> None:
    settings = c.settings
    random = SystemRandomSource()
    register_use_cases(c.use_cases, random, loopback=settings.webhook_allow_loopback)
    c.add(
        WebhookService(
            c.uow_factory,
            c.runner,
            c.task_queue,
            HttpWebhookSender(
                allow_loopback=settings.webhook_allow_loopback,
                timeout_seconds=settings.webhook_timeout_seconds,
            ),
            PostgresStalledDeliveries(c.platform_engine),
            c.clock,
            c.ids,
            random,
            policy=RetryPolicy(max_attempts=settings.webhook_max_attempts),
            timeout_seconds=settings.webhook_timeout_seconds,
        )
    )
