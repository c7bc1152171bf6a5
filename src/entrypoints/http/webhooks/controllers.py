"""/api/v1/webhooks: endpoints (register, change, rotate the secret, remove) and the
delivery log (list, inspect, replay) — CHN-3, Standard Webhooks."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from application.webhooks.deliveries import DeliveryDetail, DeliveryLog, delivery_filter
from application.webhooks.endpoints import (
    EndpointChanges,
    EndpointWithSecret,
    NewEndpoint,
    WebhookEndpoints,
)
from application.webhooks.service import WebhookService
from domain.webhooks.delivery import WebhookDelivery
from domain.webhooks.endpoint import WebhookEndpoint
from entrypoints.http.conventions import (
    Cursor,
    Limit,
    Rendered,
    etagged,
)
from entrypoints.http.dependencies import Context, ExpectedVersion, Idempotent
from entrypoints.http.permissions import needs
from entrypoints.http.webhooks.schemas import (
    AttemptOut,
    DeliveryDetailOut,
    DeliveryOut,
    DeliveryPageOut,
    EndpointIn,
    EndpointOut,
    EndpointPatch,
    EndpointWithSecretOut,
)

ENDPOINTS_PATH = "/api/v1/webhooks/endpoints"


def endpoint_out(endpoint: WebhookEndpoint) -> EndpointOut:
    return EndpointOut.of(endpoint, event_types=list(endpoint.event_types))


def delivery_out(delivery: WebhookDelivery) -> DeliveryOut:
    return DeliveryOut.of(delivery, status=delivery.status.value, attempt_count=delivery.attempts)


def detail_out(detail: DeliveryDetail) -> DeliveryDetailOut:
    return DeliveryDetailOut(
        delivery_out(detail.delivery),
        detail.delivery.payload,
        [AttemptOut.of(a) for a in detail.attempts],
    )


def _with_secret(created: EndpointWithSecret) -> Rendered[EndpointWithSecretOut]:
    body = EndpointWithSecretOut(created.secret, endpoint_out(created.endpoint))
    return Rendered(
        body,
        f"{ENDPOINTS_PATH}/{created.endpoint.id}",
        created.endpoint.version,
    )


class WebhookEndpointsController(Controller):
    path = "/endpoints"

    @get("/", opt=needs(WebhookEndpoints.list))
    async def list_endpoints(
        self, ctx: Context, webhooks: NamedDependency[WebhookService]
    ) -> list[EndpointOut]:
        return [endpoint_out(e) for e in await webhooks.endpoints.list(ctx)]

    @post("/", opt=needs(WebhookEndpoints.create))
    async def create_endpoint(
        self,
        ctx: Context,
        webhooks: NamedDependency[WebhookService],
        idempotency: Idempotent,
        data: JSONBody[EndpointIn],
    ) -> Response[EndpointWithSecretOut]:
        """Answers with the signing secret (``whsec_...``): keep it, it is not shown again
        (rotate it to get a new one). ``eventTypes``: exact types, prefixes such as
        ``customer.*``, or ``*``. The URL must be https and must not point into private,
        loopback or link-local networks."""
        new = NewEndpoint(data.url, data.event_types, data.description, data.active)
        return await idempotency.created(lambda: webhooks.endpoints.create(ctx, new), _with_secret)

    @get("/{endpoint_id:uuid}", opt=needs(WebhookEndpoints.get))
    async def get_endpoint(
        self, ctx: Context, webhooks: NamedDependency[WebhookService], endpoint_id: FromPath[UUID]
    ) -> Response[EndpointOut]:
        return etagged(endpoint_out, await webhooks.endpoints.get(ctx, endpoint_id))

    @patch("/{endpoint_id:uuid}", opt=needs(WebhookEndpoints.update))
    async def update_endpoint(
        self,
        ctx: Context,
        webhooks: NamedDependency[WebhookService],
        endpoint_id: FromPath[UUID],
        data: JSONBody[EndpointPatch],
        expected_version: ExpectedVersion,
    ) -> Response[EndpointOut]:
        changes = EndpointChanges(data.url, data.event_types, data.description, data.active)
        endpoint = await webhooks.endpoints.update(ctx, endpoint_id, changes, expected_version)
        return etagged(endpoint_out, endpoint)

    @delete(
        "/{endpoint_id:uuid}", status_code=HTTP_204_NO_CONTENT, opt=needs(WebhookEndpoints.delete)
    )
    async def delete_endpoint(
        self,
        ctx: Context,
        webhooks: NamedDependency[WebhookService],
        endpoint_id: FromPath[UUID],
        expected_version: ExpectedVersion,
    ) -> None:
        """Removes the endpoint and its delivery log."""
        await webhooks.endpoints.delete(ctx, endpoint_id, expected_version)

    @post("/{endpoint_id:uuid}/rotate-secret", opt=needs(WebhookEndpoints.rotate_secret))
    async def rotate_secret(
        self,
        ctx: Context,
        webhooks: NamedDependency[WebhookService],
        idempotency: Idempotent,
        endpoint_id: FromPath[UUID],
    ) -> Response[EndpointWithSecretOut]:
        """A new secret, effective at once for every later attempt; shown only here."""
        return await idempotency.respond(
            lambda: webhooks.endpoints.rotate_secret(ctx, endpoint_id), _with_secret
        )


class WebhookDeliveriesController(Controller):
    path = "/deliveries"

    @get("/", opt=needs(DeliveryLog.list))
    async def list_deliveries(
        self,
        ctx: Context,
        webhooks: NamedDependency[WebhookService],
        status: Annotated[
            str | None, QueryParameter(name="status", description="pending, succeeded or dead.")
        ] = None,
        endpoint_id: Annotated[UUID | None, QueryParameter(name="endpointId")] = None,
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> DeliveryPageOut:
        """Newest first."""
        page = await webhooks.deliveries.list(
            ctx, delivery_filter(status, endpoint_id), cursor, limit
        )
        return DeliveryPageOut.of_page(page, delivery_out)

    @get("/{delivery_id:uuid}", opt=needs(DeliveryLog.get))
    async def get_delivery(
        self, ctx: Context, webhooks: NamedDependency[WebhookService], delivery_id: FromPath[UUID]
    ) -> DeliveryDetailOut:
        """The delivery, the payload it sends, and every attempt (status code, error code,
        duration) — never a response body."""
        return detail_out(await webhooks.deliveries.get(ctx, delivery_id))

    @post("/{delivery_id:uuid}/replay", status_code=202, opt=needs(DeliveryLog.replay))
    async def replay_delivery(
        self,
        ctx: Context,
        webhooks: NamedDependency[WebhookService],
        idempotency: Idempotent,
        delivery_id: FromPath[UUID],
    ) -> Response[DeliveryOut]:
        """Send a succeeded or dead delivery again, as a new series of attempts under the
        same ``webhook-id``. 409 while it is still pending."""
        return await idempotency.respond(
            lambda: webhooks.deliveries.replay(ctx, delivery_id),
            lambda delivery: Rendered(delivery_out(delivery)),
            202,
        )
