"""Keep the benchmarks' tables readable.

Each simulated marketplace or carrier request would be an INFO line of httpx (the app's
logging sets the root level, not these loggers'): the tables would drown in them.
"""

from __future__ import annotations

import logging

QUIET_LOGGERS = ("httpx", "httpcore")


def quiet_http_logs() -> None:
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
