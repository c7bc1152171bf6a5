"""The catalog (CAT-*): products, taxonomy, channels and prices, media, files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.files.tables import CsvXlsxTables
from adapters.storage.media_inspector import PillowMediaInspector
from application.catalog.brand_logos import BrandLogoService
from application.catalog.brands import BrandService
from application.catalog.categories import CategoryService
from application.catalog.channels import ChannelService
from application.catalog.exports import CatalogExports
from application.catalog.imports import CatalogImports
from application.catalog.listings import ListingService
from application.catalog.media import MediaService
from application.catalog.media_files import MediaFiles
from application.catalog.member_prices import MemberPriceService
from application.catalog.membership_tiers import MembershipTierService
from application.catalog.price_quotes import PriceQuoteService
from application.catalog.product_types import ProductTypeService
from application.catalog.products import ProductService
from application.catalog.promotions import PromotionService
from application.catalog.related import RelatedProductService
from application.catalog.sku_matrices import SkuMatrixService

if TYPE_CHECKING:
    from bootstrap import Container


def register(c: Container) -> None:
    runner, clock, ids = c.runner, c.clock, c.ids
    tables = CsvXlsxTables()
    media_files = MediaFiles(c.file_store, PillowMediaInspector())
    c.add(
        tables,
        CatalogImports(runner, c.uow_factory, tables, c.task_queue, clock, ids),
        CatalogExports(runner, c.uow_factory, tables, c.task_queue, clock, ids),
        CategoryService(runner, clock, ids),
        BrandService(runner, clock, ids),
        ProductTypeService(runner, clock, ids),
        ProductService(runner, clock, ids),
        SkuMatrixService(runner, clock, ids),
        ChannelService(runner, clock, ids),
        ListingService(runner, clock),
        MembershipTierService(runner),
        MemberPriceService(runner, clock, ids),
        PromotionService(runner, clock, ids),
        PriceQuoteService(runner, clock),
        MediaService(runner, media_files, clock, ids),
        BrandLogoService(runner, media_files, clock, ids),
        RelatedProductService(runner),
    )
