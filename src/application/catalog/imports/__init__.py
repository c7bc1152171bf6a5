"""Bulk import of catalog files (CAT-2): one file per use case, the jobs in ``jobs``,
gathered by ``CatalogImports``."""

from application.catalog.imports.common import (
    CHECK_KIND,
    COMMIT_KIND,
    MAX_FILE_BYTES,
    ImportView,
)
from application.catalog.imports.service import CatalogImports
from application.shared.job_steps import actor_of

__all__ = [
    "CHECK_KIND",
    "COMMIT_KIND",
    "MAX_FILE_BYTES",
    "CatalogImports",
    "ImportView",
    "actor_of",
]
