"""Revise a product's content (CAT-1, CAT-11): one new version per command.

Discontinuing it unpublishes its listings in the same transaction (CAT-7); a revision
that would leave a published listing with an active SKU priced nowhere on its channel is
refused (``priced_listings``). A revision that changes nothing writes nothing.
"""

from __future__ import annotations

from uuid import UUID

from application.catalog.common import load_product
from application.catalog.priced_listings import refuse_unpriced_listings
from application.catalog.products.inputs import ProductData, check_lifecycle, product_inputs
from application.catalog.products.saving import save_product
from application.catalog.products.views import ProductView, view
from application.catalog.unpublishing import unpublish_product_everywhere
from application.shared.tenant_terms import tenant_terms
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.catalog.channel import must_unpublish
from domain.catalog.permissions import CATALOG_WRITE
from domain.catalog.product import Lifecycle


class ReviseProduct(Command[ProductView], action="product.update", permission=CATALOG_WRITE):
    product_id: UUID
    data: ProductData
    expected_version: int | None


class ReviseProductHandler:
    async def handle(self, command: ReviseProduct, work: Work) -> ProductView:
        data = command.data
        product = await load_product(work.uow, command.product_id)
        check_version(command.expected_version, product.version)
        read_version, now = product.version, work.clock.now()
        product_input, skus, product_type = await product_inputs(work, work.ids, data, product)
        if data.lifecycle is not None:
            check_lifecycle(data.lifecycle)
        currency = (await tenant_terms(work.uow)).currency
        changed = bool(product.revise(product_input, skus, product_type, currency, now))
        if data.lifecycle is not None:
            changed |= bool(product.change_lifecycle(Lifecycle(data.lifecycle), now))
        if changed:
            product.version = read_version + 1  # one version per command
            await save_product(work, product, read_version)
            if must_unpublish(product):  # discontinued: off sale everywhere (CAT-7)
                await unpublish_product_everywhere(
                    work, product.id, now, "listing.unpublish_product_discontinued"
                )
            await refuse_unpriced_listings(work.uow, product)  # after the row is held
        return view(work, product)
