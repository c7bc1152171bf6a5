"""The catalog import and export jobs (CAT-2, docs/catalog.md "Bulk import and export").

``POST /api/v1/catalog/imports``, ``.../commit`` and ``POST /api/v1/catalog/exports``
enqueue them. Each runs its job to the end: progress lives in the job row, a redelivered
message finds the job succeeded and returns, and a commit killed half-way left nothing
behind, so a retry simply runs it again.
"""

from __future__ import annotations

from application.catalog.exports import EXPORT_KIND, CatalogExports
from application.catalog.imports import CHECK_KIND, COMMIT_KIND, CatalogImports
from bootstrap import Container
from entrypoints.reports.catalog_export import CatalogSheetLabels
from entrypoints.worker.tasks import TaskMessage, job_of, register

# A 100,000-SKU commit takes minutes on a small machine: more than dramatiq's default.
TIME_LIMIT_MS = 60 * 60 * 1000


@register(CHECK_KIND, time_limit_ms=TIME_LIMIT_MS)
async def check_import(container: Container, message: TaskMessage) -> None:
    await container.get(CatalogImports).run_check(*job_of(message))


@register(COMMIT_KIND, time_limit_ms=TIME_LIMIT_MS)
async def commit_import(container: Container, message: TaskMessage) -> None:
    await container.get(CatalogImports).run_commit(*job_of(message))


@register(EXPORT_KIND, time_limit_ms=TIME_LIMIT_MS)
async def export_catalog(container: Container, message: TaskMessage) -> None:
    await container.get(CatalogExports).run(*job_of(message), CatalogSheetLabels())
