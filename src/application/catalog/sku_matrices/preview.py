"""Preview a SKU matrix (CAT-5): the rows a request would give, changing nothing. Needs
``catalog:write``, as generating does."""

from __future__ import annotations

from uuid import UUID

from application.catalog.common import load_product
from application.catalog.sku_matrices.common import (
    MatrixPreview,
    MatrixRequest,
    matrix_for,
    type_of,
)
from application.shared.use_case import Query, Reading
from domain.catalog.permissions import CATALOG_WRITE
from domain.catalog.product import ENTITY


class PreviewSkuMatrix(Query[MatrixPreview], entity=ENTITY, permission=CATALOG_WRITE):
    product_id: UUID
    request: MatrixRequest


class PreviewSkuMatrixHandler:
    async def handle(self, query: PreviewSkuMatrix, reading: Reading) -> MatrixPreview:
        product = await load_product(reading.uow, query.product_id)
        product_type = await type_of(reading.uow, product)
        return MatrixPreview(
            await matrix_for(reading.uow, product, product_type, query.request), product
        )
