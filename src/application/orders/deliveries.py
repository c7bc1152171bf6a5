"""A parcel signed for (LOG-2), told by logistics inside its own command
(``OrderDeliveries``): a shipped order whose last parcel this is becomes delivered (签收)
with the waybill on its timeline and the roles concerned told (ORD-7); an order with more
to go — parcels still on the way, or lines still to ship — notes the parcel delivered and
stays where it is."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from application.notifications.ports import Notifier
from application.orders.common import store_of, swept
from application.orders.ports import OrderDeliveries
from application.shared.use_case import Work
from domain.orders.state import ENTITY
from domain.orders.status import OrderStatus
from domain.orders.timeline import SystemReason, TimelineKind

CARRIER = "system:carrier"


class OrderSignings(OrderDeliveries):
    def __init__(self, notifier: Notifier) -> None:
        self._notifier = notifier

    async def delivered(
        self, work: Work, order_id: UUID, tracking_no: str, at: datetime, *, last: bool
    ) -> bool:
        stored = await store_of(work.uow).orders.get(order_id, for_update=True)
        if stored is None:
            return False
        order = stored.order
        before, read_version = order.status.value, order.version
        detail: dict[str, object] = {"trackingNo": tracking_no}
        if order.status is OrderStatus.SHIPPED and last:
            order.move_to(OrderStatus.DELIVERED, at, CARRIER, SystemReason.SIGNED_FOR, None)
            await swept(
                work, self._notifier, order, read_version, before, detail, action="order.deliver"
            )
            return True
        if order.status not in (OrderStatus.SHIPPED, OrderStatus.PARTLY_SHIPPED):
            return False
        order.note(TimelineKind.PARCEL_DELIVERED, at, CARRIER, detail={"trackingNo": tracking_no})
        await store_of(work.uow).orders.save(order, read_version)
        work.audit(order.id, detail=detail, action="order.deliver", entity=ENTITY)
        return True
