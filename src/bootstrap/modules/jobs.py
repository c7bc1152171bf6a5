"""Jobs with progress (docs/events-and-jobs.md) and key rotation, which runs as one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.postgres.keys.reencryption import (
    EnvelopeDataKeyVersions,
    PostgresJobsUnitOfWorkFactory,
)
from application.jobs.queries import GetJobHandler, ListJobsHandler
from application.keys.reencrypt import ReencryptionDeps
from application.keys.rotation import KeyRotation

if TYPE_CHECKING:
    from bootstrap import Container


def register(c: Container) -> None:
    jobs_uow_factory = PostgresJobsUnitOfWorkFactory(c.uow_factory)
    c.use_cases.register(GetJobHandler(), ListJobsHandler())
    c.add(
        KeyRotation(
            ReencryptionDeps(
                jobs_uow_factory, c.cipher, EnvelopeDataKeyVersions(c.cipher), c.clock
            ),
            c.ids,
        ),
    )
