"""/api/v1/catalog/products/{id}/sku-matrix: generate SKUs from variant values (CAT-5)."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK

from application.catalog.sku_matrices import (
    GenerateSkus,
    MatrixRequest,
    PreviewSkuMatrix,
)
from domain.catalog.sku_matrix import SkuMatrix
from entrypoints.http.catalog.products import product_out
from entrypoints.http.catalog.schemas.products import ProductOut
from entrypoints.http.catalog.schemas.sku_matrix import SkuMatrixIn, SkuMatrixOut, SkuMatrixRowOut
from entrypoints.http.conventions import with_etag
from entrypoints.http.dependencies import Context, Dispatch, ExpectedVersion
from entrypoints.http.permissions import needs


def _request(data: SkuMatrixIn) -> MatrixRequest:
    return MatrixRequest(data.axes, data.base_code, data.list_price, data.weight_grams)


def _matrix_out(matrix: SkuMatrix) -> SkuMatrixOut:
    rows = [
        SkuMatrixRowOut(
            code=row.code,
            axis_values=dict(row.axis_values),
            sku_id=row.sku_id,
            status="new" if row.sku_id is None else ("revived" if row.revived else "existing"),
        )
        for row in matrix.rows
    ]
    return SkuMatrixOut(rows, list(matrix.retired))


class SkuMatrixController(Controller):
    path = "/products/{product_id:uuid}/sku-matrix"

    @post("/preview", status_code=HTTP_200_OK, opt=needs(PreviewSkuMatrix))
    async def preview_sku_matrix(
        self,
        ctx: Context,
        use_cases: Dispatch,
        product_id: FromPath[UUID],
        data: JSONBody[SkuMatrixIn],
    ) -> SkuMatrixOut:
        """What applying would do — new, kept and revived SKUs, and those archived — with
        nothing changed. At most 1,000 combinations (``sku_matrix_too_large``)."""
        preview = await use_cases.query(ctx, PreviewSkuMatrix(product_id, _request(data)))
        return _matrix_out(preview.matrix)

    @post("/", status_code=HTTP_200_OK, opt=needs(GenerateSkus))
    async def apply_sku_matrix(
        self,
        ctx: Context,
        use_cases: Dispatch,
        product_id: FromPath[UUID],
        data: JSONBody[SkuMatrixIn],
        expected_version: ExpectedVersion,
    ) -> Response[ProductOut]:
        """Make the product's SKUs the matrix of the chosen values: a new product version
        (If-Match with the product's ETag). Repeating it changes nothing."""
        view = await use_cases.run(ctx, GenerateSkus(product_id, _request(data), expected_version))
        return with_etag(product_out(view), view.product.version)
