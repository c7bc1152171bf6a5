"""The catalog's HTTP routes (CAT-*): one router under /api/v1/catalog."""

from litestar import Router

from adapters.files.tables import CsvXlsxTables
from application.catalog.brand_logos import BrandLogoService
from application.catalog.exports import CatalogExports
from application.catalog.imports import CatalogImports
from application.catalog.media import MediaService
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
        "exports": service(CatalogExports),
        "imports": service(CatalogImports),
        "logos": service(BrandLogoService),
        "media": service(MediaService),
        "tables": service(CsvXlsxTables),
    },
)
