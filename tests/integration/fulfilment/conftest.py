"""The fulfilment database tests' simulated carrier and marketplace (one of each per test
module), and the owner's connection (``owner``) for what a test reads or sets directly."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.notifications.test_notifications import owner
from tests.support.carrier import RunningCarrier, simulated_carrier
from tests.support.marketplace import RunningMarketplace, simulated_marketplace

__all__ = ["market", "owner", "sim"]


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningCarrier]:
    with simulated_carrier() as running:
        yield running


@pytest.fixture(scope="module")
def market() -> Iterator[RunningMarketplace]:
    with simulated_marketplace() as running:
        yield running
