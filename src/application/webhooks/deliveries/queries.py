"""Reading the tenant's delivery log (CHN-3)."""

from __future__ import annotations

from uuid import UUID

from application.shared.pagination import Page
from application.shared.use_case import Query, Reading
from application.webhooks.common import DELIVERY, load_delivery
from application.webhooks.deliveries.common import DeliveryDetail, delivery_page
from application.webhooks.ports import WEBHOOKS, DeliveryFilter
from domain.webhooks.delivery import WebhookDelivery
from domain.webhooks.permissions import WEBHOOKS_MANAGE


class ListDeliveries(Query[Page[WebhookDelivery]], entity=DELIVERY, permission=WEBHOOKS_MANAGE):
    filter: DeliveryFilter
    cursor: str | None
    limit: int | None


class ListDeliveriesHandler:
    async def handle(self, query: ListDeliveries, reading: Reading) -> Page[WebhookDelivery]:
        return await delivery_page(reading.uow, query.filter, query.cursor, query.limit)


class GetDelivery(Query[DeliveryDetail], entity=DELIVERY, permission=WEBHOOKS_MANAGE):
    delivery_id: UUID


class GetDeliveryHandler:
    async def handle(self, query: GetDelivery, reading: Reading) -> DeliveryDetail:
        delivery = await load_delivery(reading.uow, query.delivery_id)
        attempts = await reading.uow.of(WEBHOOKS).webhooks.attempts_of(query.delivery_id)
        return DeliveryDetail(delivery, attempts)
