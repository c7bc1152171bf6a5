"""Order analytics (ORD-10): volume, amount, average order value and what is paid, over a
period of local days in the tenant's time zone, by day, hour of day, channel and province
— read from the rollups the orders repository keeps with every order it writes, never from
the orders themselves."""

from __future__ import annotations

from datetime import date

from application.catalog.ports.store import CATALOG
from application.orders.queue.ports import ORDER_QUEUE, Analytics
from application.shared.tenant_terms import tenant_terms
from application.shared.use_case import Command, Query, Reading, Work
from domain.orders.permissions import ORDERS_READ, ORDERS_RULES
from domain.orders.state import ENTITY
from domain.shared.errors import ValidationFailed

MAX_DAYS = 731  # two years


class GetOrderAnalytics(Query[Analytics], entity=ENTITY, permission=ORDERS_READ):
    first_day: date
    last_day: date


class GetOrderAnalyticsHandler:
    async def handle(self, query: GetOrderAnalytics, reading: Reading) -> Analytics:
        days = (query.last_day - query.first_day).days + 1
        if not 1 <= days <= MAX_DAYS:
            raise ValidationFailed.single("to", "invalid_period", max=MAX_DAYS)
        zone = (await tenant_terms(reading.uow)).zone
        breakdown = await reading.uow.of(ORDER_QUEUE).analytics.breakdown(
            query.first_day, query.last_day
        )
        channels = reading.uow.of(CATALOG).channels
        named = {}
        for channel_id in breakdown.by_channel:  # a handful: the company's channels
            if channel_id is not None and (channel := await channels.get(channel_id)):
                named[channel_id] = (channel.code, channel.name)
        return Analytics(query.first_day, query.last_day, zone.key, breakdown, named)


class RebuildOrderAnalytics(
    Command[None], action="order_analytics.rebuild", permission=ORDERS_RULES
):
    """Compute the tenant's rollups again from its orders, as the orders repository counts
    them (a backfill, or after the tenant's time zone changed)."""


class RebuildOrderAnalyticsHandler:
    async def handle(self, command: RebuildOrderAnalytics, work: Work) -> None:
        await work.uow.of(ORDER_QUEUE).analytics.rebuild()
        work.audit(None)
