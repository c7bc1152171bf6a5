"""Restore a product version (CAT-8): version ``number``'s content comes back as a NEW
version (``restored_from``). Lifecycle and archiving keep their current values; a restore
that changes nothing records nothing; one that would leave a published listing unpriced is
refused."""

from __future__ import annotations

from uuid import UUID

from application.catalog.common import load_product
from application.catalog.ports.store import CATALOG
from application.catalog.priced_listings import refuse_unpriced_listings
from application.catalog.products.saving import save_product
from application.catalog.products.views import VERSION_ENTITY, ProductView, view
from application.shared.tenant_terms import tenant_terms
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.catalog.permissions import CATALOG_WRITE
from domain.catalog.versions import plan_restore
from domain.shared.errors import NotFound


class RestoreProduct(Command[ProductView], action="product.restore", permission=CATALOG_WRITE):
    product_id: UUID
    number: int
    expected_version: int | None


class RestoreProductHandler:
    async def handle(self, command: RestoreProduct, work: Work) -> ProductView:
        store = work.uow.of(CATALOG)
        product = await load_product(work.uow, command.product_id)
        check_version(command.expected_version, product.version)
        old = await store.products.version(command.product_id, command.number)
        if old is None:
            raise NotFound(entity=VERSION_ENTITY)
        read_version, now = product.version, work.clock.now()
        target = plan_restore(product.snapshot(), old)
        if target is None:
            return view(work, product)
        type_id = target.get("productTypeId")
        product_type = await store.product_types.get(UUID(type_id)) if type_id else None
        currency = (await tenant_terms(work.uow)).currency
        if product.restore(target, product_type, currency, now):
            product.version = read_version + 1
            await save_product(work, product, read_version, restored_from=command.number)
            await refuse_unpriced_listings(work.uow, product)
        return view(work, product)
