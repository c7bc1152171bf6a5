"""Where encrypted columns live, found without a central list (PLT-4).

A module whose tables hold encrypted columns declares them in
``adapters/postgres/<module>/encrypted.py`` as ``SOURCES`` (the kernel's in
``adapters/postgres/shared/encrypted.py``); key rotation walks every source
found here. A test fails while any ``*_enc`` column of the database is in no source.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from uuid import UUID

from sqlalchemy import Table


@dataclass(frozen=True)
class EncryptedSource:
    """A table with encrypted columns: its key, and each column's logical field name (the
    one the owning adapter binds into the associated data, with the row id)."""

    name: str
    rows: Table
    key_column: str
    columns: tuple[tuple[str, str], ...]  # (column, logical field)
    row_of: Callable[[str], UUID]  # the row id bound into the associated data

    @property
    def table(self) -> str:
        return self.rows.name


@cache
def encrypted_sources() -> tuple[EncryptedSource, ...]:
    import adapters.postgres as package

    found: list[EncryptedSource] = []
    # Modules by name, then the shared kernel's own (stored idempotent responses).
    packages = sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name)
    for info in sorted(packages, key=lambda i: i.name == "shared"):
        if not info.ispkg:
            continue
        name = f"{package.__name__}.{info.name}.encrypted"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        found.extend(module.SOURCES)
    names = [source.name for source in found]
    if len(names) != len(set(names)):
        raise RuntimeError(f"encrypted sources named twice: {names}")
    return tuple(found)
