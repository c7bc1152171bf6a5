"""Create a product type with its attributes (CAT-5)."""

from __future__ import annotations

from collections.abc import Sequence

from application.catalog.ports.store import CATALOG
from application.catalog.product_types.common import AttributeInput, definitions, snapshot
from application.shared.use_case import Command, Work
from domain.catalog.permissions import CATALOG_WRITE
from domain.catalog.product_type import ProductType


class CreateProductType(
    Command[ProductType], action="product_type.create", permission=CATALOG_WRITE
):
    name: str
    attributes: Sequence[AttributeInput]


class CreateProductTypeHandler:
    async def handle(self, command: CreateProductType, work: Work) -> ProductType:
        product_type = ProductType.create(
            work.ids.new_id(), command.name, definitions(command.attributes)
        )
        await work.uow.of(CATALOG).product_types.add(product_type, work.clock.now())
        work.audit(product_type.id, {}, snapshot(product_type))
        work.publish(product_type)
        return product_type
