"""What setting and removing a brand's logo share (CAT-6): a logo change is a change of
the brand (its version and ETag move, If-Match required)."""

from __future__ import annotations

from application.catalog.ports.store import CATALOG
from application.shared.clock import Clock
from application.shared.use_case import Work
from domain.catalog.brand import Brand
from domain.catalog.media import StoredFile


def logo_fields(logo: StoredFile | None) -> dict[str, object]:
    if logo is None:
        return {}
    return {"logo.contentType": logo.content_type, "logo.byteSize": logo.byte_size}


async def save_logo_change(
    work: Work, clock: Clock, brand: Brand, read_version: int, before: dict[str, object]
) -> None:
    await work.uow.of(CATALOG).brands.save(brand, read_version, clock.now())
    work.audit(brand.id, before, logo_fields(brand.logo), detail={"version": brand.version})
    work.publish(brand)
