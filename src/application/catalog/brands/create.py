"""Create a brand (CAT-6)."""

from __future__ import annotations

from dataclasses import dataclass

from application.catalog.ports.store import CATALOG
from application.shared.clock import Clock, IdGenerator
from application.shared.use_case import Command, Work
from domain.catalog.brand import Brand
from domain.catalog.permissions import CATALOG_WRITE


@dataclass(frozen=True)
class CreateBrand(Command[Brand], action="brand.create", permission=CATALOG_WRITE):
    name: str


class CreateBrandHandler:
    def __init__(self, clock: Clock, ids: IdGenerator) -> None:
        self._clock = clock
        self._ids = ids

    async def handle(self, command: CreateBrand, work: Work) -> Brand:
        brand = Brand.create(self._ids.new_id(), command.name)
        await work.uow.of(CATALOG).brands.add(brand, self._clock.now())
        work.audit(brand.id, {}, {"name": brand.name})
        work.publish(brand)
        return brand
