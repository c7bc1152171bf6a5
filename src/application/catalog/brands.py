"""Brands (CAT-6): create, rename, read. Logos: `application.catalog.brand_logos`."""

from __future__ import annotations

from uuid import UUID

from application.catalog.common import id_after, id_page
from application.catalog.ports.store import CATALOG
from application.shared.access_policy import AccessPolicy
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.pagination import Page, clamp_limit
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWork
from application.shared.versions import check_version
from domain.catalog.brand import Brand
from domain.catalog.permissions import CATALOG_READ, CATALOG_WRITE
from domain.shared.audit import AuditEntry, diff
from domain.shared.errors import NotFound
from domain.shared.events import DomainEvent

ENTITY = "brand"


async def load_brand(uow: UnitOfWork, brand_id: UUID) -> Brand:
    brand = await uow.of(CATALOG).brands.get(brand_id)
    if brand is None:
        raise NotFound(entity=ENTITY)
    return brand


class BrandService:
    """``create``, ``rename`` and ``get``, ``list_brands``."""

    def __init__(
        self, runner: CommandRunner, access: AccessPolicy, clock: Clock, ids: IdGenerator
    ) -> None:
        self._runner = runner
        self._access = access
        self._clock = clock
        self._ids = ids

    async def create(self, ctx: CallContext, name: str) -> Brand:
        async def command(uow: UnitOfWork) -> Brand:
            self._access.require(ctx, CATALOG_WRITE)
            brand = Brand.create(self._ids.new_id(), name)
            await uow.of(CATALOG).brands.add(brand, self._clock.now())
            await uow.audit.record(
                AuditEntry("brand.create", ENTITY, brand.id, changes=diff({}, {"name": brand.name}))
            )
            await uow.outbox.add(DomainEvent("brand.created", ENTITY, brand.id))
            return brand

        return await self._runner.run(ctx, "brand.create", ENTITY, command)

    async def rename(
        self, ctx: CallContext, brand_id: UUID, name: str, expected_version: int | None
    ) -> Brand:
        async def command(uow: UnitOfWork) -> Brand:
            self._access.require(ctx, CATALOG_WRITE)
            brand = await load_brand(uow, brand_id)
            check_version(expected_version, brand.version)
            before, read_version = {"name": brand.name}, brand.version
            if not brand.rename(name):
                return brand  # nothing changed: no write, no version, nothing recorded
            await uow.of(CATALOG).brands.save(brand, read_version, self._clock.now())
            await uow.audit.record(
                AuditEntry(
                    "brand.update",
                    ENTITY,
                    brand.id,
                    changes=diff(before, {"name": brand.name}),
                    detail={"version": brand.version},
                )
            )
            await uow.outbox.add(
                DomainEvent("brand.updated", ENTITY, brand.id, changed_fields=("name",))
            )
            return brand

        return await self._runner.run(ctx, "brand.update", ENTITY, command, entity_id=brand_id)

    async def get(self, ctx: CallContext, brand_id: UUID) -> Brand:
        async def read(uow: UnitOfWork) -> Brand:
            self._access.require(ctx, CATALOG_READ)
            return await load_brand(uow, brand_id)

        return await self._runner.query(ctx, read)

    async def list_brands(
        self, ctx: CallContext, cursor: str | None, limit: int | None
    ) -> Page[Brand]:
        size, after = clamp_limit(limit), id_after(cursor)

        async def read(uow: UnitOfWork) -> Page[Brand]:
            self._access.require(ctx, CATALOG_READ)
            return await id_page(uow.of(CATALOG).brands.page, after, size)

        return await self._runner.query(ctx, read)
