"""Bulk import of catalog files (CAT-2): one file per use case, the jobs in ``jobs``,
gathered by ``CatalogImports``."""

from application.catalog.imports.common import (
    CHECK_KIND,
    COMMIT_KIND,
    MAX_FILE_BYTES,
    ImportView,
    actor_of,
)
from application.catalog.imports.service import CatalogImports

__all__ = [
    "CHECK_KIND",
    "COMMIT_KIND",
    "MAX_FILE_BYTES",
    "CatalogImports",
    "ImportView",
    "actor_of",
]
