"""Products with their SKUs (CAT-1, CAT-11): one file per use case, gathered by
``ProductService``; what other packages import from here is re-exported."""

from application.catalog.products.inputs import ProductData, SkuData
from application.catalog.products.queries import SEARCH_BATCH
from application.catalog.products.service import ProductService
from application.catalog.products.views import ProductView, VersionView

__all__ = ["SEARCH_BATCH", "ProductData", "ProductService", "ProductView", "SkuData", "VersionView"]
