"""/api/v1/catalog: the category tree (CAT-4), brands (CAT-6) and product types (CAT-5)."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, get, patch, post
from litestar.params import FromPath, JSONBody
from msgspec import UNSET

from application.catalog.brands.create import CreateBrand
from application.catalog.brands.rename import RenameBrand
from application.catalog.categories import (
    KEEP,
    CategoryChanges,
    ChangeCategory,
    CreateCategory,
    Keep,
)
from application.catalog.product_types import AttributeInput, CreateProductType, ReviseProductType
from application.catalog.products import ProductsInCategory
from application.catalog.reads import (
    GetBrand,
    GetCategory,
    GetProductType,
    ListBrands,
    ListCategories,
    ListProductTypes,
)
from application.shared.reads import id_window
from application.shared.references import Reference, named_once
from domain.catalog.brand import Brand
from domain.catalog.media import Rendition, renditions_of
from domain.catalog.product_type import ProductType
from domain.shared.errors import ValidationFailed
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
from entrypoints.http.conventions import Cursor, Limit, Rendered, etagged
from entrypoints.http.dependencies import Context, Dispatch, ExpectedVersion, Idempotent
from entrypoints.http.permissions import needs

CATEGORIES = "/api/v1/catalog/categories"
BRANDS = "/api/v1/catalog/brands"
PRODUCT_TYPES = "/api/v1/catalog/product-types"


class CategoriesController(Controller):
    path = "/categories"

    @get("/", opt=needs(ListCategories))
    async def list_categories(
        self, ctx: Context, use_cases: Dispatch, cursor: Cursor = None, limit: Limit = None
    ) -> CategoryPageOut:
        """Every category, in creation order; ``parentId`` gives the tree."""
        page = await use_cases.query(ctx, ListCategories.window(cursor, limit))
        return CategoryPageOut.of_page(page, CategoryOut.of)

    @post("/", opt=needs(CreateCategory))
    async def create_category(
        self, ctx: Context, use_cases: Dispatch, idempotency: Idempotent, data: JSONBody[CategoryIn]
    ) -> Response[CategoryOut]:
        """Create a category, at the top or under a parent."""
        return await idempotency.created(
            lambda: use_cases.run(
                ctx,
                CreateCategory(
                    data.name,
                    named_once(data.parent_id, data.parent, id_field="parentId", field="parent"),
                ),
            ),
            lambda category: Rendered(
                CategoryOut.of(category), f"{CATEGORIES}/{category.id}", category.version
            ),
        )

    @get("/{category_id:uuid}", opt=needs(GetCategory))
    async def get_category(
        self, ctx: Context, use_cases: Dispatch, category_id: FromPath[UUID]
    ) -> Response[CategoryOut]:
        """One category."""
        return etagged(CategoryOut.of, await use_cases.query(ctx, GetCategory(category_id)))

    @get("/{category_id:uuid}/products", opt=needs(ProductsInCategory))
    async def list_category_products(
        self,
        ctx: Context,
        use_cases: Dispatch,
        category_id: FromPath[UUID],
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> ProductPageOut:
        """Products of the category and of all its subcategories, not archived."""
        page = await use_cases.query(
            ctx, ProductsInCategory(category_id, *id_window(cursor, limit))
        )
        return ProductPageOut.of_page(page, product_out)

    @patch("/{category_id:uuid}", opt=needs(ChangeCategory))
    async def change_category(
        self,
        ctx: Context,
        use_cases: Dispatch,
        category_id: FromPath[UUID],
        data: JSONBody[CategoryPatch],
        expected_version: ExpectedVersion,
    ) -> Response[CategoryOut]:
        """Rename and/or move (with the whole subtree). A move under the category itself
        or one of its subcategories is refused (``category_cycle``)."""
        parent: Reference | Keep | None = KEEP if data.parent_id is UNSET else data.parent_id
        if data.parent is not UNSET:
            if data.parent_id is not UNSET:
                raise ValidationFailed.single("parent", "given_twice", id_field="parentId")
            parent = data.parent
        changes = CategoryChanges(name=KEEP if data.name is UNSET else data.name, parent_id=parent)
        category = await use_cases.run(ctx, ChangeCategory(category_id, changes, expected_version))
        return etagged(CategoryOut.of, category)


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


class BrandsController(Controller):
    path = "/brands"

    @get("/", opt=needs(ListBrands))
    async def list_brands(
        self, ctx: Context, use_cases: Dispatch, cursor: Cursor = None, limit: Limit = None
    ) -> BrandPageOut:
        """Every brand, in creation order."""
        page = await use_cases.query(ctx, ListBrands.window(cursor, limit))
        return BrandPageOut.of_page(page, brand_out)

    @post("/", opt=needs(CreateBrand))
    async def create_brand(
        self, ctx: Context, use_cases: Dispatch, idempotency: Idempotent, data: JSONBody[BrandIn]
    ) -> Response[BrandOut]:
        """Create a brand."""
        return await idempotency.created(
            lambda: use_cases.run(ctx, CreateBrand(data.name)),
            lambda brand: Rendered(brand_out(brand), f"{BRANDS}/{brand.id}", brand.version),
        )

    @get("/{brand_id:uuid}", opt=needs(GetBrand))
    async def get_brand(
        self, ctx: Context, use_cases: Dispatch, brand_id: FromPath[UUID]
    ) -> Response[BrandOut]:
        """One brand."""
        return etagged(brand_out, await use_cases.query(ctx, GetBrand(brand_id)))

    @patch("/{brand_id:uuid}", opt=needs(RenameBrand))
    async def rename_brand(
        self,
        ctx: Context,
        use_cases: Dispatch,
        brand_id: FromPath[UUID],
        data: JSONBody[BrandPatch],
        expected_version: ExpectedVersion,
    ) -> Response[BrandOut]:
        """Rename the brand (If-Match)."""
        command = RenameBrand(brand_id, data.name, expected_version)
        return etagged(brand_out, await use_cases.run(ctx, command))


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


class ProductTypesController(Controller):
    path = "/product-types"

    @get("/", opt=needs(ListProductTypes))
    async def list_product_types(
        self, ctx: Context, use_cases: Dispatch, cursor: Cursor = None, limit: Limit = None
    ) -> ProductTypePageOut:
        """Every product type with its attributes, in creation order."""
        page = await use_cases.query(ctx, ListProductTypes.window(cursor, limit))
        return ProductTypePageOut.of_page(page, product_type_out)

    @post("/", opt=needs(CreateProductType))
    async def create_product_type(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        data: JSONBody[ProductTypeIn],
    ) -> Response[ProductTypeOut]:
        """Create a product type: its attributes and variant axes."""
        attributes = _attributes(data.attributes)
        return await idempotency.created(
            lambda: use_cases.run(ctx, CreateProductType(data.name, attributes)),
            lambda created: Rendered(
                product_type_out(created), f"{PRODUCT_TYPES}/{created.id}", created.version
            ),
        )

    @get("/{type_id:uuid}", opt=needs(GetProductType))
    async def get_product_type(
        self, ctx: Context, use_cases: Dispatch, type_id: FromPath[UUID]
    ) -> Response[ProductTypeOut]:
        """One product type with its attributes."""
        return etagged(product_type_out, await use_cases.query(ctx, GetProductType(type_id)))

    @patch("/{type_id:uuid}", opt=needs(ReviseProductType))
    async def revise_product_type(
        self,
        ctx: Context,
        use_cases: Dispatch,
        type_id: FromPath[UUID],
        data: JSONBody[ProductTypePatch],
        expected_version: ExpectedVersion,
    ) -> Response[ProductTypeOut]:
        """Products are checked against the new attributes the next time they change."""
        product_type = await use_cases.run(
            ctx,
            ReviseProductType(
                type_id,
                None if data.name is UNSET else data.name,
                None if data.attributes is UNSET else _attributes(data.attributes),
                expected_version,
            ),
        )
        return etagged(product_type_out, product_type)
