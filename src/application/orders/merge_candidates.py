"""The orders an order could be merged with by hand (合单, ORD-4): the same customer's other
standing orders that ``domain.orders.merge.merge_problems`` finds nothing against — same
shop group (the catalog's channels' groups) and receiver, paid and not picked, no refund
pending — newest first. An order without a customer has none (a merge needs one)."""

from __future__ import annotations

from uuid import UUID

from application.orders.common import load_order, store_of
from application.orders.merging import current_shop_groups
from application.orders.ports import OrderFilter, StoredOrder
from application.shared.use_case import Query, Reading
from domain.orders.merge import merge_problems
from domain.orders.permissions import ORDERS_READ
from domain.orders.state import ENTITY

SEARCHED = 100  # the customer's most recent standing orders looked at


class ListMergeCandidates(Query[list[StoredOrder]], entity=ENTITY, permission=ORDERS_READ):
    order_id: UUID


class ListMergeCandidatesHandler:
    async def handle(self, query: ListMergeCandidates, reading: Reading) -> list[StoredOrder]:
        order = (await load_order(reading.uow, query.order_id)).order
        if order.customer_id is None:
            return []
        where = OrderFilter(customer_id=order.customer_id, live=True)
        found = await store_of(reading.uow).orders.page(where, None, SEARCHED)
        groups = await current_shop_groups(reading.uow)
        return [
            s
            for s in found
            if s.order.id != order.id and not merge_problems([order, s.order], groups)
        ]
