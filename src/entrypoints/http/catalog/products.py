"""/api/v1/catalog/products: products with their SKUs (CAT-1, CAT-11)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, delete, get, post, put
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from application.catalog.ports.repositories import ProductFilters
from application.catalog.product_filters import FilterReferences
from application.catalog.products import (
    ArchiveProduct,
    CreateProduct,
    DiffVersions,
    GetProduct,
    ListProducts,
    ListVersions,
    ProductData,
    ProductView,
    RestoreProduct,
    ReviseProduct,
    SearchProducts,
    SkuData,
    VersionView,
)
from application.catalog.products.queries import SORTS
from application.shared.references import named_once
from domain.catalog.checks import canonical_decimal
from domain.catalog.product import Lifecycle
from domain.catalog.product_type import snapshot_value
from domain.shared.audit import AuditChange
from entrypoints.http.catalog.schemas.products import (
    ChangeOut,
    NewProductIn,
    ProductIn,
    ProductOut,
    ProductPageOut,
    ProductVersionOut,
    ProductVersionPageOut,
    SkuOut,
    VersionDiffOut,
)
from entrypoints.http.conventions import Cursor, Limit, Rendered, with_etag
from entrypoints.http.dependencies import Context, Dispatch, ExpectedVersion, Idempotent
from entrypoints.http.permissions import needs
from entrypoints.http.wire import DECIMAL_SCHEMA

PRODUCTS = "/api/v1/catalog/products"


def product_out(view: ProductView) -> ProductOut:
    product, details = view.product, view.product.details
    return ProductOut.of(
        details,  # the rest: name, description, material, the two flags, type, category, brand
        id=product.id,
        code=product.code,
        kind=str(details.kind),
        attributes={k: snapshot_value(v) for k, v in sorted(details.attributes.items())},
        lifecycle=str(product.lifecycle),
        archived_at=product.archived_at,
        skus=[
            SkuOut.of(
                s,
                list_price=s.list_price.amount if s.list_price else None,
                cost=s.cost.amount if s.cost else None,
                weight_grams=(
                    canonical_decimal(s.weight_grams) if s.weight_grams is not None else None
                ),
                axis_values=dict(s.axis_values),
            )
            for s in view.skus
        ],
        cost_hidden=view.cost_hidden,
        version=product.version,
        created_at=product.created_at,
        updated_at=product.updated_at,
    )


def _changes(changes: tuple[AuditChange, ...]) -> list[ChangeOut]:
    return [ChangeOut(c.field, c.before, c.after) for c in changes]


def _version_out(view: VersionView) -> ProductVersionOut:
    return ProductVersionOut(
        view.number, view.actor, view.at, _changes(view.changes), view.restored_from
    )


def _data(data: ProductIn) -> ProductData:
    return data.to(
        ProductData,
        skus=[s.to(SkuData) for s in data.skus],
        category_id=named_once(
            data.category_id, data.category, id_field="categoryId", field="category"
        ),
        brand_id=named_once(data.brand_id, data.brand, id_field="brandId", field="brand"),
    )


def _with_etag(view: ProductView) -> Response[ProductOut]:
    return with_etag(product_out(view), view.product.version)


def _created(view: ProductView) -> Rendered[ProductOut]:
    return Rendered(product_out(view), f"{PRODUCTS}/{view.product.id}", view.product.version)


class ProductsController(Controller):
    path = "/products"

    @get("/", opt=needs(ListProducts))
    async def list_products(
        self, ctx: Context, use_cases: Dispatch, cursor: Cursor = None, limit: Limit = None
    ) -> ProductPageOut:
        """Products not archived, in creation order. SKU costs need ``catalog:read_cost``."""
        page = await use_cases.query(ctx, ListProducts.window(cursor, limit))
        return ProductPageOut.of_page(page, product_out)

    @get("/search", opt=needs(SearchProducts))
    async def search_products(
        self,
        ctx: Context,
        use_cases: Dispatch,
        q: Annotated[
            str | None,
            QueryParameter(
                description="Part of the name, a code or a barcode; left out: every product "
                "within the filters (the filtered product listing)."
            ),
        ] = None,
        category: Annotated[
            str | None,
            QueryParameter(
                description="A category: its id or its path of names (`服装 > 男装`); its "
                "subcategories included."
            ),
        ] = None,
        brand: Annotated[
            str | None, QueryParameter(description="A brand: its id or its name.")
        ] = None,
        status: Annotated[
            str | None,
            QueryParameter(
                description="A lifecycle state.",
                schema_extra={"enum": [s.value for s in Lifecycle]},  # stated, not checked
            ),
        ] = None,
        channel: Annotated[
            str | None,
            QueryParameter(description="Published on this sales channel: its id or its code."),
        ] = None,
        min_price: Annotated[
            Decimal | None,
            QueryParameter(
                name="minPrice",
                description="Lowest base price of an active SKU (channel price on `channel`, "
                "else list price).",
                schema_extra=DECIMAL_SCHEMA,
            ),
        ] = None,
        max_price: Annotated[
            Decimal | None,
            QueryParameter(
                name="maxPrice", description="Highest base price.", schema_extra=DECIMAL_SCHEMA
            ),
        ] = None,
        sort: Annotated[
            str,
            QueryParameter(
                description="created (default), updated, price; a leading '-' is descending.",
                schema_extra={"enum": SORTS},
            ),
        ] = "created",
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> ProductPageOut:
        """Chinese names match any part of them ("蓝牙" finds 蓝牙耳机); other words match by
        their beginning; codes by prefix; barcodes exactly (a GTIN in any of its forms).
        Without ``q``: the products within the filters, e.g. every active product of a
        category published on a channel, sorted by price."""
        filters = ProductFilters(lifecycle=status, min_price=min_price, max_price=max_price)
        named = FilterReferences(category, brand, channel)
        search = SearchProducts.of(q, filters, cursor, limit, sort, named)
        page = await use_cases.query(ctx, search)
        return ProductPageOut.of_page(page, product_out)

    @post("/", opt=needs(CreateProduct))
    async def create_product(
        self,
        ctx: Context,
        use_cases: Dispatch,
        idempotency: Idempotent,
        data: JSONBody[NewProductIn],
    ) -> Response[ProductOut]:
        """Create a product with its SKUs; ``code`` is required (and fixed from then on)."""
        code, content = data.code, _data(data)
        return await idempotency.created(
            lambda: use_cases.run(ctx, CreateProduct(code, content)), _created
        )

    @get("/{product_id:uuid}", opt=needs(GetProduct))
    async def get_product(
        self, ctx: Context, use_cases: Dispatch, product_id: FromPath[UUID]
    ) -> Response[ProductOut]:
        """One product with its SKUs; the ETag is its version."""
        return _with_etag(await use_cases.query(ctx, GetProduct(product_id)))

    @put("/{product_id:uuid}", opt=needs(ReviseProduct))
    async def revise_product(
        self,
        ctx: Context,
        use_cases: Dispatch,
        product_id: FromPath[UUID],
        data: JSONBody[ProductIn],
        expected_version: ExpectedVersion,
    ) -> Response[ProductOut]:
        """The whole content. The product code is fixed once created: ``code`` is ignored."""
        return _with_etag(
            await use_cases.run(ctx, ReviseProduct(product_id, _data(data), expected_version))
        )

    @delete("/{product_id:uuid}", status_code=HTTP_204_NO_CONTENT, opt=needs(ArchiveProduct))
    async def archive_product(
        self,
        ctx: Context,
        use_cases: Dispatch,
        product_id: FromPath[UUID],
        expected_version: ExpectedVersion,
    ) -> None:
        """Archives the product (its deletion): it stays readable, and refuses changes."""
        await use_cases.run(ctx, ArchiveProduct(product_id, expected_version))

    @get("/{product_id:uuid}/versions", opt=needs(ListVersions))
    async def list_product_versions(
        self,
        ctx: Context,
        use_cases: Dispatch,
        product_id: FromPath[UUID],
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> ProductVersionPageOut:
        """Newest first: who changed what, when, field by field (CAT-8)."""
        page = await use_cases.query(ctx, ListVersions.window(product_id, cursor, limit))
        return ProductVersionPageOut.of_page(page, _version_out)

    @get("/{product_id:uuid}/versions/{older:int}/diff/{newer:int}", opt=needs(DiffVersions))
    async def diff_product_versions(
        self,
        ctx: Context,
        use_cases: Dispatch,
        product_id: FromPath[UUID],
        older: FromPath[int],
        newer: FromPath[int],
    ) -> VersionDiffOut:
        """What changed between two versions of the product, field by field."""
        return VersionDiffOut(
            _changes(await use_cases.query(ctx, DiffVersions(product_id, older, newer)))
        )

    @post(
        "/{product_id:uuid}/versions/{number:int}/restore",
        status_code=200,
        opt=needs(RestoreProduct),
    )
    async def restore_product_version(
        self,
        ctx: Context,
        use_cases: Dispatch,
        product_id: FromPath[UUID],
        number: FromPath[int],
        expected_version: ExpectedVersion,
    ) -> Response[ProductOut]:
        """Restores that version's content as a new version; lifecycle and archiving stay."""
        return _with_etag(
            await use_cases.run(ctx, RestoreProduct(product_id, number, expected_version))
        )
