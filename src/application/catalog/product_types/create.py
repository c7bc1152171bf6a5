"""Create a product type with its attributes (CAT-5)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from application.catalog.ports.store import CATALOG
from application.catalog.product_types.common import AttributeInput, definitions, snapshot
from application.shared.clock import Clock, IdGenerator
from application.shared.use_case import Command, Work
from domain.catalog.permissions import CATALOG_WRITE
from domain.catalog.product_type import ProductType


@dataclass(frozen=True)
class CreateProductType(
    Command[ProductType], action="product_type.create", permission=CATALOG_WRITE
):
    name: str
    attributes: Sequence[AttributeInput]


class CreateProductTypeHandler:
    def __init__(self, clock: Clock, ids: IdGenerator) -> None:
        self._clock = clock
        self._ids = ids

    async def handle(self, command: CreateProductType, work: Work) -> ProductType:
        product_type = ProductType.create(
            self._ids.new_id(), command.name, definitions(command.attributes)
        )
        await work.uow.of(CATALOG).product_types.add(product_type, self._clock.now())
        work.audit(product_type.id, {}, snapshot(product_type))
        work.publish(product_type)
        return product_type
