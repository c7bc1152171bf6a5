"""Optimistic locking, the same for every entity (HTTP: ETag / If-Match)."""

from __future__ import annotations

from domain.shared.errors import StaleVersion, VersionRequired


def check_version(expected: int | None, actual: int) -> None:
    """Called after the entity is loaded, so another tenant's id is a 404 whatever If-Match
    says; then a missing version is 428 and a stale one 412."""
    if expected is None:
        raise VersionRequired()
    if expected != actual:
        raise StaleVersion(expected=expected, actual=actual)
