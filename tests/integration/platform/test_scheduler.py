"""The scheduler (issue 3, "two scheduler processes started together: each periodic job runs
once per period"): one leader by a Postgres advisory lock, every firing recorded in
scheduler_runs under that lock, and the other process taking over when the leader dies."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
from sqlalchemy import text

from adapters.postgres.shared.scheduler_lock import LeadershipLost, SchedulerLeadership
from bootstrap import Container
from bootstrap.settings import Settings
from tests.conftest import cli_env
from tests.support.background import eventually
from tests.support.processes import SHOPKEEPER

ROOT = Path(__file__).resolve().parents[3]


async def test_only_the_lock_holder_records_a_period_and_never_twice(
    container: Container,
) -> None:
    job = f"test.lock.{uuid.uuid4().hex[:8]}"
    period = datetime(2030, 1, 1, tzinfo=UTC)
    first, second = SchedulerLeadership(container.platform_engine), None
    try:
        assert await first.acquire()
        second = SchedulerLeadership(container.platform_engine)
        assert not await second.acquire()
        try:
            await second.record(job, period, "second")
            raise AssertionError("a scheduler without the lock recorded a firing")
        except LeadershipLost:
            pass
        assert (await first.record(job, period, "first")).fired
        assert not (await first.record(job, period, "first")).fired

        await first.release()  # the leader goes: the other takes over ...
        assert await second.acquire()
        # ... and cannot fire the period the first one fired (two leaders for a moment
        # would be refused by the primary key just the same).
        assert not (await second.record(job, period, "second")).fired
        assert (await second.record(job, period + timedelta(seconds=1), "second")).fired
    finally:
        await first.release()
        if second is not None:
            await second.release()


def start_scheduler(settings: Settings, probe_file: Path, job: str) -> subprocess.Popen[bytes]:
    env = {
        **cli_env(settings),
        "PYTHONPATH": str(ROOT),
        "SHOPKEEPER_WORKER_MODULES": "tests.support.scheduler_probe",
        "SHOPKEEPER_TEST_PROBE_JOB": job,
        "SHOPKEEPER_TEST_PROBE_FILE": str(probe_file),
        "SHOPKEEPER_TEST_PROBE_PERIOD": "1",
        "SHOPKEEPER_LOG_LEVEL": "warning",
    }
    return subprocess.Popen(
        [SHOPKEEPER, "scheduler"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


async def test_two_schedulers_fire_each_period_once_and_the_survivor_takes_over(
    settings: Settings, container: Container, tmp_path: Path
) -> None:
    job = f"test.probe.{uuid.uuid4().hex[:8]}"
    probe_file = tmp_path / "runs.txt"
    probe_file.touch()
    schedulers = [start_scheduler(settings, probe_file, job) for _ in range(2)]

    async def runs() -> list[tuple[datetime, str]]:
        async with container.platform_engine.connect() as conn:
            rows = await conn.execute(
                text(
                    "SELECT period_start, fired_by FROM scheduler_runs WHERE job = :job"
                    " ORDER BY period_start"
                ),
                {"job": job},
            )
            return [(r.period_start, r.fired_by) for r in rows]

    def probe_lines() -> list[tuple[str, int, str]]:
        return [
            (period, int(pid), loop)
            for period, pid, loop in (line.split() for line in probe_file.read_text().splitlines())
        ]

    try:

        async def fired(count: int) -> bool:
            return len(await runs()) >= count

        await eventually(lambda: fired(3), seconds=20, what="three periods fired")
        before = await runs()
        leaders = {fired_by for _, fired_by in before}
        assert len(leaders) == 1, before  # one leader while both run
        leader_pid = int(leaders.pop().rsplit(":", 1)[1])
        leader = next(p for p in schedulers if p.pid == leader_pid)
        survivor = next(p for p in schedulers if p.pid != leader_pid)

        os.kill(leader.pid, signal.SIGKILL)
        leader.wait(timeout=10)

        async def taken_over() -> bool:
            return sum(1 for _, by in await runs() if by.endswith(f":{survivor.pid}")) >= 2

        await eventually(taken_over, seconds=15, what="the survivor firing")
        assert survivor.poll() is None
    finally:
        for process in schedulers:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in schedulers:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    recorded = await runs()
    lines = probe_lines()
    periods = Counter(period for period, _, _ in lines)
    # The scheduler's jobs run on uvloop, as the API does (bootstrap/event_loop.py).
    assert {loop for _, _, loop in lines} == {"uvloop"}, lines
    # Once per period: no period ran twice, and every run was a recorded firing ...
    assert all(count == 1 for count in periods.values()), periods
    recorded_periods = {start.isoformat() for start, _ in recorded}
    assert set(periods) <= recorded_periods
    # ... and every recorded firing ran, except perhaps the one the leader was killed in.
    assert len(recorded_periods - set(periods)) <= 1
    # Each run happened in the process that recorded it.
    fired_by = {start.isoformat(): int(by.rsplit(":", 1)[1]) for start, by in recorded}
    assert all(fired_by[period] == pid for period, pid, _ in lines)
    # Periods are whole seconds; a takeover (or a stalled box) may skip one or two.
    starts = sorted(start for start, _ in recorded)
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(starts)]
    assert all(gap >= 1 for gap in gaps)
    assert sum(1 for gap in gaps if gap > 1) <= 2, gaps
    # SIGTERM stops a scheduler cleanly.
    assert survivor.returncode == 0, survivor.stderr.read() if survivor.stderr else ""


async def test_scheduler_runs_are_only_fired_by_the_platform_role(settings: Settings) -> None:
    """scheduler_runs is global: the request role has no access to it at all."""
    conn = await asyncpg.connect(settings.database_url)
    try:
        try:
            await conn.fetch("SELECT * FROM scheduler_runs")
            raise AssertionError("the app role can read scheduler_runs")
        except asyncpg.InsufficientPrivilegeError:
            pass
    finally:
        await conn.close()
