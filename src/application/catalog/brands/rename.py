"""Rename a brand (CAT-6); the same name is no change."""

from __future__ import annotations

from uuid import UUID

from application.catalog.brands.common import load_brand
from application.catalog.ports.store import CATALOG
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.catalog.brand import Brand
from domain.catalog.permissions import CATALOG_WRITE


class RenameBrand(Command[Brand], action="brand.update", permission=CATALOG_WRITE):
    brand_id: UUID
    name: str
    expected_version: int | None


class RenameBrandHandler:
    async def handle(self, command: RenameBrand, work: Work) -> Brand:
        brand = await load_brand(work.uow, command.brand_id)
        check_version(command.expected_version, brand.version)
        before, read_version = {"name": brand.name}, brand.version
        if not brand.rename(command.name):
            return brand  # nothing changed: no write, no version, nothing recorded
        await work.uow.of(CATALOG).brands.save(brand, read_version, work.clock.now())
        work.audit(brand.id, before, {"name": brand.name}, detail={"version": brand.version})
        work.publish(brand)
        return brand
