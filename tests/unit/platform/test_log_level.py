"""SHOPKEEPER_LOG_LEVEL decides what the API logs: building the app does not let Litestar's
own logging configuration set the root logger back to INFO (under load a library's INFO
line a request was printed whatever the setting said)."""

from __future__ import annotations

import logging

from entrypoints.http.app import create_app
from entrypoints.logging import configure_logging


def test_building_the_app_keeps_the_configured_level() -> None:
    root = logging.getLogger()
    saved = root.level
    try:
        configure_logging("warning")
        create_app(connect=False)
        assert root.level == logging.WARNING
        assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)
    finally:
        root.setLevel(saved)
