"""The catalog's store: its repositories in one unit of work (``uow.of(CATALOG)``)."""

from __future__ import annotations

from typing import Protocol

from application.catalog.ports.channels import (
    ChannelRepository,
    ListingRepository,
    PriceRepository,
)
from application.catalog.ports.files import CatalogFileStore
from application.catalog.ports.repositories import (
    BrandRepository,
    CategoryRepository,
    ProductMediaRepository,
    ProductRepository,
    ProductTypeRepository,
    RelatedProductRepository,
)
from application.shared.unit_of_work import StoreKey


class CatalogStore(Protocol):
    categories: CategoryRepository
    brands: BrandRepository
    product_types: ProductTypeRepository
    products: ProductRepository
    catalog_files: CatalogFileStore  # catalog import/export records (CAT-2)
    channels: ChannelRepository
    listings: ListingRepository
    prices: PriceRepository
    product_media: ProductMediaRepository
    related_products: RelatedProductRepository


CATALOG: StoreKey[CatalogStore] = StoreKey("catalog")
