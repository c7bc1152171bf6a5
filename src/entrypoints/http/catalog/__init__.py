"""The catalog's HTTP routes (CAT-*): one router under /api/v1/catalog."""

from litestar import Router

from adapters.files.tables import CsvXlsxTables
from application.catalog.brand_logos import BrandLogoService
from application.catalog.categories import CategoryService
from application.catalog.channels import ChannelService
from application.catalog.exports import CatalogExports
from application.catalog.imports import CatalogImports
from application.catalog.listings import ListingService
from application.catalog.media import MediaService
from application.catalog.member_prices import MemberPriceService
from application.catalog.membership_tiers import MembershipTierService
from application.catalog.price_quotes import PriceQuoteService
from application.catalog.product_types import ProductTypeService
from application.catalog.products import ProductService
from application.catalog.promotions import PromotionService
from application.catalog.related import RelatedProductService
from application.catalog.sku_matrices import SkuMatrixService
from entrypoints.http.catalog.channels import (
    ChannelsController,
    ListingsController,
    MembershipTiersController,
)
from entrypoints.http.catalog.files import CatalogExportsController, CatalogImportsController
from entrypoints.http.catalog.media import BrandLogoController, ProductMediaController
from entrypoints.http.catalog.prices import (
    MemberPricesController,
    PromotionsController,
    SkuPricesController,
)
from entrypoints.http.catalog.products import ProductsController
from entrypoints.http.catalog.related import RelatedProductsController
from entrypoints.http.catalog.sku_matrix import SkuMatrixController
from entrypoints.http.catalog.taxonomy import (
    BrandsController,
    CategoriesController,
    ProductTypesController,
)
from entrypoints.http.dependencies import service

router = Router(
    path="/api/v1/catalog",
    tags=["catalog"],
    route_handlers=[
        CategoriesController,
        BrandsController,
        ChannelsController,
        CatalogImportsController,
        CatalogExportsController,
        ListingsController,
        MembershipTiersController,
        SkuPricesController,
        MemberPricesController,
        PromotionsController,
        ProductTypesController,
        ProductsController,
        SkuMatrixController,
        ProductMediaController,
        BrandLogoController,
        RelatedProductsController,
    ],
    dependencies={
        "categories": service(CategoryService),
        "channels": service(ChannelService),
        "exports": service(CatalogExports),
        "imports": service(CatalogImports),
        "listings": service(ListingService),
        "logos": service(BrandLogoService),
        "matrices": service(SkuMatrixService),
        "media": service(MediaService),
        "member_prices": service(MemberPriceService),
        "product_types": service(ProductTypeService),
        "products": service(ProductService),
        "promotions": service(PromotionService),
        "quotes": service(PriceQuoteService),
        "related": service(RelatedProductService),
        "tables": service(CsvXlsxTables),
        "tiers": service(MembershipTierService),
    },
)
