"""Structured JSON logs (structlog) carrying request id, tenant and user — never personal
data or secrets: request bodies, query strings and exception messages are not logged."""

from __future__ import annotations

import logging
import sys

import structlog


def configure_logging(level: str = "info", *, for_life: bool = False) -> None:
    """Logging for this process. ``for_life``: a served process configures it once, so
    each logger binds to that configuration on first use and is kept (structlog's
    ``cache_logger_on_first_use``; otherwise every line builds its logger and its
    printer again — each request's access line among them). Tests configure and capture
    logging again and again: for them loggers stay unbound."""
    numeric = logging.getLevelName(level.upper())
    logging.basicConfig(stream=sys.stdout, level=numeric, format="%(message)s", force=True)
    for noisy in ("uvicorn.access",):
        logging.getLogger(noisy).disabled = True
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(sys.stdout),
        cache_logger_on_first_use=for_life,
    )
