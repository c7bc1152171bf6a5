"""Audit sealing in the background (PLT-3, docs/audit-and-keys.md).

The scheduler enqueues ``audit.seal`` every ``SHOPKEEPER_AUDIT_SEAL_INTERVAL_SECONDS``; the
task seals every tenant with new rows. It is idempotent (a second run finds nothing new)
and never retried by the broker: the next period does the same work anyway.
"""

from __future__ import annotations

import structlog

from application.audit.sealing import AuditSealer
from bootstrap import Container
from bootstrap.settings import Settings
from entrypoints.worker.scheduler import enqueue_task, every
from entrypoints.worker.tasks import TaskMessage, register

log = structlog.get_logger("shopkeeper.audit")

SEAL_TASK = "audit.seal"


@register(SEAL_TASK, max_retries=0)
async def seal_audit_logs(container: Container, message: TaskMessage) -> None:
    for result in await container.get(AuditSealer).seal_all():
        if result.error is not None:
            # Tampering evidence: loud, and sealing of this tenant stays stopped.
            log.error("audit.seal_refused", tenant_id=str(result.tenant_id), error=result.error)
        elif result.digests:
            log.info(
                "audit.sealed",
                tenant_id=str(result.tenant_id),
                rows=result.rows,
                digests=list(result.digests),
            )


every(Settings().audit_seal_interval_seconds, SEAL_TASK, enqueue_task(SEAL_TASK))
