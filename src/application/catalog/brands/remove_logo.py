"""Remove a brand's logo (CAT-6); no logo is no change."""

from __future__ import annotations

from uuid import UUID

from application.catalog.brands.common import load_brand
from application.catalog.brands.logo_common import logo_fields, save_logo_change
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.catalog.brand import Brand
from domain.catalog.media import StoredFile
from domain.catalog.permissions import CATALOG_WRITE


class RemoveLogo(Command[Brand], action="brand.logo_remove", permission=CATALOG_WRITE):
    brand_id: UUID
    expected_version: int | None


class RemoveLogoHandler:
    """One per call: ``removed`` holds the logo removed, whose files go after the commit."""

    def __init__(self) -> None:
        self.removed: StoredFile | None = None

    async def handle(self, command: RemoveLogo, work: Work) -> Brand:
        brand = await load_brand(work.uow, command.brand_id)
        check_version(command.expected_version, brand.version)
        before, read_version = logo_fields(brand.logo), brand.version
        self.removed = brand.remove_logo()
        if self.removed is None:
            return brand  # no logo: nothing changes, nothing is recorded
        await save_logo_change(work, work.clock, brand, read_version, before)
        return brand
