"""How the unit of work finds each module's store without a central list.

Every module that keeps tables has ``adapters/postgres/<module>/store.py`` with ``KEY`` (the
module's ``StoreKey``, from its application ports) and ``build(parts)`` (its repositories on
the unit of work's connection). ``discover_stores`` walks this package for them once.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.postgres.shared.unreadable import UnreadableValues
from application.shared.field_cipher import FieldCipher
from application.shared.unit_of_work import StoreKey


@dataclass(frozen=True)
class StoreParts:
    """What a module's repositories are built from: the transaction's connection, its
    tenant and the field cipher (for personal data), and where values that do not decrypt
    are noted (``unreadable.py``)."""

    connection: AsyncConnection
    tenant_id: UUID
    cipher: FieldCipher
    unreadable: UnreadableValues = field(default_factory=UnreadableValues)


StoreBuilder = Callable[[StoreParts], Any]


@cache
def discover_stores() -> Mapping[StoreKey[Any], StoreBuilder]:
    import adapters.postgres as package

    builders: dict[StoreKey[Any], StoreBuilder] = {}
    for info in pkgutil.iter_modules(package.__path__):
        if not info.ispkg:
            continue
        try:
            module = importlib.import_module(f"{package.__name__}.{info.name}.store")
        except ModuleNotFoundError as error:
            if error.name != f"{package.__name__}.{info.name}.store":
                raise
            continue
        key: StoreKey[Any] = module.KEY
        if key in builders:
            raise RuntimeError(f"two stores registered for {key!r}")
        builders[key] = module.build
    return builders
