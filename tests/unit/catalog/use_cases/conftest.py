from __future__ import annotations

import pytest

from tests.unit.catalog.use_cases.shop import Shop, make_shop


@pytest.fixture
def shop() -> Shop:
    return make_shop()
