"""In-memory catalog store (``uow.of(CATALOG)``): every repository of ``CatalogStore`` over
one tenant's dicts, with the rules the Postgres adapters enforce — versions checked on
save, codes, names and barcodes unique in the tenant, the category closure table, search
terms rewritten on every product save.

Entities go in and come out as deep copies (a read is a fresh object, as from a row), so
a use case that changes an entity and then fails leaves the tables as they were.

Not faked (``NotImplementedError``): the search candidates (equality on a term table
joined with prices, sorting and keyset paging in SQL) and the set-based import writes;
the tests of those use cases run against Postgres (tests/integration/catalog/).
"""

from __future__ import annotations

from application.catalog.ports.store import CATALOG, CatalogStore
from tests.fakes.catalog.products import (
    FakeCatalogFiles,
    FakeProductMediaRepository,
    FakeProductRepository,
    FakeRelatedProductRepository,
)
from tests.fakes.catalog.selling import (
    FakeChannelRepository,
    FakeListingRepository,
    FakePriceRepository,
)
from tests.fakes.catalog.tables import CatalogTables
from tests.fakes.catalog.taxonomy import (
    FakeBrandRepository,
    FakeCategoryRepository,
    FakeProductTypeRepository,
)
from tests.fakes.stores import FakeStore

__all__ = ["CatalogTables", "FakeCatalogStore", "build"]


class FakeCatalogStore(CatalogStore):
    def __init__(self, tables: CatalogTables) -> None:
        self.categories = FakeCategoryRepository(tables)
        self.brands = FakeBrandRepository(tables)
        self.product_types = FakeProductTypeRepository(tables)
        self.products = FakeProductRepository(tables)
        self.catalog_files = FakeCatalogFiles(tables, self.products)
        self.channels = FakeChannelRepository(tables)
        self.listings = FakeListingRepository(tables)
        self.prices = FakePriceRepository(tables)
        self.product_media = FakeProductMediaRepository(tables)
        self.related_products = FakeRelatedProductRepository(tables)


def build(tables: CatalogTables) -> CatalogStore:
    """Typed as the port, so mypy proves the fake store satisfies ``CatalogStore``."""
    return FakeCatalogStore(tables)


# Found by the fake unit of work (tests/fakes/stores.py).
FAKE = FakeStore(CATALOG, CatalogTables, lambda tables, parts: build(tables))
