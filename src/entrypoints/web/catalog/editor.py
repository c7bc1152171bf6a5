"""Catalog → a product: create it, or edit it with its type and SKUs (code, barcode, list
price, weight; a row more at a click; a typed product's variant values shown). The save
sends the version the page was read at (the API's If-Match): a stale page is refused with
the ``stale_version`` message and the user's typing is kept. Beside it: its variants
(``variants.py``), channels (``channels.py``) and media (``media.py``)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.response import Template

from application.catalog.listings.queries import ListingsOf
from application.catalog.media import ListMedia
from application.catalog.products import CreateProduct, GetProduct, ProductView, ReviseProduct
from application.catalog.reads import GetProductType
from application.shared.context import CallContext
from application.shared.use_cases import UseCases
from domain.shared.errors import DomainError
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.catalog.choices import choices
from entrypoints.web.catalog.product_form import ProductForm, SkuRow
from entrypoints.web.catalog.rendering import catalog_page, refused
from entrypoints.web.pages import done, through_htmx

PRODUCTS = "/console/catalog/products"


async def editor(
    request: Request[Any, Any, State],
    ctx: CallContext,
    use_cases: UseCases,
    form: ProductForm,
    shown: ProductView | None,
    **context: Any,
) -> Template:
    """The product page: the form, and for a stored product its channels, media and, when
    its type has variant axes, the SKU matrix (``variants.py``)."""
    extra: dict[str, Any] = {}
    if shown is not None:
        product_id = shown.product.id
        listings = await use_cases.query(ctx, ListingsOf(product_id))
        type_id = shown.product.details.product_type_id
        extra = {
            "listings": {listing.channel_id: listing for listing in listings},
            "media": await use_cases.query(ctx, ListMedia(product_id)),
            "product_type": await use_cases.query(ctx, GetProductType(type_id))
            if type_id
            else None,
        }
    return await catalog_page(
        request,
        use_cases,
        "product.html",
        form=form,
        shown=shown,
        **extra,
        **await choices(ctx, use_cases),
        **context,
    )


class ProductEditorPages(Controller):
    path = "/products"

    @get("/new", name="console_catalog_new", opt=needs(CreateProduct))
    async def new(
        self, request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch
    ) -> Template:
        return await editor(request, ctx, use_cases, ProductForm(), None)

    @get("/sku-row", opt=needs(CreateProduct))
    async def sku_row(
        self, request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch
    ) -> Template:
        """One more blank SKU row for the form (htmx appends it)."""
        return await catalog_page(request, use_cases, "_sku_row.html", row=SkuRow())

    @post("/new", status_code=303, opt=needs(CreateProduct))
    async def create(
        self, request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch
    ) -> Response[Any] | Template:
        form = ProductForm.posted(await request.form())
        try:
            created = await use_cases.run(
                ctx, CreateProduct(form.code, form.data(None, cost_hidden=True))
            )
        except DomainError as error:
            return await editor(request, ctx, use_cases, form, None, **refused(request, error))
        return done(
            request, f"{PRODUCTS}/{created.product.id}", "catalog.created", product=form.code
        )

    @get("/{product_id:uuid}", name="console_catalog_product", opt=needs(GetProduct))
    async def product(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        product_id: FromPath[UUID],
    ) -> Template:
        shown = await use_cases.query(ctx, GetProduct(product_id))
        return await editor(request, ctx, use_cases, ProductForm.of(shown), shown)

    @post("/{product_id:uuid}", status_code=303, opt=needs(ReviseProduct))
    async def save(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        product_id: FromPath[UUID],
    ) -> Response[Any] | Template:
        shown = await use_cases.query(ctx, GetProduct(product_id))
        form = ProductForm.posted(await request.form())
        form.code = shown.product.code  # fixed once created
        try:
            data = form.data(shown.product, shown.cost_hidden)
            await use_cases.run(ctx, ReviseProduct(product_id, data, form.expected_version()))
        except DomainError as error:
            return await editor(request, ctx, use_cases, form, shown, **refused(request, error))
        return done(request, f"{PRODUCTS}/{product_id}", "catalog.saved", product=form.code)


async def refused_on_product(
    request: Request[Any, Any, State],
    ctx: CallContext,
    use_cases: UseCases,
    product_id: UUID,
    error: DomainError,
) -> Template:
    """The product page as stored, with the refusal of an action taken on it; a form
    posted through htmx keeps what was typed: the refusal goes to ``#feedback``
    (``web/errors.py``)."""
    if through_htmx(request):
        raise error
    shown = await use_cases.query(ctx, GetProduct(product_id))
    return await editor(
        request, ctx, use_cases, ProductForm.of(shown), shown, **refused(request, error)
    )
