"""Set (replace) a brand's logo (CAT-6): an image only, checked and thumbnailed like
product images before the transaction (``CheckLogoChange`` first, audited as this command
when refused)."""

from __future__ import annotations

from uuid import UUID

from application.catalog.brands.common import load_brand
from application.catalog.brands.logo_common import logo_fields, save_logo_change
from application.shared.use_case import Command, Query, Reading, Work
from application.shared.versions import check_version
from domain.catalog.brand import Brand
from domain.catalog.media import StoredFile
from domain.catalog.permissions import CATALOG_WRITE


class CheckLogoChange(Query[None], action="brand.logo_set", permission=CATALOG_WRITE):
    """The pre-check of a logo upload: its permission, the brand and its version."""

    brand_id: UUID
    expected_version: int | None


class CheckLogoChangeHandler:
    async def handle(self, query: CheckLogoChange, reading: Reading) -> None:
        brand = await load_brand(reading.uow, query.brand_id)
        check_version(query.expected_version, brand.version)


class SetLogo(Command[Brand], action="brand.logo_set", permission=CATALOG_WRITE):
    brand_id: UUID
    logo: StoredFile
    expected_version: int | None


class SetLogoHandler:
    """One per call: ``replaced`` holds the logo it replaced, whose files go after the
    commit."""

    def __init__(self) -> None:
        self.replaced: StoredFile | None = None

    async def handle(self, command: SetLogo, work: Work) -> Brand:
        brand = await load_brand(work.uow, command.brand_id)
        check_version(command.expected_version, brand.version)
        before, read_version = logo_fields(brand.logo), brand.version
        self.replaced = brand.set_logo(command.logo)
        await save_logo_change(work, work.clock, brand, read_version, before)
        return brand
