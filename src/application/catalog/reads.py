"""The catalog's generic reads (CAT-4, CAT-5, CAT-6, CHN-1): one aggregate by its id and
a page in id order, declared here once for each aggregate that is read that way and
registered with the generic handlers (``application/shared/reads.py``) in
``bootstrap/modules/catalog.py``."""

from __future__ import annotations

from application.catalog.categories.common import ENTITY as CATEGORY
from application.catalog.channels.common import ENTITY as CHANNEL
from application.shared.reads import ById, InIdOrder
from domain.catalog.brand import ENTITY as BRAND
from domain.catalog.brand import Brand
from domain.catalog.category import Category
from domain.catalog.channel import SalesChannel
from domain.catalog.permissions import CATALOG_READ
from domain.catalog.product_type import ENTITY as PRODUCT_TYPE
from domain.catalog.product_type import ProductType


class GetBrand(ById[Brand], entity=BRAND, permission=CATALOG_READ): ...


class ListBrands(InIdOrder[Brand], entity=BRAND, permission=CATALOG_READ): ...


class GetCategory(ById[Category], entity=CATEGORY, permission=CATALOG_READ): ...


class ListCategories(InIdOrder[Category], entity=CATEGORY, permission=CATALOG_READ): ...


class GetChannel(ById[SalesChannel], entity=CHANNEL, permission=CATALOG_READ): ...


class ListChannels(InIdOrder[SalesChannel], entity=CHANNEL, permission=CATALOG_READ): ...


class GetProductType(ById[ProductType], entity=PRODUCT_TYPE, permission=CATALOG_READ): ...


class ListProductTypes(InIdOrder[ProductType], entity=PRODUCT_TYPE, permission=CATALOG_READ): ...
