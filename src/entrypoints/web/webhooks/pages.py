"""The endpoints (add one: its secret is shown on that answer only; delete one), an
endpoint's deliveries by status, one delivery with its attempts, and a replay."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from application.webhooks.deliveries.common import delivery_filter
from application.webhooks.deliveries.log import DeliveryReplay
from application.webhooks.deliveries.queries import GetDelivery, ListDeliveries
from application.webhooks.endpoints.create import CreateEndpoint, NewEndpoint
from application.webhooks.endpoints.delete import DeleteEndpoint
from application.webhooks.endpoints.queries import GetEndpoint, ListEndpoints
from application.webhooks.service import WebhookService
from domain.webhooks.delivery import DeliveryStatus
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.forms import form_of, version_in
from entrypoints.web.pages import done, page

HOOKS = "/console/settings/webhooks"
STATUSES = tuple(status.value for status in DeliveryStatus)


class WebhookPages(Controller):
    @get("/", name="console_webhooks", opt=needs(ListEndpoints))
    async def endpoints(
        self, request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch
    ) -> Template:
        endpoints = await use_cases.query(ctx, ListEndpoints())
        return await page(request, use_cases, "webhooks/endpoints.html", endpoints=endpoints)

    @post("/", opt=needs(CreateEndpoint))
    async def create(
        self, request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch
    ) -> Template:
        texts, _ = await form_of(request)
        event_types = [t.strip() for t in texts.get("event_types", "").split(",") if t.strip()]
        new = NewEndpoint(
            texts.get("url", "").strip(), event_types, texts.get("description", "").strip()
        )
        created = await use_cases.run(ctx, CreateEndpoint(new))
        return await page(request, use_cases, "webhooks/created.html", created=created)

    @get("/{endpoint_id:uuid}", name="console_webhook", opt=needs(GetEndpoint, ListDeliveries))
    async def endpoint(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        endpoint_id: FromPath[UUID],
        status: FromQuery[str] = "",
        cursor: FromQuery[str | None] = None,
    ) -> Template:
        endpoint = await use_cases.query(ctx, GetEndpoint(endpoint_id))
        deliveries = await use_cases.query(
            ctx, ListDeliveries(delivery_filter(status or None, endpoint_id), cursor, None)
        )
        return await page(
            request,
            use_cases,
            "webhooks/endpoint.html",
            endpoint=endpoint,
            deliveries=deliveries,
            shown_status=status,
            statuses=STATUSES,
        )

    @post("/{endpoint_id:uuid}/delete", opt=needs(DeleteEndpoint))
    async def delete(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        endpoint_id: FromPath[UUID],
    ) -> Response[Any]:
        texts, _ = await form_of(request)
        await use_cases.run(ctx, DeleteEndpoint(endpoint_id, version_in(texts)))
        return done(request, HOOKS, "webhooks.deleted")

    @get("/deliveries/{delivery_id:uuid}", name="console_delivery", opt=needs(GetDelivery))
    async def delivery(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        delivery_id: FromPath[UUID],
    ) -> Template:
        found = await use_cases.query(ctx, GetDelivery(delivery_id))
        return await page(request, use_cases, "webhooks/delivery.html", found=found)

    @post("/deliveries/{delivery_id:uuid}/replay", opt=needs(DeliveryReplay.replay))
    async def replay(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        webhooks: NamedDependency[WebhookService],
        delivery_id: FromPath[UUID],
    ) -> Response[Any]:
        await webhooks.replays.replay(ctx, delivery_id)
        return done(request, f"{HOOKS}/deliveries/{delivery_id}", "webhooks.replayed")
