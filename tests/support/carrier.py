"""The simulated carrier (LOG-1, LOG-2) run in-process on a free port for a test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from adapters.carriers.simulated.server import CarrierConfig, create_app
from tests.support.served import served


@dataclass(frozen=True)
class RunningCarrier:
    url: str
    control: httpx.Client


@contextmanager
def simulated_carrier(config: CarrierConfig | None = None) -> Iterator[RunningCarrier]:
    with served(create_app(config), "simulated carrier") as url:
        with httpx.Client(base_url=url, timeout=10) as control:
            yield RunningCarrier(url, control)
