"""CPU a process on this machine has used (Linux ``/proc``): a served API's, a PostgreSQL
backend's."""

from __future__ import annotations

import os
from pathlib import Path


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU seconds of process ``pid``; None when ``/proc`` has no such
    process (gone, or on another machine, as a remote PostgreSQL's backends are)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
