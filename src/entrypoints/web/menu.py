"""The navigation: each module's pages declare their entries (``MENU`` in the module's
package), each with the permission its page's use case declares, so a menu shows only what
the signed-in role may do and never says so twice."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import cast

from application.shared.use_case import SIGNED_IN, permission_of
from entrypoints.routers import exported


@dataclass(frozen=True)
class MenuItem:
    label: str  # a console message id: "nav.orders"
    href: str
    runs: object  # the use case the page runs first: its permission decides who sees it
    order: int = 100

    @property
    def permission(self) -> str | None:
        permission = permission_of(self.runs)
        if permission is None:
            raise LookupError(f"{self.runs!r} names no use case")
        return None if permission == SIGNED_IN else permission

    def allowed(self, permissions: frozenset[str]) -> bool:
        needed = self.permission
        return needed is None or needed in permissions


@cache
def menu() -> tuple[MenuItem, ...]:
    """Every module's entries, in their order."""
    import entrypoints.web as package

    declared = cast(list[tuple[MenuItem, ...]], exported(package, "MENU"))
    found = [item for entries in declared for item in entries]
    return tuple(sorted(found, key=lambda item: (item.order, item.href)))


def menu_for(permissions: frozenset[str]) -> list[MenuItem]:
    return [item for item in menu() if item.allowed(permissions)]
