"""Wire types for /api/v1/catalog (camelCase; separate read, create and update types)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from msgspec import UNSET, UnsetType

from entrypoints.http.wire import Amount, PageOut, WireIn, WireOut


class CategoryIn(WireIn):
    name: str  # ≤ 50 characters, unique among its siblings, no ">"
    parent_id: UUID | None = None  # None: a top-level category


class CategoryPatch(WireIn):
    """Only the fields sent change: ``name`` renames; ``parentId`` moves the category with
    its whole subtree (``null``: to the top)."""

    name: str | UnsetType = UNSET
    parent_id: UUID | UnsetType | None = UNSET


class CategoryOut(WireOut):
    id: UUID
    name: str
    parent_id: UUID | None
    version: int


class CategoryPageOut(PageOut[CategoryOut]):
    items: list[CategoryOut]


class BrandIn(WireIn):
    name: str  # ≤ 100 characters, unique in the company (case and width ignored)


class BrandPatch(WireIn):
    name: str


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
    code: str  # ^[a-z][a-z0-9_]{0,31}$, stable: snapshots and file columns use it
    name: str
    kind: str  # text | number | enum | boolean
    variant_axis: bool = False  # colour, size…: set on each SKU, makes the SKU matrix
    required: bool = False  # specifications only
    unit: str | None = None  # numbers only
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
    name: str
    attributes: list[AttributeIn] = []


class ProductTypePatch(WireIn):
    """Only the fields sent change; ``attributes`` is replaced as a whole."""

    name: str | UnsetType = UNSET
    attributes: list[AttributeIn] | UnsetType = UNSET


class ProductTypeOut(WireOut):
    id: UUID
    name: str
    attributes: list[AttributeOut]
    version: int


class ProductTypePageOut(PageOut[ProductTypeOut]):
    items: list[ProductTypeOut]


class SkuIn(WireIn):
    code: str  # 1–64 letters, digits, ".", "_", "-"; unique in the company
    id: UUID | None = None  # an existing SKU of the product; omitted for a new one
    barcode: str | None = None  # a GTIN (check digit verified) or an internal code
    list_price: Amount | None = None  # in the company currency, e.g. "99.5"
    cost: Amount | None = None  # needs catalog:read_cost
    weight_grams: str | None = None
    axis_values: dict[str, Any] = {}  # one value per variant attribute of the type
    archived: bool = False


class ProductIn(WireIn):
    """The whole product. On PUT, SKUs left out are archived (SKUs are never deleted)."""

    name: str
    code: str | None = None  # required on create; fixed afterwards
    description: str = ""
    material: str | None = None
    kind: str = "physical"  # physical | virtual
    preorder_allowed: bool = False
    sell_out_of_stock_allowed: bool = False
    product_type_id: UUID | None = None
    category_id: UUID | None = None
    brand_id: UUID | None = None
    attributes: dict[str, Any] = {}  # the type's specifications (non-variant attributes)
    lifecycle: str | None = None  # new | active | phasing_out | discontinued
    skus: list[SkuIn] = []


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
