"""The simulated carrier (LOG-1, LOG-2) run in-process on a free port for a test."""

from __future__ import annotations

from contextlib import AbstractContextManager

from adapters.carriers.simulated.server import CarrierConfig, create_app
from tests.support.served import Served, served

RunningCarrier = Served


def simulated_carrier(config: CarrierConfig | None = None) -> AbstractContextManager[Served]:
    return served(create_app(config), "simulated carrier")
