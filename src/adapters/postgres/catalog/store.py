"""The catalog's repositories on one unit of work's connection (``uow.of(CATALOG)``)."""

from __future__ import annotations

from adapters.postgres.catalog.brands import PostgresBrandRepository
from adapters.postgres.catalog.categories import PostgresCategoryRepository
from adapters.postgres.catalog.channels import PostgresChannelRepository, PostgresListingRepository
from adapters.postgres.catalog.files import PostgresCatalogFiles
from adapters.postgres.catalog.media import PostgresProductMediaRepository
from adapters.postgres.catalog.prices import PostgresPriceRepository
from adapters.postgres.catalog.product_types import PostgresProductTypeRepository
from adapters.postgres.catalog.products import PostgresProductRepository
from adapters.postgres.catalog.related import PostgresRelatedProductRepository
from adapters.postgres.shared.stores import StoreParts
from application.catalog.ports.store import CATALOG, CatalogStore

KEY = CATALOG


class PostgresCatalogStore(CatalogStore):
    def __init__(self, parts: StoreParts) -> None:
        conn, tid = parts.connection, parts.tenant_id
        self.categories = PostgresCategoryRepository(conn, tid)
        self.brands = PostgresBrandRepository(conn, tid)
        self.product_types = PostgresProductTypeRepository(conn, tid)
        self.products = PostgresProductRepository(conn, tid)
        self.catalog_files = PostgresCatalogFiles(conn, tid)
        self.channels = PostgresChannelRepository(conn, tid)
        self.listings = PostgresListingRepository(conn, tid)
        self.prices = PostgresPriceRepository(conn, tid)
        self.product_media = PostgresProductMediaRepository(conn, tid)
        self.related_products = PostgresRelatedProductRepository(conn, tid)


def build(parts: StoreParts) -> CatalogStore:
    return PostgresCatalogStore(parts)
