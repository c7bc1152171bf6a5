"""CPU a process on this machine has used (Linux ``/proc``): a served API's, a PostgreSQL
backend's, the whole server's; and what one way of a benchmark spent, by whom."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import astuple, dataclass
from pathlib import Path


def _stat(path: Path) -> tuple[str, list[str]] | None:
    """A process's name and the fields of its ``/proc/<pid>/stat`` after it (utime is
    ``[11]``, stime ``[12]``, the waited-for children's ``[13]`` and ``[14]``); None when it
    is gone."""
    try:
        text = path.read_text()
    except OSError:
        return None
    name, _, rest = text.partition("(")[2].rpartition(")")
    return name, rest.split()


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU seconds of process ``pid``; None when ``/proc`` has no such
    process (gone, or on another machine, as a remote PostgreSQL's backends are)."""
    found = _stat(Path(f"/proc/{pid}/stat"))
    if found is None:
        return None
    fields = found[1]
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_cpu_seconds() -> float:
    """CPU seconds the PostgreSQL server on this machine has used: every process named
    ``postgres`` (backends, writers), with what the exited ones used (a backend's time is
    added to the postmaster's children's once it is gone, as pgbench's are); 0 for a
    server elsewhere."""
    ticks = 0
    for path in Path("/proc").glob("[0-9]*/stat"):
        found = _stat(path)  # None: gone meanwhile
        if found is not None and found[0] == "postgres":
            ticks += sum(int(value) for value in found[1][11:15])  # utime … cstime
    return ticks / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class CpuSpent:
    """CPU seconds a benchmark's way used, by whom: the served process (none for a way run
    in this process or by pgbench), PostgreSQL, and this process with the children it
    waited for (the load generator, the use case run here, or pgbench)."""

    server: float = 0.0
    database: float = 0.0
    client: float = 0.0

    @classmethod
    def now(cls, server: Callable[[], float] | None = None) -> CpuSpent:
        times = os.times()
        own = times.user + times.system + times.children_user + times.children_system
        return cls(server() if server else 0.0, postgres_cpu_seconds(), own)

    def __add__(self, other: CpuSpent) -> CpuSpent:
        return CpuSpent(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))

    def __sub__(self, other: CpuSpent) -> CpuSpent:
        return CpuSpent(*(a - b for a, b in zip(astuple(self), astuple(other), strict=True)))

    @property
    def total(self) -> float:
        return self.server + self.database + self.client
