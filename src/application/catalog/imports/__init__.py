"""Bulk import of catalog files (CAT-2): one file per use case, the jobs in ``jobs``,
gathered by ``CatalogImports``."""

from application.catalog.imports.common import CHECK_KIND, COMMIT_KIND, ImportView
from application.catalog.imports.service import CatalogImports
from application.shared.file_imports import MAX_FILE_BYTES
from application.shared.job_steps import actor_of

__all__ = [
    "CHECK_KIND",
    "COMMIT_KIND",
    "MAX_FILE_BYTES",
    "CatalogImports",
    "ImportView",
    "actor_of",
]
