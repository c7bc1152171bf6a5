"""Housekeeping of the messaging tables, fired by the scheduler."""

from __future__ import annotations

from datetime import datetime, timedelta

import structlog

from bootstrap import Container
from entrypoints.worker.scheduler import every

log = structlog.get_logger("shopkeeper.maintenance")

# Published events are kept a week for support (`jobs backlog`, investigations); dedupe
# claims for 30 days, far longer than any message is redelivered (dead letters: 7 days).
KEEP_PUBLISHED = timedelta(days=7)
KEEP_CLAIMS = timedelta(days=30)


@every(3600, "messaging.purge")
async def purge_messaging_tables(container: Container, period_start: datetime) -> None:
    deleted = await container.outbox_relay.purge(
        period_start - KEEP_PUBLISHED, period_start - KEEP_CLAIMS
    )
    log.info("messaging.purged", rows=deleted)
