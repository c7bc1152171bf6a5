"""Archive a product — its deletion: it stays, with its SKUs and versions, and takes no
more changes; its listings are unpublished in the same transaction (CAT-7)."""

from __future__ import annotations

from uuid import UUID

from application.catalog.common import load_product
from application.catalog.products.saving import save_product
from application.catalog.unpublishing import unpublish_product_everywhere
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.catalog.permissions import CATALOG_WRITE


class ArchiveProduct(Command[None], action="product.archive", permission=CATALOG_WRITE):
    product_id: UUID
    expected_version: int | None


class ArchiveProductHandler:
    async def handle(self, command: ArchiveProduct, work: Work) -> None:
        product = await load_product(work.uow, command.product_id)
        check_version(command.expected_version, product.version)
        read_version, now = product.version, work.clock.now()
        if product.archive(now):
            await save_product(work, product, read_version)
            await unpublish_product_everywhere(
                work, product.id, now, "listing.unpublish_product_archived"
            )
