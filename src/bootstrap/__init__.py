"""The composition root (``bootstrap.container``), its settings (``bootstrap.settings``)
and every module's registration (``bootstrap/modules``).

The package itself imports nothing: a command's ``--help`` reads ``bootstrap.settings``
without loading the container, SQLAlchemy, Redis or the modules (#9, item 19). The
container's names are still reached here — ``from bootstrap import Container`` — and
imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bootstrap.container import Container as Container
    from bootstrap.container import ModuleRegistration as ModuleRegistration
    from bootstrap.container import build_container as build_container
    from bootstrap.container import check_database as check_database

__all__ = ["Container", "ModuleRegistration", "build_container", "check_database"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from bootstrap import container

        return getattr(container, name)
    raise AttributeError(f"module 'bootstrap' has no attribute {name!r}")
