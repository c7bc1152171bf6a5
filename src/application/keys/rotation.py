"""``shopkeeper keys rotate|resume|status`` (PLT-4): a new data-key version for new writes,
then a resumable re-encryption job (``keys.reencrypt``) that moves old values to it.

Support staff run these through the CLI as the platform role, each under a named
``SystemContext``; the rotation is recorded in the tenant's audit and in the operator
audit. One re-encryption per tenant at a time: while one is unfinished, ``rotate`` refuses
and points to ``resume``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from uuid import UUID

from application.keys.reencrypt import (
    DEFAULT_BATCH_SIZE,
    REENCRYPT_KIND,
    ReencryptionDeps,
    run_reencryption,
)
from application.shared.clock import IdGenerator
from application.shared.context import SystemContext
from application.shared.job import Job
from domain.shared.audit import AuditEntry
from domain.shared.errors import Conflict, NotFound


class KeyRotation:
    def __init__(self, deps: ReencryptionDeps, ids: IdGenerator) -> None:
        self.deps = deps
        self._ids = ids

    async def rotate(self, ctx: SystemContext, tenant_id: UUID, settle: timedelta) -> Job:
        """Create data-key version n+1 and the job that re-encrypts under it.

        ``settle`` is how long other processes may keep encrypting under the old version
        (their key cache lifetime); the job starts only after it.
        """
        factory = self.deps.uow_factory
        async with factory.for_system(ctx, tenant_id) as uow:
            await uow.jobs.lock_kind(REENCRYPT_KIND)  # two rotations never interleave
            latest = await uow.jobs.latest(REENCRYPT_KIND)
            if latest is not None and latest.unfinished:
                raise Conflict("reencryption_in_progress", job=str(latest.id))
            # The version commits on its own; if this process dies before the job commits,
            # the next rotation's job re-encrypts everything and retires this version too.
            version = await self.deps.keys.rotate(tenant_id)
            now = self.deps.clock.now()
            job = Job(
                id=self._ids.new_id(),
                kind=REENCRYPT_KIND,
                created_by=ctx.actor.label,
                created_at=now,
                updated_at=now,
                parameters={
                    "target_version": version,
                    "not_before": (now + settle).isoformat(),
                },
            )
            await uow.jobs.add(job)
            detail = {"version": version, "job": str(job.id), "reason": ctx.reason}
            await uow.audit.record(AuditEntry("keys.rotate", "data_key", None, detail=detail))
            await uow.operator_audit.record(ctx, "keys.rotate", tenant_id, detail)
            await uow.commit()
        return job

    async def latest(self, ctx: SystemContext, tenant_id: UUID) -> Job | None:
        async with self.deps.uow_factory.for_system(ctx, tenant_id) as uow:
            return await uow.jobs.latest(REENCRYPT_KIND)

    async def job(self, ctx: SystemContext, tenant_id: UUID, job_id: UUID) -> Job:
        async with self.deps.uow_factory.for_system(ctx, tenant_id) as uow:
            job = await uow.jobs.get(job_id)
        if job is None or job.kind != REENCRYPT_KIND:
            raise NotFound(entity="job")
        return job

    async def resumable(self, ctx: SystemContext, tenant_id: UUID) -> Job:
        """The tenant's unfinished re-encryption, recorded as resumed by this operator."""
        async with self.deps.uow_factory.for_system(ctx, tenant_id) as uow:
            job = await uow.jobs.latest(REENCRYPT_KIND)
            if job is None or job.succeeded:
                raise NotFound(entity="job")
            await uow.operator_audit.record(
                ctx, "keys.resume", tenant_id, {"job": str(job.id), "done": job.done}
            )
            await uow.commit()
        return job

    async def run(
        self,
        tenant_id: UUID,
        job_id: UUID,
        batch_size: int = DEFAULT_BATCH_SIZE,
        fault_after_batches: int | None = None,
        fault: Callable[[], None] | None = None,
        max_seconds: float | None = None,
    ) -> Job:
        return await run_reencryption(
            self.deps, tenant_id, job_id, batch_size, fault_after_batches, fault, max_seconds
        )
