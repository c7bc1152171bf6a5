"""Brand logos (CAT-6): set (replace), remove, serve. An image only, checked and
thumbnailed like product images; setting or removing one is a change of the brand (its
version and ETag move, If-Match required). The files of a replaced or removed logo are
removed after the commit; those of a logo whose transaction failed, at once.
"""

from __future__ import annotations

from typing import BinaryIO
from uuid import UUID

from application.catalog.brands import ENTITY, load_brand
from application.catalog.media_files import LOGO_AREA, FileContent, MediaFiles
from application.catalog.ports.store import CATALOG
from application.shared.access_policy import AccessPolicy
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWork
from application.shared.versions import check_version
from domain.catalog.brand import Brand
from domain.catalog.media import Rendition, StoredFile
from domain.catalog.permissions import CATALOG_READ, CATALOG_WRITE
from domain.shared.audit import AuditEntry, diff
from domain.shared.errors import NotFound
from domain.shared.events import DomainEvent


def _logo_fields(logo: StoredFile | None) -> dict[str, object]:
    if logo is None:
        return {}
    return {"logo.contentType": logo.content_type, "logo.byteSize": logo.byte_size}


class BrandLogoService:
    def __init__(
        self,
        runner: CommandRunner,
        access: AccessPolicy,
        files: MediaFiles,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._runner = runner
        self._access = access
        self._files = files
        self._clock = clock
        self._ids = ids

    async def set_logo(
        self, ctx: CallContext, brand_id: UUID, source: BinaryIO, expected_version: int | None
    ) -> Brand:
        async def precheck(uow: UnitOfWork) -> None:
            self._access.require(ctx, CATALOG_WRITE)
            brand = await load_brand(uow, brand_id)
            check_version(expected_version, brand.version)

        await self._runner.query(ctx, precheck, action="brand.logo_set", entity_type=ENTITY)
        stored = await self._files.store_upload(
            ctx.tenant_id, LOGO_AREA, self._ids.new_id(), source, logo=True
        )
        replaced: list[StoredFile] = []

        async def command(uow: UnitOfWork) -> Brand:
            self._access.require(ctx, CATALOG_WRITE)
            brand = await load_brand(uow, brand_id)
            check_version(expected_version, brand.version)
            before, read_version = _logo_fields(brand.logo), brand.version
            old = brand.set_logo(stored)
            if old is not None:
                replaced.append(old)
            await self._record(uow, brand, read_version, before, "brand.logo_set")
            return brand

        try:
            brand = await self._runner.run(
                ctx, "brand.logo_set", ENTITY, command, entity_id=brand_id
            )
        except BaseException:
            await self._files.discard(ctx.tenant_id, LOGO_AREA, stored)
            raise
        for old in replaced:
            await self._files.discard(ctx.tenant_id, LOGO_AREA, old)
        return brand

    async def remove_logo(
        self, ctx: CallContext, brand_id: UUID, expected_version: int | None
    ) -> Brand:
        removed: list[StoredFile] = []

        async def command(uow: UnitOfWork) -> Brand:
            self._access.require(ctx, CATALOG_WRITE)
            brand = await load_brand(uow, brand_id)
            check_version(expected_version, brand.version)
            before, read_version = _logo_fields(brand.logo), brand.version
            old = brand.remove_logo()
            if old is None:
                return brand  # no logo: nothing changes, nothing is recorded
            removed.append(old)
            await self._record(uow, brand, read_version, before, "brand.logo_remove")
            return brand

        brand = await self._runner.run(
            ctx, "brand.logo_remove", ENTITY, command, entity_id=brand_id
        )
        for old in removed:
            await self._files.discard(ctx.tenant_id, LOGO_AREA, old)
        return brand

    async def _record(
        self,
        uow: UnitOfWork,
        brand: Brand,
        read_version: int,
        before: dict[str, object],
        action: str,
    ) -> None:
        await uow.of(CATALOG).brands.save(brand, read_version, self._clock.now())
        await uow.audit.record(
            AuditEntry(
                action,
                ENTITY,
                brand.id,
                changes=diff(before, _logo_fields(brand.logo)),
                detail={"version": brand.version},
            )
        )
        await uow.outbox.add(
            DomainEvent("brand.updated", ENTITY, brand.id, changed_fields=("logo",))
        )

    async def logo(self, ctx: CallContext, brand_id: UUID, rendition: Rendition) -> FileContent:
        async def read(uow: UnitOfWork) -> Brand:
            self._access.require(ctx, CATALOG_READ)
            return await load_brand(uow, brand_id)

        brand = await self._runner.query(ctx, read)
        if brand.logo is None:
            raise NotFound(entity="logo")
        return await self._files.content(ctx.tenant_id, LOGO_AREA, brand.logo, rendition)
