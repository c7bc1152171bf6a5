"""The platform's own entries for the tenant-isolation route table (lists of shared tables)."""

from __future__ import annotations

from tests.e2e.platform.isolation import EntityRoute, Maker

ROUTES: dict[str, EntityRoute] = {}
LISTS = ["/api/v1/audit"]
LIST_MAKERS: tuple[Maker, ...] = ()
