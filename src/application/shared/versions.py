"""Optimistic locking, the same for every entity (HTTP: ETag / If-Match).

A caller names the version it read (``expected``); the command goes ahead only if that is
still the stored one. HTTP's If-Match may also name several versions (a list) or any
(``*``, RFC 9110 §13.1.1): ``VersionChoice`` carries those through the same ``int``
parameter every command already has, and ``check_version`` is the one place that reads it.
"""

from __future__ import annotations

from domain.shared.errors import StaleVersion, VersionRequired


class VersionChoice(int):
    """Several acceptable versions (``versions``), or any (``versions`` None, If-Match
    ``*``). As an ``int`` it is its lowest version (0 for any), which only error messages
    show; what matters is ``matches``."""

    versions: frozenset[int] | None

    def __new__(cls, versions: frozenset[int] | None) -> VersionChoice:
        choice = super().__new__(cls, min(versions) if versions else 0)
        choice.versions = versions
        return choice

    def matches(self, actual: int) -> bool:
        return self.versions is None or actual in self.versions


ANY_VERSION = VersionChoice(None)


def accepts(expected: int, actual: int) -> bool:
    """Whether a version named by a request (one, several or any) takes in ``actual``."""
    return expected.matches(actual) if isinstance(expected, VersionChoice) else expected == actual


def check_version(expected: int | None, actual: int) -> None:
    """Called after the entity is loaded, so another tenant's id is a 404 whatever If-Match
    says; then a missing version is 428 and a stale one 412 (which names the current
    version, so HTTP can send its ETag)."""
    if expected is None:
        raise VersionRequired()
    if not accepts(expected, actual):
        raise StaleVersion(expected=int(expected), actual=actual)
