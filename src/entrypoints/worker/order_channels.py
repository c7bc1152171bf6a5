"""Orders from sales channels (ORD-9, CHN-2).

- ``orders.pull_channels`` (every 60 s): pull the new and changed orders of every channel
  with a connector (``application.orders.channels.intake``). Enqueued with the period in
  the message id, so a period fires once with two schedulers; a second puller of the same
  channel at the same moment finds its connector row locked (skip locked) and stops.
- ``orders.import_check`` / ``orders.import_commit``: an order file's check (the dry
  run) and commit (``application.orders.channels.imports``).
- ``inventory.channel_availability_changed`` → push the new sellable number to the
  channel's platform for the SKU's mapped channel SKU codes (retried with the event when
  the platform keeps refusing).
"""

from __future__ import annotations

from uuid import UUID

import structlog

from application.inventory.availability import CHANGED
from application.orders.channels.imports.common import CHECK_KIND as IMPORT_CHECK
from application.orders.channels.imports.common import COMMIT_KIND as IMPORT_COMMIT
from application.orders.channels.imports.service import OrderImports
from application.orders.channels.intake import AvailabilityPush, ChannelIntake
from bootstrap import Container
from entrypoints.worker.events import EventWork, subscribe
from entrypoints.worker.scheduler import enqueue_task, every
from entrypoints.worker.tasks import TaskMessage, job_of, register, worker_context

log = structlog.get_logger("shopkeeper.order_channels")

PULL_TASK = "orders.pull_channels"


@register(PULL_TASK, max_retries=0)
async def pull_channels(container: Container, message: TaskMessage) -> None:
    pulled = await container.get(ChannelIntake).pull_everywhere(
        lambda tenant_id: worker_context(tenant_id, PULL_TASK)
    )
    for (tenant_id, channel_id), done in pulled.items():
        if done.failed:
            log.warning(
                "orders.channel_pull_failed",
                tenant_id=str(tenant_id),
                channel_id=str(channel_id),
                error=done.failed,
            )
        elif done.pages:
            log.info(
                "orders.channel_pulled",
                tenant_id=str(tenant_id),
                channel_id=str(channel_id),
                placed=done.taken.placed,
                repulled=done.taken.repulled,
                updated=done.taken.updated,
                unmapped=done.taken.unmapped,
            )


every(60, PULL_TASK, enqueue_task(PULL_TASK))


@register(IMPORT_CHECK, time_limit_ms=60 * 60 * 1000)
async def check_order_import(container: Container, message: TaskMessage) -> None:
    await container.get(OrderImports).run_check(*job_of(message))


@register(IMPORT_COMMIT, time_limit_ms=60 * 60 * 1000)
async def commit_order_import(container: Container, message: TaskMessage) -> None:
    await container.get(OrderImports).run_commit(*job_of(message))


@subscribe(CHANGED, name="orders.channel_availability_push")
async def push_availability(work: EventWork) -> None:
    event = work.event
    await work.container.get(AvailabilityPush).push(
        work.uow,
        event.entity_id,
        UUID(event.data["channelId"]),
        int(event.data["sellable"]),
    )
