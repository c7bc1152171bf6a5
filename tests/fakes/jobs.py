"""In-memory jobs store (``uow.of(JOBS)``): one tenant's jobs, newest first by creation."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from application.jobs.ports import JOBS, JobStore
from application.shared.job import Job
from tests.fakes.stores import FakeStore


@dataclass
class JobTables:
    jobs: dict[UUID, Job] = field(default_factory=dict)

    def copy(self) -> JobTables:
        return copy.deepcopy(self)


class FakeJobRepository:
    def __init__(self, tables: JobTables) -> None:
        self._t = tables

    async def add(self, job: Job) -> None:
        assert job.id not in self._t.jobs, "duplicate primary key"
        self._t.jobs[job.id] = copy.deepcopy(job)

    async def get(self, job_id: UUID, *, for_update: bool = False) -> Job | None:
        return copy.deepcopy(self._t.jobs.get(job_id))

    async def save(self, job: Job) -> None:
        if job.id in self._t.jobs:
            self._t.jobs[job.id] = copy.deepcopy(job)

    async def latest(self, kind: str) -> Job | None:
        found = await self.page(kind, None, 1)
        return found[0] if found else None

    async def lock_kind(self, kind: str) -> None:
        """Nothing to serialise: the fake runs one unit of work at a time."""

    async def page(
        self, kind: str | None, after: tuple[datetime, UUID] | None, limit: int
    ) -> list[Job]:
        newest_first = sorted(
            (j for j in self._t.jobs.values() if kind is None or j.kind == kind),
            key=lambda j: (j.created_at, j.id),
            reverse=True,
        )
        kept = [j for j in newest_first if after is None or (j.created_at, j.id) < after]
        return [copy.deepcopy(j) for j in kept[:limit]]


class FakeJobStore(JobStore):
    def __init__(self, tables: JobTables) -> None:
        self.jobs = FakeJobRepository(tables)


def build(tables: JobTables) -> JobStore:
    """Typed as the port, so mypy proves the fake store satisfies ``JobStore``."""
    return FakeJobStore(tables)


# Found by the fake unit of work (tests/fakes/stores.py).
FAKE = FakeStore(JOBS, JobTables, lambda tables, parts: build(tables))
