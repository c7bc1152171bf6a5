"""Create a product with its SKUs (CAT-1, CAT-11): its first version is its content."""

from __future__ import annotations

from application.catalog.ports.store import CATALOG
from application.catalog.products.inputs import ProductData, check_lifecycle, product_inputs
from application.catalog.products.saving import note_product
from application.catalog.products.views import ProductView, view
from application.shared.tenant_terms import tenant_terms
from application.shared.use_case import Command, Work
from domain.catalog.permissions import CATALOG_WRITE
from domain.catalog.product import Lifecycle, Product
from domain.catalog.versions import first_version


class CreateProduct(Command[ProductView], action="product.create", permission=CATALOG_WRITE):
    code: str
    data: ProductData


class CreateProductHandler:
    async def handle(self, command: CreateProduct, work: Work) -> ProductView:
        data = command.data
        product_input, skus, product_type = await product_inputs(work, work.ids, data, None)
        check_lifecycle(data.lifecycle or "new")
        now = work.clock.now()
        product = Product.create(
            work.ids.new_id(),
            command.code,
            product_input,
            skus,
            product_type,
            (await tenant_terms(work.uow)).currency,
            now,
            Lifecycle(data.lifecycle or "new"),
        )
        version = first_version(product.id, product.snapshot(), work.ctx.actor.label, now)
        await work.uow.of(CATALOG).products.add(product, version)
        note_product(work, product, version.changes)
        return view(work, product)
