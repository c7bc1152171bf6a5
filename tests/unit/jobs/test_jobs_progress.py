"""A job's progress and the re-encryption walk's cursor (pure parts)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from application.keys.reencrypt import SWEEP, WALK, Cursor
from application.shared.job import Job, JobStatus

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def test_a_job_advances_fails_resumes_and_succeeds() -> None:
    job = Job(uuid.uuid4(), "keys.reencrypt", "support:pytest", T0, T0, total=10)
    job.start(T0)
    job.advance(T0 + timedelta(seconds=1), 4, {"after": "a"})
    job.fail(T0 + timedelta(seconds=2), "boom " * 200)
    assert job.status is JobStatus.FAILED and job.unfinished and len(job.error or "") == 500
    job.start(T0 + timedelta(seconds=3))
    assert job.status is JobStatus.RUNNING and job.error is None and job.done == 4
    job.advance(T0 + timedelta(seconds=4), 7, {"after": "b"})
    job.succeed(T0 + timedelta(seconds=5))
    # Rows added while it ran: the walk's own count becomes the total.
    assert (job.done, job.total, job.finished_at) == (11, 11, T0 + timedelta(seconds=5))
    with pytest.raises(ValueError, match="does not run again"):
        job.start(T0)


def test_the_walk_visits_every_source_then_sweeps_them_again() -> None:
    sources = ("customers", "webhook_endpoints")
    cursor: Cursor | None = Cursor.of({}, sources)
    seen = []
    while cursor is not None:
        seen.append((cursor.phase, cursor.source, cursor.after))
        cursor = cursor.next_source(sources)
    assert seen == [
        (WALK, "customers", None),
        (WALK, "webhook_endpoints", None),
        (SWEEP, "customers", None),
        (SWEEP, "webhook_endpoints", None),
    ]
    resumed = Cursor.of({"phase": WALK, "source": "customers", "after": "k"}, sources)
    assert resumed == Cursor(WALK, "customers", "k")
    assert Cursor.of(resumed.as_checkpoint(), sources) == resumed
