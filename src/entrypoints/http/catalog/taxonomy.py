"""/api/v1/catalog: the category tree (CAT-4), brands (CAT-6) and product types (CAT-5)."""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from litestar import Controller, Request, Response, get, patch, post
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody
from msgspec import UNSET

from application.catalog.brands import BrandService
from application.catalog.categories import KEEP, CategoryChanges, CategoryService
from application.catalog.product_types import AttributeInput, ProductTypeService
from application.catalog.products import ProductService
from application.shared.context import CallContext
from domain.catalog.brand import Brand
from domain.catalog.category import Category
from domain.catalog.media import Rendition, renditions_of
from domain.catalog.product_type import ProductType
from entrypoints.http.catalog.products import product_out
from entrypoints.http.catalog.schemas.products import (
    AttributeIn,
    AttributeOut,
    BrandIn,
    BrandLogoOut,
    BrandOut,
    BrandPageOut,
    BrandPatch,
    CategoryIn,
    CategoryOut,
    CategoryPageOut,
    CategoryPatch,
    ProductPageOut,
    ProductTypeIn,
    ProductTypeOut,
    ProductTypePageOut,
    ProductTypePatch,
)
from entrypoints.http.conventions import (
    Cursor,
    IdempotencyKey,
    IfMatch,
    Limit,
    etag,
    expected_version,
    idempotent,
    json_response,
)

CATEGORIES = "/api/v1/catalog/categories"
BRANDS = "/api/v1/catalog/brands"
PRODUCT_TYPES = "/api/v1/catalog/product-types"


def category_out(category: Category) -> CategoryOut:
    return CategoryOut(category.id, category.name, category.parent_id, category.version)


def _with_etag(category: Category) -> Response[CategoryOut]:
    return Response(category_out(category), headers={"ETag": etag(category.version)})


def _categories(request: Request[CallContext, Any, State]) -> CategoryService:
    service: CategoryService = request.app.state.container.get(CategoryService)
    return service


class CategoriesController(Controller):
    path = CATEGORIES
    tags = ["catalog"]

    @get("/")
    async def list_categories(
        self,
        request: Request[CallContext, Any, State],
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> CategoryPageOut:
        """Every category, in creation order; ``parentId`` gives the tree."""
        page = await _categories(request).list_categories(request.user, cursor, limit)
        return CategoryPageOut([category_out(c) for c in page.items], page.next_cursor)

    @post("/")
    async def create_category(
        self,
        request: Request[CallContext, Any, State],
        data: JSONBody[CategoryIn],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[CategoryOut]:
        service = _categories(request)

        def render(category: Category) -> Response[bytes]:
            return json_response(
                category_out(category),
                201,
                {"ETag": etag(category.version), "Location": f"{CATEGORIES}/{category.id}"},
            )

        response = await idempotent(
            request, lambda: service.create(request.user, data.name, data.parent_id), render
        )
        return cast("Response[CategoryOut]", response)  # the body is a rendered CategoryOut

    @get("/{category_id:uuid}")
    async def get_category(
        self, request: Request[CallContext, Any, State], category_id: FromPath[UUID]
    ) -> Response[CategoryOut]:
        return _with_etag(await _categories(request).get(request.user, category_id))

    @get("/{category_id:uuid}/products")
    async def list_category_products(
        self,
        request: Request[CallContext, Any, State],
        category_id: FromPath[UUID],
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> ProductPageOut:
        """Products of the category and of all its subcategories, not archived."""
        products: ProductService = request.app.state.container.get(ProductService)
        page = await products.in_category(request.user, category_id, cursor, limit)
        return ProductPageOut([product_out(v) for v in page.items], page.next_cursor)

    @patch("/{category_id:uuid}")
    async def change_category(
        self,
        request: Request[CallContext, Any, State],
        category_id: FromPath[UUID],
        data: JSONBody[CategoryPatch],
        if_match: IfMatch = None,
    ) -> Response[CategoryOut]:
        """Rename and/or move (with the whole subtree). A move under the category itself
        or one of its subcategories is refused (``category_cycle``)."""
        changes = CategoryChanges(
            name=KEEP if data.name is UNSET else data.name,
            parent_id=KEEP if data.parent_id is UNSET else data.parent_id,
        )
        category = await _categories(request).change(
            request.user, category_id, changes, expected_version(request)
        )
        return _with_etag(category)


def brand_out(brand: Brand) -> BrandOut:
    logo = brand.logo
    if logo is None:
        return BrandOut(brand.id, brand.name, brand.version, None)
    urls = {
        str(r): f"{BRANDS}/{brand.id}/logo" + ("" if r is Rendition.ORIGINAL else f"?size={r}")
        for r in renditions_of(logo.kind)
    }
    return BrandOut(
        brand.id,
        brand.name,
        brand.version,
        BrandLogoOut(logo.content_type, logo.byte_size, logo.width, logo.height, urls),
    )


def _brands(request: Request[CallContext, Any, State]) -> BrandService:
    service: BrandService = request.app.state.container.get(BrandService)
    return service


class BrandsController(Controller):
    path = BRANDS
    tags = ["catalog"]

    @get("/")
    async def list_brands(
        self,
        request: Request[CallContext, Any, State],
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> BrandPageOut:
        """Every brand, in creation order."""
        page = await _brands(request).list_brands(request.user, cursor, limit)
        return BrandPageOut([brand_out(b) for b in page.items], page.next_cursor)

    @post("/")
    async def create_brand(
        self,
        request: Request[CallContext, Any, State],
        data: JSONBody[BrandIn],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[BrandOut]:
        service = _brands(request)

        def render(brand: Brand) -> Response[bytes]:
            return json_response(
                brand_out(brand),
                201,
                {"ETag": etag(brand.version), "Location": f"{BRANDS}/{brand.id}"},
            )

        response = await idempotent(
            request, lambda: service.create(request.user, data.name), render
        )
        return cast("Response[BrandOut]", response)  # the body is a rendered BrandOut

    @get("/{brand_id:uuid}")
    async def get_brand(
        self, request: Request[CallContext, Any, State], brand_id: FromPath[UUID]
    ) -> Response[BrandOut]:
        brand = await _brands(request).get(request.user, brand_id)
        return Response(brand_out(brand), headers={"ETag": etag(brand.version)})

    @patch("/{brand_id:uuid}")
    async def rename_brand(
        self,
        request: Request[CallContext, Any, State],
        brand_id: FromPath[UUID],
        data: JSONBody[BrandPatch],
        if_match: IfMatch = None,
    ) -> Response[BrandOut]:
        brand = await _brands(request).rename(
            request.user, brand_id, data.name, expected_version(request)
        )
        return Response(brand_out(brand), headers={"ETag": etag(brand.version)})


def product_type_out(product_type: ProductType) -> ProductTypeOut:
    return ProductTypeOut(
        product_type.id,
        product_type.name,
        [
            AttributeOut(
                a.code,
                a.name,
                str(a.kind),
                a.variant_axis,
                a.required,
                a.unit,
                list(a.allowed_values),
            )
            for a in product_type.attributes
        ],
        product_type.version,
    )


def _attributes(data: list[AttributeIn]) -> list[AttributeInput]:
    return [
        AttributeInput(
            a.code, a.name, a.kind, a.variant_axis, a.required, a.unit, tuple(a.allowed_values)
        )
        for a in data
    ]


def _product_types(request: Request[CallContext, Any, State]) -> ProductTypeService:
    service: ProductTypeService = request.app.state.container.get(ProductTypeService)
    return service


def _type_with_etag(product_type: ProductType) -> Response[ProductTypeOut]:
    return Response(product_type_out(product_type), headers={"ETag": etag(product_type.version)})


class ProductTypesController(Controller):
    path = PRODUCT_TYPES
    tags = ["catalog"]

    @get("/")
    async def list_product_types(
        self,
        request: Request[CallContext, Any, State],
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> ProductTypePageOut:
        """Every product type with its attributes, in creation order."""
        page = await _product_types(request).list_types(request.user, cursor, limit)
        return ProductTypePageOut([product_type_out(t) for t in page.items], page.next_cursor)

    @post("/")
    async def create_product_type(
        self,
        request: Request[CallContext, Any, State],
        data: JSONBody[ProductTypeIn],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[ProductTypeOut]:
        service = _product_types(request)
        attributes = _attributes(data.attributes)

        def render(product_type: ProductType) -> Response[bytes]:
            return json_response(
                product_type_out(product_type),
                201,
                {
                    "ETag": etag(product_type.version),
                    "Location": f"{PRODUCT_TYPES}/{product_type.id}",
                },
            )

        response = await idempotent(
            request, lambda: service.create(request.user, data.name, attributes), render
        )
        return cast("Response[ProductTypeOut]", response)  # the body is a rendered type

    @get("/{type_id:uuid}")
    async def get_product_type(
        self, request: Request[CallContext, Any, State], type_id: FromPath[UUID]
    ) -> Response[ProductTypeOut]:
        return _type_with_etag(await _product_types(request).get(request.user, type_id))

    @patch("/{type_id:uuid}")
    async def revise_product_type(
        self,
        request: Request[CallContext, Any, State],
        type_id: FromPath[UUID],
        data: JSONBody[ProductTypePatch],
        if_match: IfMatch = None,
    ) -> Response[ProductTypeOut]:
        """Products are checked against the new attributes the next time they change."""
        product_type = await _product_types(request).revise(
            request.user,
            type_id,
            None if data.name is UNSET else data.name,
            None if data.attributes is UNSET else _attributes(data.attributes),
            expected_version(request),
        )
        return _type_with_etag(product_type)
