"""What the import use cases and jobs share: the record's statuses, its loading, and the
job that carries each step."""

from __future__ import annotations

from uuid import UUID

from application.catalog.ports.files import ImportRecord
from application.catalog.ports.store import CATALOG
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.file_imports import FileImportView
from application.shared.job import Job
from application.shared.job_steps import new_job as new_file_job
from application.shared.unit_of_work import UnitOfWork
from domain.shared.errors import NotFound

IMPORT_ENTITY = "catalog_import"
CHECK_KIND = "catalog.import_check"
COMMIT_KIND = "catalog.import_commit"

ImportView = FileImportView[ImportRecord]


def new_job(clock: Clock, ids: IdGenerator, ctx: CallContext, kind: str, import_id: UUID) -> Job:
    return new_file_job(clock, ids, ctx, kind, {"import_id": str(import_id)})


async def load_import(
    uow: UnitOfWork,
    import_id: UUID,
    *,
    for_update: bool = False,
    with_content: bool = False,
) -> ImportRecord:
    record = await uow.of(CATALOG).catalog_files.get_import(
        import_id, for_update=for_update, with_content=with_content
    )
    if record is None:
        raise NotFound(entity=IMPORT_ENTITY)
    return record
