"""The permissions a custom role or an API key may be given, by module, as the settings
pages offer them."""

from __future__ import annotations

from itertools import groupby

from domain.identity.permissions import ALL_PERMISSIONS


def permission_groups() -> list[tuple[str, list[str]]]:
    """Every permission the service declares, by module (``orders:review`` → orders)."""
    ordered = sorted(ALL_PERMISSIONS)
    return [(group, list(items)) for group, items in groupby(ordered, lambda p: p.split(":")[0])]
