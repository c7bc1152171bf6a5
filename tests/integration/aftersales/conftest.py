"""Fixtures for after-sales on the real database: inventory's SKUs made straight in the
catalog's tables (``make_skus``)."""

from tests.integration.inventory.conftest import make_skus  # noqa: F401  (a fixture)
