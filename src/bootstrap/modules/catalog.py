"""The catalog (CAT-*): products, taxonomy, channels and prices, media, files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.files.tables import CsvXlsxTables
from adapters.storage.media_inspector import PillowMediaInspector
from application.catalog.brand_logos import BrandLogoService
from application.catalog.brands.common import load_brand
from application.catalog.brands.create import CreateBrandHandler
from application.catalog.brands.rename import RenameBrandHandler
from application.catalog.categories.change import ChangeCategoryHandler
from application.catalog.categories.common import load_category
from application.catalog.categories.create import CreateCategoryHandler
from application.catalog.channels.change import ChangeChannelHandler
from application.catalog.channels.common import load_channel
from application.catalog.channels.create import CreateChannelHandler
from application.catalog.exports import CatalogExports
from application.catalog.imports import CatalogImports
from application.catalog.listings.publish import PublishListingHandler
from application.catalog.listings.queries import ListingsOfHandler
from application.catalog.listings.set_prices import SetListingPricesHandler
from application.catalog.listings.unpublish import UnpublishListingHandler
from application.catalog.media import MediaService
from application.catalog.media.change_alt_text import ChangeAltTextHandler
from application.catalog.media.common import load_media
from application.catalog.media.queries import GetMedia, ListMediaHandler
from application.catalog.media.reorder import ReorderMediaHandler
from application.catalog.media_files import MediaFiles
from application.catalog.member_prices.change import ChangeMemberPriceHandler
from application.catalog.member_prices.create import CreateMemberPriceHandler
from application.catalog.member_prices.delete import DeleteMemberPriceHandler
from application.catalog.member_prices.queries import (
    GetMemberPriceHandler,
    MemberPricesOfSkuHandler,
)
from application.catalog.membership_tiers.queries import GetTiersHandler
from application.catalog.membership_tiers.replace import ReplaceTiersHandler
from application.catalog.ports.store import CATALOG
from application.catalog.price_quotes.quote import QuotePriceHandler
from application.catalog.product_types.common import load_product_type
from application.catalog.product_types.create import CreateProductTypeHandler
from application.catalog.product_types.revise import ReviseProductTypeHandler
from application.catalog.products.archive import ArchiveProductHandler
from application.catalog.products.create import CreateProductHandler
from application.catalog.products.queries import (
    DiffVersionsHandler,
    GetProductHandler,
    ListProductsHandler,
    ListVersionsHandler,
    ProductsInCategoryHandler,
    SearchProductsHandler,
)
from application.catalog.products.restore import RestoreProductHandler
from application.catalog.products.revise import ReviseProductHandler
from application.catalog.promotions.change import ChangePromotionHandler
from application.catalog.promotions.create import CreatePromotionHandler
from application.catalog.promotions.delete import DeletePromotionHandler
from application.catalog.promotions.queries import GetPromotionHandler, PromotionsOfSkuHandler
from application.catalog.reads import (
    GetBrand,
    GetCategory,
    GetChannel,
    GetProductType,
    ListBrands,
    ListCategories,
    ListChannels,
    ListProductTypes,
)
from application.catalog.related.queries import ShowRelatedHandler
from application.catalog.related.replace import ReplaceRelatedHandler
from application.catalog.sku_matrices.generate import GenerateSkusHandler
from application.catalog.sku_matrices.preview import PreviewSkuMatrixHandler
from application.shared.reads import GetOne, PageInIdOrder
from application.shared.use_cases import UseCases

if TYPE_CHECKING:
    from bootstrap import Container


def register_use_cases(use_cases: UseCases) -> None:
    """The catalog's handlers, each for the command or query its ``handle`` takes (the
    unit tests register the same on the fakes), and its generic reads."""
    use_cases.register(
        # taxonomy (CAT-4, CAT-5, CAT-6) and channels (CHN-1)
        CreateBrandHandler(),
        RenameBrandHandler(),
        CreateCategoryHandler(),
        ChangeCategoryHandler(),
        CreateProductTypeHandler(),
        ReviseProductTypeHandler(),
        CreateChannelHandler(),
        ChangeChannelHandler(),
        # products (CAT-1, CAT-2, CAT-5, CAT-9, CAT-11, CAT-12)
        CreateProductHandler(),
        ReviseProductHandler(),
        ArchiveProductHandler(),
        RestoreProductHandler(),
        GetProductHandler(),
        ListProductsHandler(),
        ProductsInCategoryHandler(),
        SearchProductsHandler(),
        ListVersionsHandler(),
        DiffVersionsHandler(),
        PreviewSkuMatrixHandler(),
        GenerateSkusHandler(),
        ShowRelatedHandler(),
        ReplaceRelatedHandler(),
        # media (CAT-3) without their files
        ListMediaHandler(),
        ChangeAltTextHandler(),
        ReorderMediaHandler(),
        # listings and prices (CAT-7, CAT-10, CHN-1)
        ListingsOfHandler(),
        PublishListingHandler(),
        UnpublishListingHandler(),
        SetListingPricesHandler(),
        GetTiersHandler(),
        ReplaceTiersHandler(),
        CreateMemberPriceHandler(),
        ChangeMemberPriceHandler(),
        DeleteMemberPriceHandler(),
        GetMemberPriceHandler(),
        MemberPricesOfSkuHandler(),
        CreatePromotionHandler(),
        ChangePromotionHandler(),
        DeletePromotionHandler(),
        GetPromotionHandler(),
        PromotionsOfSkuHandler(),
        QuotePriceHandler(),
    )
    use_cases.add(GetBrand, GetOne(load_brand))
    use_cases.add(ListBrands, PageInIdOrder(lambda uow: uow.of(CATALOG).brands.page))
    use_cases.add(GetCategory, GetOne(load_category))
    use_cases.add(ListCategories, PageInIdOrder(lambda uow: uow.of(CATALOG).categories.page))
    use_cases.add(GetProductType, GetOne(load_product_type))
    use_cases.add(ListProductTypes, PageInIdOrder(lambda uow: uow.of(CATALOG).product_types.page))
    use_cases.add(GetChannel, GetOne(load_channel))
    use_cases.add(GetMedia, GetOne(load_media))
    use_cases.add(ListChannels, PageInIdOrder(lambda uow: uow.of(CATALOG).channels.page))


def register(c: Container) -> None:
    runner, clock, ids = c.runner, c.clock, c.ids
    register_use_cases(c.use_cases)
    tables = CsvXlsxTables()
    media_files = MediaFiles(c.file_store, PillowMediaInspector())
    c.add(
        tables,
        CatalogImports(runner, c.uow_factory, tables, c.task_queue, clock, ids),
        CatalogExports(runner, c.uow_factory, tables, c.task_queue, clock, ids),
        MediaService(runner, media_files, ids),
        BrandLogoService(runner, media_files, ids),
    )
