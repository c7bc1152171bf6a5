"""The SKU matrix facade (CAT-5): preview, then apply."""

from __future__ import annotations

from uuid import UUID

from application.catalog.products.views import ProductView
from application.catalog.sku_matrices.common import MatrixPreview, MatrixRequest
from application.catalog.sku_matrices.generate import GenerateSkus, GenerateSkusHandler
from application.catalog.sku_matrices.preview import PreviewSkuMatrix, PreviewSkuMatrixHandler
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.runner import CommandRunner
from application.shared.use_case import runs


class SkuMatrixService:
    def __init__(self, runner: CommandRunner, clock: Clock, ids: IdGenerator) -> None:
        self._runner = runner
        self._generate = GenerateSkusHandler(clock, ids)

    @runs(PreviewSkuMatrix)
    async def preview(
        self, ctx: CallContext, product_id: UUID, request: MatrixRequest
    ) -> MatrixPreview:
        """The rows the request would give, changing nothing."""
        query = PreviewSkuMatrix(product_id, request)
        return await self._runner.query(ctx, query, PreviewSkuMatrixHandler())

    @runs(GenerateSkus)
    async def apply(
        self,
        ctx: CallContext,
        product_id: UUID,
        request: MatrixRequest,
        expected_version: int | None,
    ) -> ProductView:
        command = GenerateSkus(product_id, request, expected_version)
        return await self._runner.run(ctx, command, self._generate)
