"""``shopkeeper serve``: run the HTTP API under uvicorn."""

from __future__ import annotations

import click

from bootstrap.settings import InsecureConfiguration, Settings

APP_FACTORY = "entrypoints.http.app:create_app"


@click.command()
@click.option("--host", default=None, help="Address to bind (default: SHOPKEEPER_HOST).")
@click.option("--port", type=int, default=None, help="Port to bind (default: SHOPKEEPER_PORT).")
@click.option("--workers", type=int, default=1, show_default=True, help="Worker processes.")
@click.option("--reload", is_flag=True, help="Restart on code changes (development only).")
def serve(host: str | None, port: int | None, workers: int, reload: bool) -> None:
    """Serve the HTTP API (/api/v1, /schema, /health, /ready, /metrics)."""
    settings = Settings()
    try:
        settings.check_secrets()
    except InsecureConfiguration as exc:
        raise click.ClickException(str(exc)) from exc
    if reload and not settings.is_development:
        raise click.ClickException("--reload is for development only")
    import uvicorn  # here, not at the top: `shopkeeper --help` need not load a server

    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=None if reload else workers,
        reload=reload,
        log_level=settings.log_level,
        # The app logs each request itself (structlog, with request id and without personal
        # data); uvicorn's access log would repeat query strings such as a searched phone.
        access_log=False,
        server_header=False,
        # The app reads X-Forwarded-For itself, only from SHOPKEEPER_TRUSTED_PROXIES
        # (entrypoints/http/middleware.py); uvicorn's own reading would trust 127.0.0.1.
        proxy_headers=False,
    )
