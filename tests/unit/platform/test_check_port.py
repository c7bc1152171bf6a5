"""`make run` on a busy port stops before starting anything and says so (issue #9, item 22):
the Makefile's `check-port` (scripts/check_port.py), with a port this test occupies."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.processes import free_port

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


def make_check_port(port: int, carrier: int | None = None) -> subprocess.CompletedProcess[str]:
    """``carrier``: the simulated carrier's port (``SHOPKEEPER_DEMO_CARRIER_URL``)."""
    env = {
        **os.environ,
        "SHOPKEEPER_HOST": "127.0.0.1",
        "SHOPKEEPER_PORT": str(port),
        "SHOPKEEPER_DEMO_CARRIER_URL": f"http://127.0.0.1:{carrier or free_port()}",
    }
    return subprocess.run(
        ["make", "--no-print-directory", "check-port"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_make_check_port_stops_on_a_port_in_use(busy_port: int) -> None:
    result = make_check_port(busy_port)
    assert result.returncode != 0
    assert f"Port {busy_port} on 127.0.0.1 is already in use" in result.stderr
    assert "nothing was started" in result.stderr
    assert "SHOPKEEPER_PORT=" in result.stderr  # what to do instead


def test_make_check_port_stops_when_the_simulated_carrier_s_port_is_in_use(
    busy_port: int,
) -> None:
    """Another ``make run``'s carrier there would take this demo's bookings."""
    result = make_check_port(free_port(), carrier=busy_port)
    assert result.returncode != 0
    assert f"Port {busy_port} on 127.0.0.1 is already in use" in result.stderr
    assert "SHOPKEEPER_DEMO_CARRIER_URL=http://127.0.0.1:" in result.stderr


def test_make_check_port_passes_on_afree_port() -> None:
    result = make_check_port(free_port())
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_make_run_checks_the_port_before_anything_else() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    run_rule = next(line for line in makefile.splitlines() if line.startswith("run:"))
    assert run_rule.split(":", 1)[1].split()[0] == "check-port"


def test_the_suggested_port_is_free(busy_port: int) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_port.py"), "127.0.0.1", str(busy_port)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    suggested = int(result.stderr.rsplit("SHOPKEEPER_PORT=", 1)[1].split()[0])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", suggested))  # does not raise
