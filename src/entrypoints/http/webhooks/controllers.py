"""/api/v1/webhooks: endpoints (register, change, rotate the secret, remove) and the
delivery log (list, inspect, replay) — CHN-3, Standard Webhooks."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from application.webhooks.deliveries import (
    DeliveryDetail,
    DeliveryReplay,
    GetDelivery,
    ListDeliveries,
    delivery_filter,
)
from application.webhooks.endpoints import (
    CreateEndpoint,
    DeleteEndpoint,
    EndpointChanges,
    EndpointWithSecret,
    GetEndpoint,
    ListEndpoints,
    NewEndpoint,
    RotateSecret,
    UpdateEndpoint,
)
from application.webhooks.service import WebhookService
from domain.webhooks.delivery import DeliveryStatus, WebhookDelivery
from domain.webhooks.endpoint import WebhookEndpoint
from entrypoints.http.conventions import (
    Cursor,
    Limit,
    Rendered,
    etagged,
)
from entrypoints.http.dependencies import Context, Dispatch, ExpectedVersion, Idempotent
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

    @get("/", opt=needs(ListEndpoints))
    async def list_endpoints(self, ctx: Context, use_cases: Dispatch) -> list[EndpointOut]:
        """The company's webhook endpoints."""
        return [endpoint_out(e) for e in await use_cases.query(ctx, ListEndpoints())]

    @post("/", opt=needs(CreateEndpoint))
    async def create_endpoint(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        data: JSONBody[EndpointIn],
    ) -> Response[EndpointWithSecretOut]:
        """Answers with the signing secret (``whsec_...``): keep it, it is not shown again
        (rotate it to get a new one). ``eventTypes``: exact types, prefixes such as
        ``customer.*``, or ``*``. The URL must be https and must not point into private,
        loopback or link-local networks."""
        new = NewEndpoint(data.url, data.event_types, data.description, data.active)
        return await idempotency.created(
            lambda: use_cases.run(ctx, CreateEndpoint(new)), _with_secret
        )

    @get("/{endpoint_id:uuid}", opt=needs(GetEndpoint))
    async def get_endpoint(
        self, ctx: Context, use_cases: Dispatch, endpoint_id: FromPath[UUID]
    ) -> Response[EndpointOut]:
        """One webhook endpoint (never its secret)."""
        return etagged(endpoint_out, await use_cases.query(ctx, GetEndpoint(endpoint_id)))

    @patch("/{endpoint_id:uuid}", opt=needs(UpdateEndpoint))
    async def update_endpoint(
        self,
        ctx: Context,
        use_cases: Dispatch,
        endpoint_id: FromPath[UUID],
        data: JSONBody[EndpointPatch],
        expected_version: ExpectedVersion,
    ) -> Response[EndpointOut]:
        """Change the fields sent of a webhook endpoint (If-Match)."""
        changes = EndpointChanges(data.url, data.event_types, data.description, data.active)
        endpoint = await use_cases.run(ctx, UpdateEndpoint(endpoint_id, changes, expected_version))
        return etagged(endpoint_out, endpoint)

    @delete("/{endpoint_id:uuid}", status_code=HTTP_204_NO_CONTENT, opt=needs(DeleteEndpoint))
    async def delete_endpoint(
        self,
        ctx: Context,
        use_cases: Dispatch,
        endpoint_id: FromPath[UUID],
        expected_version: ExpectedVersion,
    ) -> None:
        """Removes the endpoint and its delivery log."""
        await use_cases.run(ctx, DeleteEndpoint(endpoint_id, expected_version))

    @post("/{endpoint_id:uuid}/rotate-secret", status_code=200, opt=needs(RotateSecret))
    async def rotate_secret(
        self,
        ctx: Context,
        webhooks: NamedDependency[WebhookService],
        idempotency: Idempotent,
        endpoint_id: FromPath[UUID],
    ) -> Response[EndpointWithSecretOut]:
        """A new secret, effective at once for every later attempt; shown only here.
        Deliveries held because the old secret could not be read (``needsNewSecret``) are
        sent again."""
        return await idempotency.respond(
            lambda: webhooks.rotations.rotate(ctx, endpoint_id), _with_secret
        )


class WebhookDeliveriesController(Controller):
    path = "/deliveries"

    @get("/", opt=needs(ListDeliveries))
    async def list_deliveries(
        self,
        ctx: Context,
        use_cases: Dispatch,
        status: Annotated[
            str | None,
            QueryParameter(
                name="status",
                description="The deliveries in this state only.",
                schema_extra={"enum": [s.value for s in DeliveryStatus]},  # stated, not checked
            ),
        ] = None,
        endpoint_id: Annotated[UUID | None, QueryParameter(name="endpointId")] = None,
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> DeliveryPageOut:
        """Newest first."""
        page = await use_cases.query(
            ctx, ListDeliveries(delivery_filter(status, endpoint_id), cursor, limit)
        )
        return DeliveryPageOut.of_page(page, delivery_out)

    @get("/{delivery_id:uuid}", opt=needs(GetDelivery))
    async def get_delivery(
        self, ctx: Context, use_cases: Dispatch, delivery_id: FromPath[UUID]
    ) -> DeliveryDetailOut:
        """The delivery, the payload it sends, and every attempt (status code, error code,
        duration) — never a response body."""
        return detail_out(await use_cases.query(ctx, GetDelivery(delivery_id)))

    @post("/{delivery_id:uuid}/replay", status_code=202, opt=needs(DeliveryReplay.replay))
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
            lambda: webhooks.replays.replay(ctx, delivery_id),
            lambda delivery: Rendered(delivery_out(delivery)),
            202,
        )
