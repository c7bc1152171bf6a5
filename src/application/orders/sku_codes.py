"""The codes of an order's SKUs (ORD-1), as people name them on its page: a line keeps the
title the buyer saw when it has one, and the code says which SKU it is either way — read
from the catalog's port with ``orders:read``, so a role that reads orders needs no catalog
permission to see what they hold."""

from __future__ import annotations

from uuid import UUID

from application.catalog.ports.store import CATALOG
from application.orders.common import load_order
from application.shared.use_case import Query, Reading
from domain.orders.permissions import ORDERS_READ
from domain.orders.state import ENTITY


class GetOrderSkuCodes(Query[dict[UUID, str]], entity=ENTITY, permission=ORDERS_READ):
    """By SKU id, the code of each SKU of the order's lines (one the catalog no longer has
    is left out)."""

    order_id: UUID


class GetOrderSkuCodesHandler:
    async def handle(self, query: GetOrderSkuCodes, reading: Reading) -> dict[UUID, str]:
        order = (await load_order(reading.uow, query.order_id)).order
        skus = list(dict.fromkeys(line.sku_id for line in order.lines))
        return await reading.uow.of(CATALOG).prices.sku_codes(skus)
