"""How the fake unit of work finds each module's fake store without a central list, as
``adapters/postgres/shared/stores.py`` does for the Postgres one.

Every module with a fake store declares, in its own ``tests/fakes/<module>.py`` (or
``tests/fakes/<module>/__init__.py``), ``FAKE = FakeStore(KEY, Tables, build)``: its
``StoreKey``, the dataclass of its tables (made empty by calling it, copied by ``copy()``)
and how its store is built from those tables and the unit of work's parts.
``discover_fakes`` walks this package for them once; a tenant's tables are then named by
the module (``db.tenant(t).catalog``).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Generic, Protocol, Self, TypeVar
from uuid import UUID

from application.shared.field_cipher import FieldCipher
from application.shared.unit_of_work import StoreKey

if TYPE_CHECKING:
    from tests.fakes.identity import DirectoryTables


class Tables(Protocol):
    def copy(self) -> Self: ...


class FakeParts(Protocol):
    """What a fake store may be built from besides its own tables (the fake unit of work)."""

    @property
    def tenant_id(self) -> UUID: ...

    @property
    def cipher(self) -> FieldCipher: ...

    @property
    def directory(self) -> DirectoryTables: ...


S = TypeVar("S")
Tb = TypeVar("Tb", bound=Tables)


@dataclass(frozen=True)
class FakeStore(Generic[S, Tb]):
    key: StoreKey[S]
    tables: Callable[[], Tb]
    build: Callable[[Tb, FakeParts], S]

    def store(self, tables: Tables, parts: FakeParts) -> S:
        """Builds the store from this module's tables as the unit of work holds them."""
        return self.build(tables, parts)  # type: ignore[arg-type]


@cache
def discover_fakes() -> Mapping[str, FakeStore[Any, Any]]:
    """Each module's ``FAKE``, by the module's name, in name order."""
    import tests.fakes as package

    found: dict[str, FakeStore[Any, Any]] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        fake = getattr(module, "FAKE", None)
        if not isinstance(fake, FakeStore):
            continue
        if any(other.key == fake.key for other in found.values()):
            raise RuntimeError(f"two fake stores registered for {fake.key!r}")
        found[info.name] = fake
    return found
