"""The re-encryption job (``keys.reencrypt``, PLT-4): every encrypted value of a tenant
moves to the data-key version the rotation created.

``run_reencryption`` is a plain async function: the CLI awaits it, the worker's task calls
it, tests call it directly. It walks each source (table) of encrypted columns in primary
key order, in batches. One transaction per batch locks the job row (concurrent runners of
one job take turns), locks the batch's rows, decrypts each value under whatever version its
header names and encrypts it again under the target version with the same associated data
(tenant, logical field, row), writes only the re-encrypted columns, and records the new
checkpoint and ``done`` in the job row. A runner killed at any point leaves either the whole
batch and its checkpoint or neither; the next run continues from the checkpoint. A value
already under the target version is left alone, so nothing is ever encrypted twice, and
blind indexes do not change (their key does not depend on data keys).

After the walk, a sweep finds any value still under an older version — written by a process
whose key cache still named the old version, or by a transaction that committed after the
walk passed — and re-encrypts it. Then older versions are marked retired (decrypt-only) in
the transaction that marks the job succeeded.

The job waits until ``not_before`` (the rotation time plus the key cache lifetime) before it
starts, so every process already encrypts new values under the new version by then.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from application.keys.ports import (
    DataKeyVersions,
    EncryptedColumns,
    EncryptedRow,
    KeyRotationUnitOfWorkFactory,
)
from application.shared.clock import Clock
from application.shared.context import Actor, ActorKind, SystemContext
from application.shared.field_cipher import FieldCipher
from application.shared.job import Job
from domain.shared.audit import AuditEntry
from domain.shared.errors import NotFound

REENCRYPT_KIND = "keys.reencrypt"
DEFAULT_BATCH_SIZE = 200
WALK, SWEEP = "walk", "sweep"


class InjectedFault(RuntimeError):
    """Raised by the test-only fault point (``fault_after_batches``)."""


class StaleKeyCache(RuntimeError):
    """This process still encrypts under an older version than the job's target."""


@dataclass(frozen=True)
class ReencryptionDeps:
    uow_factory: KeyRotationUnitOfWorkFactory
    cipher: FieldCipher
    keys: DataKeyVersions
    clock: Clock
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep


@dataclass(frozen=True)
class Cursor:
    """Where the walk stands: phase, source and the last key done (None: from the start)."""

    phase: str
    source: str
    after: str | None

    def as_checkpoint(self) -> dict[str, Any]:
        return {"phase": self.phase, "source": self.source, "after": self.after}

    @classmethod
    def of(cls, checkpoint: dict[str, Any], sources: tuple[str, ...]) -> Cursor:
        if not checkpoint:
            return cls(WALK, sources[0], None)
        return cls(checkpoint["phase"], checkpoint["source"], checkpoint.get("after"))

    def next_source(self, sources: tuple[str, ...]) -> Cursor | None:
        """The cursor after this source is exhausted; None when the sweep is done."""
        index = sources.index(self.source)
        if index + 1 < len(sources):
            return Cursor(self.phase, sources[index + 1], None)
        if self.phase == WALK:
            return Cursor(SWEEP, sources[0], None)
        return None


def worker_context(job_id: UUID) -> SystemContext:
    return SystemContext(
        Actor(ActorKind.SYSTEM, REENCRYPT_KIND),
        "re-encrypt personal data under the current data key",
        str(job_id),
    )


def target_version(job: Job) -> int:
    return int(job.parameters["target_version"])


async def run_reencryption(
    deps: ReencryptionDeps,
    tenant_id: UUID,
    job_id: UUID,
    batch_size: int = DEFAULT_BATCH_SIZE,
    fault_after_batches: int | None = None,
    fault: Callable[[], None] | None = None,
    max_seconds: float | None = None,
) -> Job:
    """Run (or resume) the job to the end and return it.

    With ``max_seconds`` it stops after the first batch that commits past that budget and
    returns the job still ``running``: a worker task then re-enqueues itself, so no message
    holds a worker for hours and a deploy never waits on one.

    ``fault_after_batches`` is a test-only fault point: once that many batches have
    committed, ``fault`` (default: raise ``InjectedFault``) is called inside the next batch's
    transaction after its rows were rewritten and before it commits.
    """
    ctx = worker_context(job_id)
    async with deps.uow_factory.for_system(ctx, tenant_id) as uow:
        job = await uow.jobs.get(job_id, for_update=True)
        if job is None or job.kind != REENCRYPT_KIND:
            raise NotFound(entity="job")
        if job.succeeded:
            return job
        job.start(deps.clock.now())
        await uow.jobs.save(job)
        await uow.commit()
    not_before = job.parameters.get("not_before")
    if not_before:
        wait = (datetime.fromisoformat(not_before) - deps.clock.now()).total_seconds()
        if wait > 0:
            await deps.sleep(wait)
    committed = 0
    started = deps.clock.now()
    try:
        while True:
            at_fault_point = fault_after_batches is not None and committed == fault_after_batches
            hook = (fault or _raise_injected_fault) if at_fault_point else None
            finished = await _next_batch(deps, ctx, tenant_id, job_id, batch_size, hook)
            if finished is not None:
                return finished
            committed += 1
            elapsed = (deps.clock.now() - started).total_seconds()
            if max_seconds is not None and elapsed >= max_seconds:
                return await _current(deps, ctx, tenant_id, job_id)
    except Exception as error:
        # Record why it stopped (best effort; a killed process records nothing and its job
        # stays ``running`` until resumed). Never a value: exception class and message only.
        await _record_failure(deps, ctx, tenant_id, job_id, error)
        raise


async def _next_batch(
    deps: ReencryptionDeps,
    ctx: SystemContext,
    tenant_id: UUID,
    job_id: UUID,
    batch_size: int,
    fault: Callable[[], None] | None,
) -> Job | None:
    """One batch in one transaction; the job once it has finished, else None."""
    async with deps.uow_factory.for_system(ctx, tenant_id) as uow:
        job = await uow.jobs.get(job_id, for_update=True)  # another runner waits here
        if job is None:
            raise NotFound(entity="job")
        if job.succeeded:
            return job
        columns = uow.encrypted
        sources = columns.sources()
        target = target_version(job)
        if job.total is None:
            job.total = sum([await columns.count(source) for source in sources])
        cursor = Cursor.of(job.checkpoint, sources)
        while True:
            rows = await columns.rows(
                cursor.source,
                cursor.after,
                batch_size,
                not_on_version=target if cursor.phase == SWEEP else None,
            )
            for row in rows:
                await _reencrypt_row(deps, columns, tenant_id, cursor.source, row, target)
            done = len(rows) if cursor.phase == WALK else 0
            following: Cursor | None
            if len(rows) == batch_size:
                following = Cursor(cursor.phase, cursor.source, rows[-1].key)
            else:
                following = cursor.next_source(sources)  # this source is exhausted
            if rows or following is None:
                break
            cursor = following  # an empty source: go on to the next in this transaction
        if fault is not None:
            fault()
        now = deps.clock.now()
        if following is not None:
            job.advance(now, done, following.as_checkpoint())
            await uow.jobs.save(job)
            await uow.commit()
            return None
        retired = await columns.retire_versions_before(target)
        job.advance(now, done, {"phase": "done"})
        job.succeed(now)
        await uow.jobs.save(job)
        await uow.audit.record(
            AuditEntry(
                "keys.reencrypt",
                "data_key",
                None,
                detail={
                    "job": str(job.id),
                    "target_version": target,
                    "rows": job.done,
                    "retired_versions": retired,
                },
            )
        )
        await uow.commit()
        return job


async def _reencrypt_row(
    deps: ReencryptionDeps,
    columns: EncryptedColumns,
    tenant_id: UUID,
    source: str,
    row: EncryptedRow,
    target: int,
) -> None:
    rewritten: dict[str, bytes] = {}
    for value in row.values:
        if deps.keys.version_of(value.ciphertext) == target:
            continue  # already moved (by an earlier run, or written after the rotation)
        plain = await deps.cipher.decrypt(tenant_id, value.field, value.row_id, value.ciphertext)
        sealed = await deps.cipher.encrypt(tenant_id, value.field, value.row_id, plain)
        version = deps.keys.version_of(sealed)
        if version != target:
            raise StaleKeyCache(
                f"this process encrypts under data-key version {version}, the job targets"
                f" {target}: retry after the key cache expires"
            )
        rewritten[value.column] = sealed
    if rewritten:
        await columns.rewrite(source, row.key, rewritten)


async def _current(
    deps: ReencryptionDeps, ctx: SystemContext, tenant_id: UUID, job_id: UUID
) -> Job:
    async with deps.uow_factory.for_system(ctx, tenant_id) as uow:
        job = await uow.jobs.get(job_id)
    if job is None:
        raise NotFound(entity="job")
    return job


def _raise_injected_fault() -> None:
    raise InjectedFault("test fault point: re-encryption stopped before committing a batch")


async def _record_failure(
    deps: ReencryptionDeps,
    ctx: SystemContext,
    tenant_id: UUID,
    job_id: UUID,
    error: BaseException,
) -> None:
    try:
        async with deps.uow_factory.for_system(ctx, tenant_id) as uow:
            job = await uow.jobs.get(job_id, for_update=True)
            if job is None or job.succeeded:
                return
            job.fail(deps.clock.now(), f"{type(error).__name__}: {error}")
            await uow.jobs.save(job)
            await uow.commit()
    except Exception:  # noqa: S110 - the original error is what matters; resume still works
        pass
