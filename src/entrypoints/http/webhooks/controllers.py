"""/api/v1/webhooks: endpoints (register, change, rotate the secret, remove) and the
delivery log (list, inspect, replay) — CHN-3, Standard Webhooks."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from application.shared.context import CallContext
from application.webhooks.deliveries import DeliveryDetail, delivery_filter
from application.webhooks.endpoints import EndpointChanges, EndpointWithSecret, NewEndpoint
from application.webhooks.ports import DeliveryAttempt
from application.webhooks.service import WebhookService
from domain.webhooks.delivery import WebhookDelivery
from domain.webhooks.endpoint import WebhookEndpoint
from entrypoints.http.conventions import (
    Cursor,
    IdempotencyKey,
    IfMatch,
    Limit,
    etag,
    expected_version,
    idempotent,
    json_response,
)
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
DELIVERIES_PATH = "/api/v1/webhooks/deliveries"


def endpoint_out(endpoint: WebhookEndpoint) -> EndpointOut:
    return EndpointOut(
        endpoint.id,
        endpoint.url,
        list(endpoint.event_types),
        endpoint.description,
        endpoint.active,
        endpoint.version,
        endpoint.created_at,
        endpoint.updated_at,
    )


def delivery_out(delivery: WebhookDelivery) -> DeliveryOut:
    return DeliveryOut(
        id=delivery.id,
        webhook_id=delivery.webhook_id,
        endpoint_id=delivery.endpoint_id,
        event_id=delivery.event_id,
        event_type=delivery.event_type,
        status=delivery.status.value,
        series=delivery.series,
        attempt_count=delivery.attempts,
        next_attempt_at=delivery.next_attempt_at,
        last_status_code=delivery.last_status_code,
        last_error=delivery.last_error,
        created_at=delivery.created_at,
        updated_at=delivery.updated_at,
        succeeded_at=delivery.succeeded_at,
    )


def attempt_out(attempt: DeliveryAttempt) -> AttemptOut:
    return AttemptOut(
        attempt.id,
        attempt.series,
        attempt.attempt,
        attempt.attempted_at,
        attempt.status_code,
        attempt.error,
        attempt.duration_ms,
        attempt.succeeded,
    )


def detail_out(detail: DeliveryDetail) -> DeliveryDetailOut:
    return DeliveryDetailOut(
        delivery_out(detail.delivery),
        detail.delivery.payload,
        [attempt_out(a) for a in detail.attempts],
    )


def _with_secret(created: EndpointWithSecret, status: int) -> Response[bytes]:
    return json_response(
        EndpointWithSecretOut(created.secret, endpoint_out(created.endpoint)),
        status,
        {
            "ETag": etag(created.endpoint.version),
            "Location": f"{ENDPOINTS_PATH}/{created.endpoint.id}",
        },
    )


def _service(request: Request[CallContext, Any, State]) -> WebhookService:
    service: WebhookService = request.app.state.container.get(WebhookService)
    return service


class WebhookEndpointsController(Controller):
    path = ENDPOINTS_PATH
    tags = ["webhooks"]

    @get("/")
    async def list_endpoints(self, request: Request[CallContext, Any, State]) -> list[EndpointOut]:
        endpoints = await _service(request).endpoints.list(request.user)
        return [endpoint_out(e) for e in endpoints]

    @post("/")
    async def create_endpoint(
        self,
        request: Request[CallContext, Any, State],
        data: JSONBody[EndpointIn],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[bytes]:
        """Answers with the signing secret (``whsec_...``): keep it, it is not shown again
        (rotate it to get a new one). ``eventTypes``: exact types, prefixes such as
        ``customer.*``, or ``*``. The URL must be https and must not point into private,
        loopback or link-local networks."""
        endpoints = _service(request).endpoints
        new = NewEndpoint(data.url, data.event_types, data.description, data.active)
        return await idempotent(
            request,
            lambda: endpoints.create(request.user, new),
            lambda created: _with_secret(created, 201),
        )

    @get("/{endpoint_id:uuid}")
    async def get_endpoint(
        self, request: Request[CallContext, Any, State], endpoint_id: FromPath[UUID]
    ) -> Response[EndpointOut]:
        endpoint = await _service(request).endpoints.get(request.user, endpoint_id)
        return Response(endpoint_out(endpoint), headers={"ETag": etag(endpoint.version)})

    @patch("/{endpoint_id:uuid}")
    async def update_endpoint(
        self,
        request: Request[CallContext, Any, State],
        endpoint_id: FromPath[UUID],
        data: JSONBody[EndpointPatch],
        if_match: IfMatch = None,
    ) -> Response[EndpointOut]:
        endpoint = await _service(request).endpoints.update(
            request.user,
            endpoint_id,
            EndpointChanges(data.url, data.event_types, data.description, data.active),
            expected_version(request),
        )
        return Response(endpoint_out(endpoint), headers={"ETag": etag(endpoint.version)})

    @delete("/{endpoint_id:uuid}", status_code=HTTP_204_NO_CONTENT)
    async def delete_endpoint(
        self,
        request: Request[CallContext, Any, State],
        endpoint_id: FromPath[UUID],
        if_match: IfMatch = None,
    ) -> None:
        """Removes the endpoint and its delivery log."""
        await _service(request).endpoints.delete(
            request.user, endpoint_id, expected_version(request)
        )

    @post("/{endpoint_id:uuid}/rotate-secret")
    async def rotate_secret(
        self,
        request: Request[CallContext, Any, State],
        endpoint_id: FromPath[UUID],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[bytes]:
        """A new secret, effective at once for every later attempt; shown only here."""
        endpoints = _service(request).endpoints
        return await idempotent(
            request,
            lambda: endpoints.rotate_secret(request.user, endpoint_id),
            lambda rotated: _with_secret(rotated, 200),
        )


class WebhookDeliveriesController(Controller):
    path = DELIVERIES_PATH
    tags = ["webhooks"]

    @get("/")
    async def list_deliveries(
        self,
        request: Request[CallContext, Any, State],
        status: Annotated[
            str | None, QueryParameter(name="status", description="pending, succeeded or dead.")
        ] = None,
        endpoint_id: Annotated[UUID | None, QueryParameter(name="endpointId")] = None,
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> DeliveryPageOut:
        """Newest first."""
        page = await _service(request).deliveries.list(
            request.user, delivery_filter(status, endpoint_id), cursor, limit
        )
        return DeliveryPageOut([delivery_out(d) for d in page.items], page.next_cursor)

    @get("/{delivery_id:uuid}")
    async def get_delivery(
        self, request: Request[CallContext, Any, State], delivery_id: FromPath[UUID]
    ) -> DeliveryDetailOut:
        """The delivery, the payload it sends, and every attempt (status code, error code,
        duration) — never a response body."""
        return detail_out(await _service(request).deliveries.get(request.user, delivery_id))

    @post("/{delivery_id:uuid}/replay")
    async def replay_delivery(
        self,
        request: Request[CallContext, Any, State],
        delivery_id: FromPath[UUID],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[bytes]:
        """Send a succeeded or dead delivery again, as a new series of attempts under the
        same ``webhook-id``. 409 while it is still pending."""
        deliveries = _service(request).deliveries
        return await idempotent(
            request,
            lambda: deliveries.replay(request.user, delivery_id),
            lambda delivery: json_response(delivery_out(delivery), 202),
        )
