"""Re-order a product's media (CAT-3): ``order`` names each of them once; returns them in
that order. Audited as a change of the product."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from application.catalog.common import load_product
from application.catalog.ports.store import CATALOG
from application.shared.use_case import Command, Work
from domain.catalog.media import ProductMedia, reorder
from domain.catalog.permissions import CATALOG_WRITE
from domain.catalog.product import ENTITY as PRODUCT_ENTITY
from domain.shared.events import DomainEvent


class ReorderMedia(
    Command[list[ProductMedia]],
    action="product_media.reorder",
    entity=PRODUCT_ENTITY,
    permission=CATALOG_WRITE,
):
    product_id: UUID
    order: Sequence[UUID]


class ReorderMediaHandler:
    async def handle(self, command: ReorderMedia, work: Work) -> list[ProductMedia]:
        media_store, product_id = work.uow.of(CATALOG).product_media, command.product_id
        await media_store.lock_product(product_id)
        await load_product(work.uow, product_id, changing=True)
        media = await media_store.of_product(product_id)
        before = [str(m.id) for m in media]
        moved = reorder(media, command.order)
        result = sorted(media, key=lambda m: m.position)
        if not moved:
            return result
        await media_store.save_positions(moved, work.clock.now())
        work.audit(product_id, {"media": before}, {"media": [str(m.id) for m in result]})
        work.emit(
            DomainEvent(
                "product.media_reordered", PRODUCT_ENTITY, product_id, changed_fields=("media",)
            )
        )
        return result
