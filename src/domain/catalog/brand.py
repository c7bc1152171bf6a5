"""Brands (CAT-6): a name, unique in the tenant (compared by ``name_key``: NFKC,
case-folded, whitespace collapsed), so that files can name a product's brand; optionally a
logo, an image checked like product images (``domain.catalog.media``)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.catalog.checks import FieldChecks
from domain.catalog.media import MediaKind, StoredFile
from domain.shared.events import DomainEvent, RecordsEvents

ENTITY = "brand"

MAX_BRAND_NAME_LENGTH = 100


def check_brand_name(name: str) -> str:
    check = FieldChecks()
    clean = check.text("name", name, MAX_BRAND_NAME_LENGTH, required=True)
    check.raise_if_failed()
    assert clean is not None
    return clean


@dataclass
class Brand(RecordsEvents):
    """Records ``brand.created`` and ``brand.updated`` (with the field that changed)."""

    id: UUID
    name: str
    version: int = 1
    logo: StoredFile | None = None

    @classmethod
    def create(cls, brand_id: UUID, name: str) -> Brand:
        brand = cls(brand_id, check_brand_name(name))
        brand.record_event(DomainEvent("brand.created", ENTITY, brand_id))
        return brand

    def rename(self, name: str) -> bool:
        """Returns whether anything changed; the adapter enforces the tenant-unique name."""
        clean = check_brand_name(name)
        if clean == self.name:
            return False
        self.name = clean
        self.version += 1
        self._updated("name")
        return True

    def set_logo(self, logo: StoredFile) -> StoredFile | None:
        """Replaces the logo; returns the one replaced (its files are removed after commit)."""
        if logo.kind is not MediaKind.IMAGE:
            # guard: the logo upload is stored as an image or refused (unsupported_file_type)
            raise ValueError("a logo is an image")
        old, self.logo = self.logo, logo
        self.version += 1
        self._updated("logo")
        return old

    def remove_logo(self) -> StoredFile | None:
        """Returns the logo removed; None (and no change) when there was none."""
        old = self.logo
        if old is not None:
            self.logo = None
            self.version += 1
            self._updated("logo")
        return old

    def _updated(self, field: str) -> None:
        self.record_event(DomainEvent("brand.updated", ENTITY, self.id, changed_fields=(field,)))
