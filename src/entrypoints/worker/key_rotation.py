"""The ``keys.reencrypt`` task (PLT-4, docs/audit-and-keys.md).

``shopkeeper keys rotate|resume --no-wait`` enqueues it. It runs the job for a slice of
time and, if unfinished, enqueues itself again: progress lives in the job row, so a
redelivered or duplicate message simply continues from the checkpoint (the job row lock
makes concurrent runs take turns), and a broker retry after an error does the same.
"""

from __future__ import annotations

from uuid import UUID

from application.keys.reencrypt import REENCRYPT_KIND
from application.keys.rotation import KeyRotation
from bootstrap import Container
from entrypoints.cli.commands.keys import fault_point, kill_self
from entrypoints.worker.tasks import TaskMessage, register

SLICE_SECONDS = 60.0


@register(REENCRYPT_KIND)
async def reencrypt(container: Container, message: TaskMessage) -> None:
    tenant_id = UUID(message.payload["tenant_id"])
    job_id = UUID(message.payload["job_id"])
    fault_after = fault_point(container)
    job = await container.get(KeyRotation).run(
        tenant_id,
        job_id,
        fault_after_batches=fault_after,
        fault=kill_self if fault_after is not None else None,
        max_seconds=SLICE_SECONDS,
    )
    if job.unfinished:
        await container.task_queue.enqueue(
            REENCRYPT_KIND,
            message.payload,
            message_id=f"{REENCRYPT_KIND}:{job.id}:{job.done}",
        )
