"""Tenant admins follow their jobs' progress (``jobs:read``): one job, or a page of them."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from application.jobs.ports import JobsUnitOfWorkFactory
from application.shared.access_policy import AccessPolicy
from application.shared.context import CallContext
from application.shared.job import Job
from application.shared.pagination import Page, clamp_limit, decode_cursor, encode_cursor
from domain.identity.permissions import JOBS_READ
from domain.shared.audit import AuditEntry
from domain.shared.errors import NotFound, PermissionDenied, ValidationFailed


class JobQueries:
    def __init__(self, uow_factory: JobsUnitOfWorkFactory, access: AccessPolicy) -> None:
        self._uow_factory = uow_factory
        self._access = access

    async def _require(self, ctx: CallContext) -> None:
        try:
            self._access.require(ctx, JOBS_READ)
        except PermissionDenied as error:
            # Denied reads are audited, as the command runner does for other modules.
            async with self._uow_factory.for_tenant(ctx) as uow:
                detail = {"error": error.code, "permission": JOBS_READ}
                await uow.audit.record(AuditEntry("read", "job", None, "denied", detail=detail))
                await uow.commit()
            raise

    async def get(self, ctx: CallContext, job_id: UUID) -> Job:
        await self._require(ctx)
        async with self._uow_factory.for_tenant(ctx) as uow:
            job = await uow.jobs.get(job_id)
        if job is None:
            raise NotFound(entity="job")
        return job

    async def list(
        self, ctx: CallContext, kind: str | None, cursor: str | None, limit: int | None
    ) -> Page[Job]:
        size = clamp_limit(limit)
        after = None
        if cursor:
            key = decode_cursor(cursor)
            try:
                after = (datetime.fromisoformat(key[0]), UUID(key[1]))
            except (ValueError, IndexError):
                raise ValidationFailed.single("cursor", "invalid_cursor") from None
        await self._require(ctx)
        async with self._uow_factory.for_tenant(ctx) as uow:
            jobs = await uow.jobs.page(kind, after, size + 1)
        more = len(jobs) > size
        jobs = jobs[:size]
        nxt = encode_cursor([jobs[-1].created_at.isoformat(), str(jobs[-1].id)]) if more else None
        return Page(jobs, nxt)
