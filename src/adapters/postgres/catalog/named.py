"""The columns every named taxonomy row writes alike (brands, categories, product types):
its name with the key that makes it unique, its version and its time stamps."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from domain.catalog.checks import name_key


class Named(Protocol):
    @property
    def id(self) -> UUID: ...
    @property
    def name(self) -> str: ...
    @property
    def version(self) -> int: ...


def new_named_row(entity: Named, at: datetime) -> dict[str, Any]:
    """The values of a new row: its id, then what ``changed_named_row`` writes, created now."""
    return {"id": entity.id, **changed_named_row(entity, at), "created_at": at}


def changed_named_row(entity: Named, at: datetime) -> dict[str, Any]:
    """The values a change writes: the name and its key, the new version, the time."""
    return {
        "name": entity.name,
        "name_key": name_key(entity.name),
        "version": entity.version,
        "updated_at": at,
    }
