"""Wire types for /api/v1/catalog (camelCase; separate read, create and update types)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from msgspec import UNSET, UnsetType

from domain.catalog.brand import MAX_BRAND_NAME_LENGTH
from domain.catalog.category import MAX_CATEGORY_NAME_LENGTH
from domain.catalog.codes import CODE, MAX_CODE_LENGTH
from domain.catalog.product import MAX_MATERIAL_LENGTH, MAX_NAME_LENGTH, Lifecycle, ProductKind
from domain.catalog.product_type import (
    ATTRIBUTE_CODE,
    MAX_ATTRIBUTE_NAME_LENGTH,
    MAX_TYPE_NAME_LENGTH,
    MAX_UNIT_LENGTH,
    AttributeKind,
)
from entrypoints.http.limits import stated
from entrypoints.http.wire import Amount, AmountIn, PageOut, WireIn, WireOut


class CategoryIn(WireIn):
    EXCLUSIVE = (("parentId", "parent"),)

    # unique among its siblings, no ">"
    name: Annotated[str, stated(min_length=1, max_length=MAX_CATEGORY_NAME_LENGTH)]
    parent_id: UUID | None = None  # None: a top-level category
    parent: str | None = None  # or the parent's path (服装 > 男装); not with parentId


class CategoryPatch(WireIn):
    """Only the fields sent change: ``name`` renames; ``parentId`` moves the category with
    its whole subtree (``null``: to the top); or ``parent``, the new parent's path."""

    EXCLUSIVE = (("parentId", "parent"),)

    name: Annotated[str, stated(min_length=1, max_length=MAX_CATEGORY_NAME_LENGTH)] | UnsetType = (
        UNSET
    )
    parent_id: UUID | UnsetType | None = UNSET
    parent: str | UnsetType = UNSET  # not with parentId


class CategoryOut(WireOut):
    id: UUID
    name: str
    parent_id: UUID | None
    version: int


class CategoryPageOut(PageOut[CategoryOut]):
    items: list[CategoryOut]


class BrandIn(WireIn):
    # unique in the company (case and width ignored)
    name: Annotated[str, stated(min_length=1, max_length=MAX_BRAND_NAME_LENGTH)]


class BrandPatch(WireIn):
    name: Annotated[str, stated(min_length=1, max_length=MAX_BRAND_NAME_LENGTH)]


class BrandLogoOut(WireOut):
    content_type: str
    byte_size: int
    width: int | None
    height: int | None
    urls: dict[str, str]  # original, small, medium -> URL to GET it


class BrandOut(WireOut):
    id: UUID
    name: str
    version: int
    logo: BrandLogoOut | None  # null: no logo


class BrandPageOut(PageOut[BrandOut]):
    items: list[BrandOut]


class AttributeIn(WireIn):
    code: Annotated[str, stated(pattern=ATTRIBUTE_CODE)]  # stable: snapshots, file columns
    name: Annotated[str, stated(min_length=1, max_length=MAX_ATTRIBUTE_NAME_LENGTH)]
    kind: Annotated[str, stated(choices=AttributeKind)]
    variant_axis: bool = False  # colour, size…: set on each SKU, makes the SKU matrix
    required: bool = False  # specifications only
    unit: Annotated[str, stated(max_length=MAX_UNIT_LENGTH)] | None = None  # numbers only
    allowed_values: list[str] = []  # enums only, in display order


class AttributeOut(WireOut):
    code: str
    name: str
    kind: str
    variant_axis: bool
    required: bool
    unit: str | None
    allowed_values: list[str]


class ProductTypeIn(WireIn):
    name: Annotated[str, stated(min_length=1, max_length=MAX_TYPE_NAME_LENGTH)]
    attributes: list[AttributeIn] = []


class ProductTypePatch(WireIn):
    """Only the fields sent change; ``attributes`` is replaced as a whole."""

    name: Annotated[str, stated(min_length=1, max_length=MAX_TYPE_NAME_LENGTH)] | UnsetType = UNSET
    attributes: list[AttributeIn] | UnsetType = UNSET


class ProductTypeOut(WireOut):
    id: UUID
    name: str
    attributes: list[AttributeOut]
    version: int


class ProductTypePageOut(PageOut[ProductTypeOut]):
    items: list[ProductTypeOut]


class SkuIn(WireIn):
    code: Annotated[str, stated(max_length=MAX_CODE_LENGTH, pattern=CODE)]  # unique
    id: UUID | None = None  # an existing SKU of the product; omitted for a new one
    barcode: str | None = None  # a GTIN (check digit verified) or an internal code
    list_price: AmountIn | None = None  # in the company currency, e.g. "99.5"
    cost: AmountIn | None = None  # needs catalog:read_cost
    weight_grams: str | None = None
    axis_values: dict[str, Any] = {}  # one value per variant attribute of the type
    archived: bool = False


class ProductIn(WireIn):
    """The whole product. On PUT, SKUs left out are archived (SKUs are never deleted)."""

    EXCLUSIVE = (("categoryId", "category"), ("brandId", "brand"))

    name: Annotated[str, stated(min_length=1, max_length=MAX_NAME_LENGTH)]
    # required on create; fixed afterwards
    code: Annotated[str, stated(max_length=MAX_CODE_LENGTH, pattern=CODE)] | None = None
    description: str = ""
    material: Annotated[str, stated(max_length=MAX_MATERIAL_LENGTH)] | None = None
    kind: Annotated[str, stated(choices=ProductKind)] = ProductKind.PHYSICAL.value
    preorder_allowed: bool = False
    sell_out_of_stock_allowed: bool = False
    product_type_id: UUID | None = None
    category_id: UUID | None = None
    category: str | None = None  # or its path (服装 > 男装); not with categoryId
    brand_id: UUID | None = None
    brand: str | None = None  # or its name; not with brandId
    attributes: dict[str, Any] = {}  # the type's specifications (non-variant attributes)
    lifecycle: Annotated[str, stated(choices=Lifecycle, or_null=True)] | None = None
    skus: list[SkuIn] = []


class NewProductIn(ProductIn, kw_only=True):
    """A new product: as ``ProductIn``, with its code (fixed from then on)."""

    code: Annotated[str, stated(max_length=MAX_CODE_LENGTH, pattern=CODE)]


class SkuOut(WireOut):
    id: UUID
    code: str
    barcode: str | None
    list_price: Amount | None
    cost: Amount | None  # null without catalog:read_cost (see costHidden)
    weight_grams: str | None
    axis_values: dict[str, str]
    archived: bool


class ProductOut(WireOut):
    id: UUID
    code: str
    name: str
    description: str
    material: str | None
    kind: str
    preorder_allowed: bool
    sell_out_of_stock_allowed: bool
    product_type_id: UUID | None
    category_id: UUID | None
    brand_id: UUID | None
    attributes: dict[str, Any]
    lifecycle: str
    archived_at: datetime | None
    skus: list[SkuOut]
    cost_hidden: bool
    version: int
    created_at: datetime
    updated_at: datetime


class ProductPageOut(PageOut[ProductOut]):
    items: list[ProductOut]


class ChangeOut(WireOut):
    field: str  # e.g. name, attributes.fabric, skus[TS-01].listPrice
    before: Any
    after: Any


class ProductVersionOut(WireOut):
    number: int
    actor: str
    at: datetime
    changes: list[ChangeOut]  # from the version before (cost values redacted without
    restored_from: int | None  # catalog:read_cost)


class ProductVersionPageOut(PageOut[ProductVersionOut]):
    items: list[ProductVersionOut]


class VersionDiffOut(WireOut):
    changes: list[ChangeOut]
