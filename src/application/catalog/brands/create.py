"""Create a brand (CAT-6)."""

from __future__ import annotations

from application.catalog.ports.store import CATALOG
from application.shared.use_case import Command, Work
from domain.catalog.brand import Brand
from domain.catalog.permissions import CATALOG_WRITE


class CreateBrand(Command[Brand], action="brand.create", permission=CATALOG_WRITE):
    name: str


class CreateBrandHandler:
    async def handle(self, command: CreateBrand, work: Work) -> Brand:
        brand = Brand.create(work.ids.new_id(), command.name)
        await work.uow.of(CATALOG).brands.add(brand, work.clock.now())
        work.audit(brand.id, {}, {"name": brand.name})
        work.publish(brand)
        return brand
