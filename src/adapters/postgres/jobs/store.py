"""The jobs repository on one unit of work's connection (``uow.of(JOBS)``)."""

from __future__ import annotations

from adapters.postgres.jobs.repository import PostgresJobRepository
from adapters.postgres.shared.stores import StoreParts
from application.jobs.ports import JOBS, JobStore

KEY = JOBS


class PostgresJobStore(JobStore):
    def __init__(self, parts: StoreParts) -> None:
        self.jobs = PostgresJobRepository(parts.connection, parts.tenant_id)


def build(parts: StoreParts) -> JobStore:
    return PostgresJobStore(parts)
