"""Products with their SKUs (CAT-1, CAT-11): one file per use case, run through
``UseCases``; what other packages import from here is re-exported."""

from application.catalog.products.archive import ArchiveProduct as ArchiveProduct
from application.catalog.products.create import CreateProduct as CreateProduct
from application.catalog.products.inputs import ProductData as ProductData
from application.catalog.products.inputs import SkuData as SkuData
from application.catalog.products.queries import SEARCH_BATCH as SEARCH_BATCH
from application.catalog.products.queries import DiffVersions as DiffVersions
from application.catalog.products.queries import GetProduct as GetProduct
from application.catalog.products.queries import ListProducts as ListProducts
from application.catalog.products.queries import ListVersions as ListVersions
from application.catalog.products.queries import ProductsInCategory as ProductsInCategory
from application.catalog.products.queries import SearchProducts as SearchProducts
from application.catalog.products.restore import RestoreProduct as RestoreProduct
from application.catalog.products.revise import ReviseProduct as ReviseProduct
from application.catalog.products.views import ProductView as ProductView
from application.catalog.products.views import VersionView as VersionView
