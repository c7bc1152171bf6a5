"""The catalog (CAT-*): products, taxonomy, channels and prices, media, files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.files.tables import CsvXlsxTables
from adapters.storage.media_inspector import PillowMediaInspector
from application.catalog.brand_logos import BrandLogoService
from application.catalog.brands.common import load_brand
from application.catalog.brands.create import CreateBrandHandler
from application.catalog.brands.queries import GetBrand, ListBrands
from application.catalog.brands.rename import RenameBrandHandler
from application.catalog.categories import CategoryService
from application.catalog.channels import ChannelService
from application.catalog.exports import CatalogExports
from application.catalog.imports import CatalogImports
from application.catalog.listings import ListingService
from application.catalog.media import MediaService
from application.catalog.media_files import MediaFiles
from application.catalog.member_prices import MemberPriceService
from application.catalog.membership_tiers import MembershipTierService
from application.catalog.ports.store import CATALOG
from application.catalog.price_quotes import PriceQuoteService
from application.catalog.product_types import ProductTypeService
from application.catalog.products import ProductService
from application.catalog.promotions import PromotionService
from application.catalog.related import RelatedProductService
from application.catalog.sku_matrices import SkuMatrixService
from application.shared.clock import Clock, IdGenerator
from application.shared.reads import GetOne, PageInIdOrder
from application.shared.use_cases import UseCases

if TYPE_CHECKING:
    from bootstrap import Container


def register_use_cases(use_cases: UseCases, clock: Clock, ids: IdGenerator) -> None:
    """The catalog's handlers, each for the command or query its ``handle`` takes (the
    unit tests register the same on the fakes)."""
    use_cases.register(CreateBrandHandler(clock, ids), RenameBrandHandler(clock))
    use_cases.add(GetBrand, GetOne(load_brand))
    use_cases.add(ListBrands, PageInIdOrder(lambda uow: uow.of(CATALOG).brands.page))


def register(c: Container) -> None:
    runner, clock, ids = c.runner, c.clock, c.ids
    register_use_cases(c.use_cases, clock, ids)
    tables = CsvXlsxTables()
    media_files = MediaFiles(c.file_store, PillowMediaInspector())
    c.add(
        tables,
        CatalogImports(runner, c.uow_factory, tables, c.task_queue, clock, ids),
        CatalogExports(runner, c.uow_factory, tables, c.task_queue, clock, ids),
        CategoryService(runner, clock, ids),
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
