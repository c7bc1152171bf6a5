"""/api/v1/catalog/products: products with their SKUs (CAT-1, CAT-11)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, cast
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from application.catalog.ports.repositories import ProductFilters
from application.catalog.products import (
    ProductData,
    ProductService,
    ProductView,
    SkuData,
    VersionView,
)
from application.shared.context import CallContext
from domain.catalog.checks import canonical_decimal, to_decimal
from domain.catalog.product_type import snapshot_value
from domain.shared.audit import AuditChange
from domain.shared.errors import ValidationFailed
from entrypoints.http.catalog.schemas.products import (
    ChangeOut,
    ProductIn,
    ProductOut,
    ProductPageOut,
    ProductVersionOut,
    ProductVersionPageOut,
    SkuOut,
    VersionDiffOut,
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

PRODUCTS = "/api/v1/catalog/products"


def product_out(view: ProductView) -> ProductOut:
    product, details = view.product, view.product.details
    return ProductOut(
        id=product.id,
        code=product.code,
        name=details.name,
        description=details.description,
        material=details.material,
        kind=str(details.kind),
        preorder_allowed=details.preorder_allowed,
        sell_out_of_stock_allowed=details.sell_out_of_stock_allowed,
        product_type_id=details.product_type_id,
        category_id=details.category_id,
        brand_id=details.brand_id,
        attributes={k: snapshot_value(v) for k, v in sorted(details.attributes.items())},
        lifecycle=str(product.lifecycle),
        archived_at=product.archived_at,
        skus=[
            SkuOut(
                id=s.id,
                code=s.code,
                barcode=s.barcode,
                list_price=str(s.list_price.amount) if s.list_price else None,
                cost=str(s.cost.amount) if s.cost else None,
                weight_grams=(
                    canonical_decimal(s.weight_grams) if s.weight_grams is not None else None
                ),
                axis_values=dict(s.axis_values),
                archived=s.archived,
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
    return ProductData(
        name=data.name,
        description=data.description,
        material=data.material,
        kind=data.kind,
        preorder_allowed=data.preorder_allowed,
        sell_out_of_stock_allowed=data.sell_out_of_stock_allowed,
        product_type_id=data.product_type_id,
        category_id=data.category_id,
        brand_id=data.brand_id,
        attributes=data.attributes,
        lifecycle=data.lifecycle,
        skus=[
            SkuData(
                code=s.code,
                id=s.id,
                barcode=s.barcode,
                list_price=s.list_price,
                cost=s.cost,
                weight_grams=s.weight_grams,
                axis_values=s.axis_values,
                archived=s.archived,
            )
            for s in data.skus
        ],
    )


def _price(name: str, value: str | None) -> Decimal | None:
    if value is None:
        return None
    number = to_decimal(value)
    if number is None:
        raise ValidationFailed.single(name, "invalid_amount")
    return number


def _id(name: str, value: str | None) -> UUID | None:
    """A filter's id: a malformed one is a 422 field error (not litestar's 400)."""
    if value is None:
        return None
    try:
        return UUID(value)
    except ValueError:
        raise ValidationFailed.single(name, "invalid_id") from None


def _with_etag(view: ProductView) -> Response[ProductOut]:
    return Response(product_out(view), headers={"ETag": etag(view.product.version)})


def _products(request: Request[CallContext, Any, State]) -> ProductService:
    service: ProductService = request.app.state.container.get(ProductService)
    return service


class ProductsController(Controller):
    path = PRODUCTS
    tags = ["catalog"]

    @get("/")
    async def list_products(
        self,
        request: Request[CallContext, Any, State],
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> ProductPageOut:
        """Products not archived, in creation order. SKU costs need ``catalog:read_cost``."""
        page = await _products(request).list_products(request.user, cursor, limit)
        return ProductPageOut([product_out(v) for v in page.items], page.next_cursor)

    @get("/search")
    async def search_products(
        self,
        request: Request[CallContext, Any, State],
        q: Annotated[
            str | None,
            QueryParameter(
                description="Part of the name, a code or a barcode; left out: every product "
                "within the filters (the filtered product listing)."
            ),
        ] = None,
        category: Annotated[
            str | None, QueryParameter(description="A category id; its subcategories included.")
        ] = None,
        brand: Annotated[str | None, QueryParameter(description="A brand id.")] = None,
        status: Annotated[str | None, QueryParameter(description="A lifecycle state.")] = None,
        channel: Annotated[
            str | None, QueryParameter(description="Published on this sales channel (its id).")
        ] = None,
        min_price: Annotated[
            str | None,
            QueryParameter(
                name="minPrice",
                description="Lowest base price of an active SKU (channel price on `channel`, "
                "else list price).",
            ),
        ] = None,
        max_price: Annotated[
            str | None, QueryParameter(name="maxPrice", description="Highest base price.")
        ] = None,
        sort: Annotated[
            str,
            QueryParameter(
                description="created (default), updated, price; a leading '-' is descending."
            ),
        ] = "created",
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> ProductPageOut:
        """Chinese names match any part of them ("蓝牙" finds 蓝牙耳机); other words match by
        their beginning; codes by prefix; barcodes exactly (a GTIN in any of its forms).
        Without ``q``: the products within the filters, e.g. every active product of a
        category published on a channel, sorted by price."""
        filters = ProductFilters(
            _id("category", category),
            _id("brand", brand),
            status,
            _id("channel", channel),
            _price("minPrice", min_price),
            _price("maxPrice", max_price),
        )
        page = await _products(request).search(request.user, q, filters, cursor, limit, sort)
        return ProductPageOut([product_out(v) for v in page.items], page.next_cursor)

    @post("/")
    async def create_product(
        self,
        request: Request[CallContext, Any, State],
        data: JSONBody[ProductIn],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[ProductOut]:
        if data.code is None:
            raise ValidationFailed.single("code", "required")
        service, code, content = _products(request), data.code, _data(data)

        def render(view: ProductView) -> Response[bytes]:
            return json_response(
                product_out(view),
                201,
                {"ETag": etag(view.product.version), "Location": f"{PRODUCTS}/{view.product.id}"},
            )

        response = await idempotent(
            request, lambda: service.create(request.user, code, content), render
        )
        return cast("Response[ProductOut]", response)  # the body is a rendered ProductOut

    @get("/{product_id:uuid}")
    async def get_product(
        self, request: Request[CallContext, Any, State], product_id: FromPath[UUID]
    ) -> Response[ProductOut]:
        return _with_etag(await _products(request).get(request.user, product_id))

    @put("/{product_id:uuid}")
    async def revise_product(
        self,
        request: Request[CallContext, Any, State],
        product_id: FromPath[UUID],
        data: JSONBody[ProductIn],
        if_match: IfMatch = None,
    ) -> Response[ProductOut]:
        """The whole content. The product code is fixed once created: ``code`` is ignored."""
        view = await _products(request).revise(
            request.user, product_id, _data(data), expected_version(request)
        )
        return _with_etag(view)

    @delete("/{product_id:uuid}", status_code=HTTP_204_NO_CONTENT)
    async def archive_product(
        self,
        request: Request[CallContext, Any, State],
        product_id: FromPath[UUID],
        if_match: IfMatch = None,
    ) -> None:
        """Archives the product (its deletion): it stays readable, and refuses changes."""
        await _products(request).archive(request.user, product_id, expected_version(request))

    @get("/{product_id:uuid}/versions")
    async def list_product_versions(
        self,
        request: Request[CallContext, Any, State],
        product_id: FromPath[UUID],
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> ProductVersionPageOut:
        """Newest first: who changed what, when, field by field (CAT-8)."""
        page = await _products(request).list_versions(request.user, product_id, cursor, limit)
        return ProductVersionPageOut([_version_out(v) for v in page.items], page.next_cursor)

    @get("/{product_id:uuid}/versions/{older:int}/diff/{newer:int}")
    async def diff_product_versions(
        self,
        request: Request[CallContext, Any, State],
        product_id: FromPath[UUID],
        older: FromPath[int],
        newer: FromPath[int],
    ) -> VersionDiffOut:
        changes = await _products(request).diff(request.user, product_id, older, newer)
        return VersionDiffOut(_changes(changes))

    @post("/{product_id:uuid}/versions/{number:int}/restore", status_code=200)
    async def restore_product_version(
        self,
        request: Request[CallContext, Any, State],
        product_id: FromPath[UUID],
        number: FromPath[int],
        if_match: IfMatch = None,
    ) -> Response[ProductOut]:
        """Restores that version's content as a new version; lifecycle and archiving stay."""
        view = await _products(request).restore(
            request.user, product_id, number, expected_version(request)
        )
        return _with_etag(view)
