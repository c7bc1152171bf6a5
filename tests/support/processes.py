"""Project processes a test starts and stops itself (crash tests kill their own workers,
never a shared server)."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

SHOPKEEPER = str(Path(sys.executable).parent / "shopkeeper")


def worker_process(env: dict[str, str], *options: str) -> subprocess.Popen[bytes]:
    """``shopkeeper worker --threads 2 [options]`` in a session of its own (so a test can
    kill it alone), quiet."""
    return subprocess.Popen(
        [SHOPKEEPER, "worker", "--threads", "2", *options],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, and SIGKILL after 20 s if it has not gone."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
