"""A long-running job with progress and a checkpoint (re-encryption; imports, exports later).

The job row is the source of truth for "how far": a runner does each batch of work in one
transaction together with the job's new ``done`` count and ``checkpoint``, so a runner
killed at any point resumes from the last committed batch, neither losing nor repeating
work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"  # also a runner that died: ``resume`` picks it up again
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # stopped on an error; resumable from its checkpoint


@dataclass
class Job:
    id: UUID
    kind: str
    created_by: str
    created_at: datetime
    updated_at: datetime
    status: JobStatus = JobStatus.QUEUED
    done: int = 0
    total: int | None = None
    checkpoint: dict[str, Any] = field(default_factory=dict)
    parameters: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    finished_at: datetime | None = None

    @property
    def succeeded(self) -> bool:
        return self.status is JobStatus.SUCCEEDED

    @property
    def unfinished(self) -> bool:
        return self.status is not JobStatus.SUCCEEDED

    def start(self, now: datetime) -> None:
        """Queued, failed or abandoned (a dead runner left it ``running``): run it."""
        if self.succeeded:
            # guard: every runner returns a succeeded job before starting it
            raise ValueError("a succeeded job does not run again")
        self.status = JobStatus.RUNNING
        self.error = None
        self.updated_at = now

    def advance(self, now: datetime, done: int, checkpoint: dict[str, Any]) -> None:
        """Record a committed batch: ``done`` more items, and where to continue."""
        self.done += done
        self.checkpoint = checkpoint
        self.updated_at = now

    def succeed(self, now: datetime) -> None:
        self.status = JobStatus.SUCCEEDED
        if self.total is None or self.total != self.done:
            # Items added or removed while the job ran: the walk's own count is the truth.
            self.total = self.done
        self.error = None
        self.updated_at = self.finished_at = now

    def fail(self, now: datetime, error: str) -> None:
        self.status = JobStatus.FAILED
        self.error = error[:500]
        self.updated_at = now
