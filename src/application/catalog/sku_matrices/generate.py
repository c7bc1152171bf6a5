"""Generate a product's SKUs from a matrix (CAT-5): a revision of the product like a PUT,
one transaction with its version, search terms, audit record and ``product.updated``
event; nothing when nothing changes."""

from __future__ import annotations

from uuid import UUID

from application.catalog.common import load_product
from application.catalog.priced_listings import refuse_unpriced_listings
from application.catalog.products.saving import save_product
from application.catalog.products.views import ProductView, view
from application.catalog.sku_matrices.common import MatrixRequest, matrix_for, type_of, weight_of
from application.shared.tenant_terms import tenant_terms
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.catalog.permissions import CATALOG_WRITE
from domain.catalog.sku_matrix import matrix_sku_inputs


class GenerateSkus(Command[ProductView], action="product.generate_skus", permission=CATALOG_WRITE):
    product_id: UUID
    request: MatrixRequest
    expected_version: int | None


class GenerateSkusHandler:
    async def handle(self, command: GenerateSkus, work: Work) -> ProductView:
        uow = work.uow
        product = await load_product(uow, command.product_id)
        check_version(command.expected_version, product.version)
        weight = weight_of(command.request)
        product_type = await type_of(uow, product)
        matrix = await matrix_for(uow, product, product_type, command.request)
        new_ids = [work.ids.new_id() for _ in matrix.new_rows]
        skus = matrix_sku_inputs(
            product.skus,
            matrix,
            new_ids,
            list_price=command.request.list_price,
            weight_grams=weight,
        )
        details, _ = product.as_input()
        read_version, now = product.version, work.clock.now()
        currency = (await tenant_terms(uow)).currency
        if product.revise(details, skus, product_type, currency, now):
            product.version = read_version + 1
            await save_product(work, product, read_version)
            await refuse_unpriced_listings(uow, product)  # after the row is held
        return view(work, product)
