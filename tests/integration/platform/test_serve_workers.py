"""``shopkeeper serve --workers N`` (deploy/PRODUCTION.md, "Scaling out"): several worker
processes answer on one port, and ``/metrics`` counts the requests of all of them (each
worker writes its values to a folder of the server's own, which ``/metrics`` sums), not
those of whichever worker took the scrape (PLT-9: a server uses more than one core)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from bootstrap.settings import Settings
from entrypoints.cli.commands.serve import shared_metrics
from tests.support.processes import (
    cli_env,
    free_port,
    server_process,
    stop_process,
    wait_until_healthy,
)

REQUESTS = 30


def _health_requests(metrics: str) -> float:
    counted = re.findall(
        r'^litestar_requests_total\{[^}]*path="/health"[^}]*\} (\S+)$', metrics, re.M
    )
    return sum(float(value) for value in counted)


def test_two_workers_answer_and_metrics_count_every_workers_requests(settings: Settings) -> None:
    port = free_port()
    env = {**cli_env(settings), "SHOPKEEPER_PORT": str(port), "SHOPKEEPER_WORKERS": "2"}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    server = server_process(env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(server, base, seconds=180)
        workers = [int(pid) for pid in Path(f"/proc/{server.pid}/task/{server.pid}/children")
                   .read_text().split()]  # fmt: skip
        assert len(workers) >= 2  # a supervisor and its workers (and its own helpers)
        before = _health_requests(httpx.get(f"{base}/metrics").text)
        for _ in range(REQUESTS):  # a new connection each: the workers share the socket
            assert httpx.get(f"{base}/health").status_code == 200
        after = _health_requests(httpx.get(f"{base}/metrics").text)
        assert after - before == REQUESTS
    finally:
        stop_process(server)


def test_one_worker_keeps_its_metrics_in_memory(monkeypatch: object) -> None:
    import os

    os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
    with shared_metrics(1):
        assert "PROMETHEUS_MULTIPROC_DIR" not in os.environ
    with shared_metrics(2):
        folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
        assert folder.is_dir()
    assert "PROMETHEUS_MULTIPROC_DIR" not in os.environ and not folder.exists()
