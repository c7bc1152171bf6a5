"""``shopkeeper serve``: run the HTTP API under uvicorn."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import click

from bootstrap.settings import InsecureConfiguration, Settings

APP_FACTORY = "entrypoints.http.app:create_app"
METRICS_FOLDER = "PROMETHEUS_MULTIPROC_DIR"  # prometheus_client's multiprocess mode


@click.command()
@click.option("--host", default=None, help="Address to bind (default: SHOPKEEPER_HOST).")
@click.option("--port", type=int, default=None, help="Port to bind (default: SHOPKEEPER_PORT).")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: SHOPKEEPER_WORKERS, else 1).",
)
@click.option("--reload", is_flag=True, help="Restart on code changes (development only).")
def serve(host: str | None, port: int | None, workers: int | None, reload: bool) -> None:
    """Serve the HTTP API (/api/v1, /schema, /health, /ready, /metrics)."""
    settings = Settings()
    try:
        settings.check_secrets()
    except InsecureConfiguration as exc:
        raise click.ClickException(str(exc)) from exc
    if reload and not settings.is_development:
        raise click.ClickException("--reload is for development only")
    processes = 1 if reload else (workers or settings.workers)
    if processes < 1:
        raise click.ClickException("SHOPKEEPER_WORKERS must be at least 1")
    import uvicorn  # here, not at the top: `shopkeeper --help` need not load a server

    with shared_metrics(processes):
        uvicorn.run(
            APP_FACTORY,
            factory=True,
            host=host or settings.host,
            port=port or settings.port,
            workers=None if reload else processes,
            reload=reload,
            log_level=settings.log_level,
            # The app logs each request itself (structlog, with request id and without
            # personal data); uvicorn's access log would repeat query strings such as a
            # searched phone.
            access_log=False,
            server_header=False,
            # The app reads X-Forwarded-For itself, only from SHOPKEEPER_TRUSTED_PROXIES
            # (entrypoints/http/middleware.py); uvicorn's own reading would trust 127.0.0.1.
            proxy_headers=False,
        )


@contextmanager
def shared_metrics(processes: int) -> Iterator[None]:
    """With several worker processes each counts its own requests, and ``/metrics``
    would answer with whichever worker took the scrape. prometheus_client's multiprocess
    mode has every worker write its values to files in one folder, named before the
    workers start (they inherit it), and ``/metrics`` sums them: a fresh folder for the
    server's life, unless the operator named one."""
    if processes == 1 or os.environ.get(METRICS_FOLDER):
        yield
        return
    folder = tempfile.mkdtemp(prefix="shopkeeper-metrics-")
    os.environ[METRICS_FOLDER] = folder
    try:
        yield
    finally:
        del os.environ[METRICS_FOLDER]
        shutil.rmtree(folder, ignore_errors=True)
