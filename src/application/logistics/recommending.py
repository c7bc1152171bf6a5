"""A carrier recommended for an order (LOG-3): the order's receiver's province, its weight
and whether it is cash on delivery — read through orders' ``OrderParcels`` port — against
every carrier's rules and price table (``domain.logistics.recommendation``).

The weight is the one asked for (a parcel weighed already), else the order's lines' unit
weights, else the catalog's weights of its SKUs (fulfilment's ``SkuFacts``); an order whose
weight is unknown all the same is refused (422 ``parcel_weight_unknown``)."""

from __future__ import annotations

from uuid import UUID

from application.fulfilment.ports import FULFILMENT
from application.logistics.carriers import all_carriers
from application.logistics.ports import LOGISTICS
from application.orders.ports import OrderParcels, ParcelOrder
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Query, Reading
from domain.logistics.carrier import Carrier
from domain.logistics.permissions import LOGISTICS_READ
from domain.logistics.rates import MAX_GRAMS, PriceTable
from domain.logistics.recommendation import Recommendation, recommend
from domain.shared.errors import NotFound, ValidationFailed


class RecommendCarrier(Query[Recommendation], entity="order", permission=LOGISTICS_READ):
    order_id: UUID
    grams: int | None = None  # the parcel's weight, when weighed


async def _grams(uow: UnitOfWork, order: ParcelOrder, asked: int | None) -> int:
    if asked is not None:
        if not 0 < asked <= MAX_GRAMS:
            raise ValidationFailed.single("grams", "weight_out_of_range", max=MAX_GRAMS)
        return asked
    if order.weight_grams > 0:
        return order.weight_grams
    facts = await uow.of(FULFILMENT).skus.facts([sku_id for sku_id, _ in order.sku_units])
    weights = [
        (facts[sku_id].weight_grams if sku_id in facts else None) for sku_id, _ in order.sku_units
    ]
    if any(grams is None for grams in weights):
        raise ValidationFailed.single("grams", "parcel_weight_unknown")
    total = sum(
        (grams or 0) * units for grams, (_, units) in zip(weights, order.sku_units, strict=True)
    )
    if total <= 0:
        raise ValidationFailed.single("grams", "parcel_weight_unknown")
    return total


async def _carriers(uow: UnitOfWork) -> list[tuple[Carrier, PriceTable | None]]:
    tables = uow.of(LOGISTICS).price_tables
    return [(c, await tables.get(c.id)) for c in await all_carriers(uow)]


class RecommendCarrierHandler:
    def __init__(self, orders: OrderParcels) -> None:
        self._orders = orders

    async def handle(self, query: RecommendCarrier, reading: Reading) -> Recommendation:
        order = await self._orders.parcel(reading.uow, query.order_id)
        if order is None:
            raise NotFound(entity="order")
        grams = await _grams(reading.uow, order, query.grams)
        carriers = await _carriers(reading.uow)
        return recommend(carriers, order.province, grams, order.cash_on_delivery)
