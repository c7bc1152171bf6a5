"""A product's variants (CAT-5): the SKU matrix of its type's variant axes (colour × size).
The values chosen per axis (an enum's or a yes/no axis's ticked; text and numbers typed as
a list), the base of the new codes and the new SKUs' list price and weight; a preview of
the SKUs it gives (new, kept, back from the archive, archived), then generated as a
revision of the product with the version the page showed (``GenerateSkus``, as ``POST
/api/v1/catalog/products/{id}/sku-matrix``)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, post
from litestar.datastructures import FormMultiDict, State
from litestar.params import FromPath
from litestar.response import Template

from application.catalog.products import GetProduct
from application.catalog.sku_matrices import GenerateSkus, MatrixRequest, PreviewSkuMatrix
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.catalog.editor import PRODUCTS, editor
from entrypoints.web.catalog.product_form import ProductForm
from entrypoints.web.catalog.product_types import values_in
from entrypoints.web.catalog.rendering import catalog_page
from entrypoints.web.forms import an_amount, version_of
from entrypoints.web.pages import done, is_htmx

AXIS = "axis_"  # a field per variant axis: axis_<attribute code>


def chosen_values(form: FormMultiDict) -> dict[str, list[str]]:
    """Each axis's values as chosen: every ``axis_<code>`` field, a typed list split."""
    return {
        name.removeprefix(AXIS): [v for raw in form.getall(name) for v in values_in(str(raw))]
        for name in form
        if name.startswith(AXIS)
    }


def matrix_request(form: FormMultiDict) -> MatrixRequest:
    return MatrixRequest(
        axes=chosen_values(form),
        base_code=str(form.get("base_code") or "").strip() or None,
        list_price=an_amount("listPrice", str(form.get("list_price") or "")),
        weight_grams=str(form.get("weight") or "").strip() or None,
    )


class VariantPages(Controller):
    path = "/products"

    @post("/{product_id:uuid}/sku-matrix/preview", status_code=200, opt=needs(PreviewSkuMatrix))
    async def preview(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        product_id: FromPath[UUID],
    ) -> Template:
        """The SKUs the values chosen give, changing nothing: for htmx the preview alone,
        else the product page with it (and the values as chosen)."""
        form = await request.form()
        preview = await use_cases.query(ctx, PreviewSkuMatrix(product_id, matrix_request(form)))
        if is_htmx(request):
            return await catalog_page(request, use_cases, "_matrix_preview.html", preview=preview)
        shown = await use_cases.query(ctx, GetProduct(product_id))
        return await editor(
            request,
            ctx,
            use_cases,
            ProductForm.of(shown),
            shown,
            preview=preview,
            chosen=chosen_values(form),
        )

    @post("/{product_id:uuid}/sku-matrix", status_code=303, opt=needs(GenerateSkus))
    async def generate(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        product_id: FromPath[UUID],
    ) -> Response[Any]:
        form = await request.form()
        version = version_of(str(form.get("version") or ""))
        shown = await use_cases.run(ctx, GenerateSkus(product_id, matrix_request(form), version))
        return done(
            request,
            f"{PRODUCTS}/{product_id}",
            "catalog.skus_generated",
            count=len(shown.product.active_skus),
        )
