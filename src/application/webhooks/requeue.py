"""The sweep that makes sure no pending delivery is forgotten (CHN-3, "nothing lost").

Attempts are queued after their transaction commits; if the broker was unreachable at
that moment, or a delayed message was lost, the delivery's row still says when it is due.
A periodic job queues every pending delivery overdue by more than a grace period and not
held by an attempt. A duplicate message is harmless: attempts are claimed.
"""

from __future__ import annotations

from datetime import timedelta

from application.shared.clock import Clock, IdGenerator
from application.shared.messaging import TaskQueue
from application.webhooks.common import DELIVER_TASK
from application.webhooks.ports import StalledDeliveries

GRACE = timedelta(seconds=60)
BATCH = 500


class RequeueStalledDeliveries:
    def __init__(
        self,
        stalled: StalledDeliveries,
        queue: TaskQueue,
        clock: Clock,
        ids: IdGenerator,
        grace: timedelta = GRACE,
    ) -> None:
        self._stalled = stalled
        self._queue = queue
        self._clock = clock
        self._ids = ids
        self._grace = grace

    async def __call__(self, limit: int = BATCH) -> int:
        """Queue the overdue deliveries; answers how many."""
        overdue = await self._stalled.overdue(self._clock.now() - self._grace, limit)
        for item in overdue:
            await self._queue.enqueue(
                DELIVER_TASK,
                {
                    "tenant_id": str(item.tenant_id),
                    "delivery_id": str(item.delivery_id),
                    "series": str(item.series),
                    "attempt": str(item.next_attempt),
                },
                message_id=(
                    f"webhook:{item.delivery_id}:s{item.series}:a{item.next_attempt}"
                    f":{self._ids.new_id().hex[-12:]}"
                ),
            )
        return len(overdue)
