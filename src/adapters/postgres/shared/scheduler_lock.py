"""The scheduler's leadership and its record of fired periods (docs/events-and-jobs.md).

Leadership is a session advisory lock held on one dedicated connection of the platform
role: it lasts exactly as long as that connection, so a killed leader's lock goes with its
connection and a waiting scheduler takes over. (It needs a direct session, not a
transaction-pooling proxy.) A firing is recorded in ``scheduler_runs`` on that same
connection and only while the lock is held; its primary key makes a second firing of one
period impossible even if two schedulers believed themselves leader for a moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

# pg_try_advisory_lock(int, int): a fixed class for Shopkeeper and one id for the scheduler.
# Advisory locks are per database, so test databases on one server do not collide.
LOCK_CLASS = 0x5348_4F50  # "SHOP"
SCHEDULER_LOCK_ID = 1

# Hand-written: the lock check and the insert in one statement (pg_locks, a data-modifying
# CTE), so a period is recorded only while this session holds the lock.
_RECORD = text(
    "WITH lock AS ("
    "  SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
    "    AND pid = pg_backend_pid() AND classid = :class AND objid = :id AND objsubid = 2"
    "    AND granted) AS held),"
    " fired AS ("
    "  INSERT INTO scheduler_runs (job, period_start, fired_by)"
    "  SELECT :job, :period_start, :fired_by FROM lock WHERE held"
    "  ON CONFLICT DO NOTHING RETURNING 1)"
    " SELECT (SELECT held FROM lock) AS held, EXISTS (SELECT 1 FROM fired) AS fired"
)


class LeadershipLost(RuntimeError):
    pass


@dataclass(frozen=True)
class Firing:
    fired: bool  # False: this period was fired before (by us or another leader)


class SchedulerLeadership:
    """One attempt at leading: ``acquire`` until it returns True, then ``record`` firings
    until ``LeadershipLost`` (or any connection error); ``release`` always."""

    def __init__(self, platform_engine: AsyncEngine) -> None:
        self._engine = platform_engine
        self._conn: AsyncConnection | None = None

    async def acquire(self) -> bool:
        if self._conn is None:
            conn = await self._engine.connect()
            self._conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        # A session advisory lock: hand-written SQL, like its check in _RECORD.
        got = await self._conn.scalar(
            text("SELECT pg_try_advisory_lock(:class, :id)"),
            {"class": LOCK_CLASS, "id": SCHEDULER_LOCK_ID},
        )
        return bool(got)

    async def now(self) -> datetime:
        """The database's clock (one clock for every scheduler); also a liveness check."""
        value = await self._connection().scalar(select(func.clock_timestamp()))
        assert isinstance(value, datetime)
        return value

    async def record(self, job: str, period_start: datetime, fired_by: str) -> Firing:
        row = (
            await self._connection().execute(
                _RECORD,
                {
                    "class": LOCK_CLASS,
                    "id": SCHEDULER_LOCK_ID,
                    "job": job,
                    "period_start": period_start,
                    "fired_by": fired_by,
                },
            )
        ).one()
        if not row.held:
            raise LeadershipLost("the scheduler lock is no longer held")
        return Firing(bool(row.fired))

    async def release(self) -> None:
        """Close the dedicated connection, never return it to the pool: a pooled session
        would keep the lock for whoever borrows it next."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            await conn.invalidate()
        finally:
            await conn.close()

    def _connection(self) -> AsyncConnection:
        if self._conn is None:
            raise LeadershipLost("not connected")
        return self._conn
