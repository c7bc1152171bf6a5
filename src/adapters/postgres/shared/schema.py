"""Every table the modules describe: each ``adapters.postgres.**.tables`` module, found by
walking the package (so a new module's tables.py is picked up without a central list).

Alembic's env (``target_metadata``, for ``alembic revision --autogenerate``) and the test
that compares the migrated database with the metadata
(tests/integration/platform/test_schema_metadata.py) both start here.
"""

from __future__ import annotations

import importlib
import pkgutil

from sqlalchemy import MetaData

import adapters.postgres
from adapters.postgres.shared.metadata import metadata


def tables_modules() -> list[str]:
    """The dotted names of every ``tables`` module under ``adapters.postgres``."""
    return sorted(
        found.name
        for found in pkgutil.walk_packages(adapters.postgres.__path__, "adapters.postgres.")
        if found.name.rpartition(".")[2] == "tables"
    )


def described_metadata() -> MetaData:
    """The shared metadata with every module's tables imported onto it."""
    for name in tables_modules():
        importlib.import_module(name)
    return metadata
