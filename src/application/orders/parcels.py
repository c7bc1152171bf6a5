"""An order as logistics reads it to recommend a carrier (LOG-3, ``OrderParcels``): the
receiver's province, the lines' weight, each line's SKU and units, cash on delivery."""

from __future__ import annotations

from uuid import UUID

from application.orders.common import store_of
from application.orders.ports import OrderParcels, ParcelOrder
from application.shared.unit_of_work import UnitOfWork


class OrderParcelFacts(OrderParcels):
    async def parcel(self, uow: UnitOfWork, order_id: UUID) -> ParcelOrder | None:
        stored = await store_of(uow).orders.get(order_id)
        if stored is None:
            return None
        order = stored.order
        return ParcelOrder(
            order.receiver.address.province,
            order.weight_grams,
            tuple((line.sku_id, line.quantity) for line in order.lines),
            order.cash_on_delivery,
        )
