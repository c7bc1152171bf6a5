"""Steps the catalog's use cases share: loading a product, id-ordered pages, a field a
change leaves as it is."""

from __future__ import annotations

from typing import Final
from uuid import UUID

from application.catalog.ports.store import CATALOG
from application.shared.reads import id_after, id_page, id_window
from application.shared.unit_of_work import UnitOfWork
from domain.catalog.product import ENTITY as PRODUCT_ENTITY
from domain.catalog.product import Product
from domain.shared.errors import Conflict, NotFound

__all__ = ["KEEP", "Keep", "id_after", "id_page", "id_window", "load_product"]


class Keep:
    """A field the caller leaves as it is (absent from a PATCH)."""


KEEP: Final = Keep()


async def load_product(uow: UnitOfWork, product_id: UUID, *, changing: bool = False) -> Product:
    """NotFound for unknown and other tenants' ids alike (RLS hides the latter);
    ``changing``: an archived product refuses changes (``product_archived``)."""
    product = await uow.of(CATALOG).products.get(product_id)
    if product is None:
        raise NotFound(entity=PRODUCT_ENTITY)
    if changing and product.archived:
        raise Conflict("product_archived", product_code=product.code)
    return product
