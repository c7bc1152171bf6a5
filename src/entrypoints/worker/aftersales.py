"""After-sales' subscribers (ORD-6, CHN-2):

- ``order.refund_requested`` / ``order.refund_recorded`` → ``aftersales.channel_refund``:
  the channel's refund status reaches an after-sales case (opened for it if none is open);
- ``aftersales.refund_recorded`` → ``aftersales.refund_report``: a case's refund of a
  channel's order is told to the platform through the channel's connector (a platform that
  keeps refusing raises, and the event is delivered again); one the platform made is not.
"""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from application.aftersales.channel import SyncChannelRefund
from application.orders.channels.intake import RefundReports
from domain.aftersales.case import REFUND_RECORDED
from entrypoints.worker.events import EventWork, subscribe
from entrypoints.worker.tasks import worker_context

CHANNEL_REFUND = "aftersales.channel_refund"


async def _sync(work: EventWork) -> None:
    ctx = worker_context(work.event.tenant_id, CHANNEL_REFUND, work.event.request_id)
    await work.container.use_cases.run(ctx, SyncChannelRefund(work.event.entity_id))


subscribe("order.refund_requested", name=f"{CHANNEL_REFUND}_requested")(_sync)
subscribe("order.refund_recorded", name=f"{CHANNEL_REFUND}_recorded")(_sync)


@subscribe(REFUND_RECORDED, name="aftersales.refund_report")
async def report_refund(work: EventWork) -> None:
    data = work.event.data
    if data.get("platform") == "true":
        return  # the platform made it: nothing to tell it
    await work.container.get(RefundReports).report_refund(
        work.uow, UUID(data["order"]), UUID(data["refund"]), Decimal(data["amount"])
    )
