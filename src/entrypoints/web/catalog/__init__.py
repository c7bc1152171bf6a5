"""The console's catalog pages (CAT-*, PLT-8): products with live search, filters and
sorts; the product editor with its type, SKUs, variants (the SKU matrix), channel prices,
publication per channel and media; the version history with diffs and restore; import
with its row report, and export; settings → product types."""

from litestar import Router

from adapters.files.tables import CsvXlsxTables
from application.catalog.exports import CatalogExports
from application.catalog.imports import CatalogImports
from application.catalog.media import MediaService
from application.catalog.products import SearchProducts
from application.catalog.reads import ListProductTypes
from entrypoints.http.dependencies import service
from entrypoints.web.catalog.channels import ChannelPages
from entrypoints.web.catalog.editor import ProductEditorPages
from entrypoints.web.catalog.files import FilePages
from entrypoints.web.catalog.media import MediaPages
from entrypoints.web.catalog.product_types import ProductTypePages
from entrypoints.web.catalog.products import ProductListPages
from entrypoints.web.catalog.variants import VariantPages
from entrypoints.web.catalog.versions import VersionPages
from entrypoints.web.menu import MenuItem

router = Router(
    path="/",
    route_handlers=[
        Router(
            path="/catalog",
            route_handlers=[
                ProductListPages,
                ProductEditorPages,
                VariantPages,
                ChannelPages,
                MediaPages,
                VersionPages,
                FilePages,
            ],
            dependencies={
                "exports": service(CatalogExports),
                "imports": service(CatalogImports),
                "media": service(MediaService),
                "tables": service(CsvXlsxTables),
            },
        ),
        ProductTypePages,
    ],
)
MENU = (
    MenuItem("nav.catalog", "/console/catalog", SearchProducts, order=100),
    MenuItem("nav.product_types", "/console/settings/product-types", ListProductTypes, order=915),
)
