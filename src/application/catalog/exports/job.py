"""The export job (CAT-2): writes every product that is not archived, in the one layout
of ``domain.catalog.file_layout``, as CSV or XLSX; the file is kept with the export record
until it is downloaded. An export re-imports with no change at all. Progress is committed
in transactions of its own, beside the reading one.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from application.catalog.exports.common import DONE, EXPORT_ENTITY, EXPORT_KIND
from application.catalog.ports.files import ExportRecord, SheetFormat, SheetLabels, TableFiles
from application.catalog.ports.store import CATALOG
from application.catalog.whole_lists import all_rows, categories, category_paths, product_types
from application.jobs.ports import JOBS
from application.shared.clock import Clock
from application.shared.context import Actor, ActorKind, CallContext
from application.shared.job import Job
from application.shared.job_steps import JobSteps, actor_of
from application.shared.unit_of_work import UnitOfWork, UnitOfWorkFactory
from domain.catalog.export_rows import export_rows
from domain.catalog.file_layout import column_kind, export_header
from domain.catalog.product import Product
from domain.shared.errors import NotFound

READ_BATCH = 500
DEFAULT_LANGUAGE = "zh-CN"  # an export started before exports recorded their language


class ExportJob:
    def __init__(self, uow_factory: UnitOfWorkFactory, tables: TableFiles, clock: Clock) -> None:
        self._uow_factory = uow_factory
        self._tables = tables
        self._clock = clock
        self._steps = JobSteps(uow_factory, clock, EXPORT_KIND)

    async def run(self, tenant_id: UUID, job_id: UUID, labels: SheetLabels | None = None) -> Job:
        """Write the export's file; ``labels`` name the XLSX sheet and label its header in
        the language the export was asked in (without them: the column codes alone)."""
        probe = CallContext(tenant_id, Actor(ActorKind.SYSTEM, EXPORT_KIND), frozenset())
        async with self._uow_factory.for_tenant(probe) as uow:
            job = await uow.of(JOBS).jobs.get(job_id, for_update=True)
            if job is None:
                raise NotFound(entity="job")
            if job.succeeded:
                return job
            job.start(self._clock.now())
            job.done, job.total = 0, None
            await uow.of(JOBS).jobs.save(job)
            await uow.commit()
        ctx = CallContext(tenant_id, actor_of(job.created_by), frozenset())
        try:
            async with self._uow_factory.for_tenant(ctx) as uow:
                record = await uow.of(CATALOG).catalog_files.get_export(
                    UUID(job.parameters["export_id"])
                )
                if record is None:
                    raise NotFound(entity=EXPORT_ENTITY)
                products = await self._products(uow, ctx, job)
                record.content = await self._file(uow, record, products, self._sheet(job, labels))
                record.status, record.products = DONE, len(products)
                record.finished_at = self._clock.now()
                await uow.of(CATALOG).catalog_files.save_export(record)
                return await self._steps.succeed(uow, job, len(products))
        except Exception as error:
            await self._steps.fail(ctx, job, error)
            raise

    async def _products(self, uow: UnitOfWork, ctx: CallContext, job: Job) -> list[Product]:
        """Every product not archived, in batches; progress after each batch."""
        products: list[Product] = []
        after: UUID | None = None
        while True:
            batch = await uow.of(CATALOG).catalog_files.export_batch(after, READ_BATCH)
            products.extend(batch)
            async with self._uow_factory.for_tenant(ctx) as progress:
                job.done, job.updated_at = len(products), self._clock.now()
                await progress.of(JOBS).jobs.save(job)
                await progress.commit()
            if len(batch) < READ_BATCH:
                return products
            after = batch[-1].id

    @staticmethod
    def _sheet(job: Job, labels: SheetLabels | None) -> Callable[[list[str]], SheetFormat]:
        language = job.parameters.get("language", DEFAULT_LANGUAGE)

        def sheet(header: list[str]) -> SheetFormat:
            kinds = [column_kind(c) for c in header]
            if labels is None:
                return SheetFormat(name="", kinds=kinds)
            named = [labels.column_label(c, language) for c in header]
            return SheetFormat(labels.sheet_name(language), kinds, named)

        return sheet

    async def _file(
        self,
        uow: UnitOfWork,
        record: ExportRecord,
        products: list[Product],
        sheet: Callable[[list[str]], SheetFormat],
    ) -> bytes:
        types = {t.id: t for t in await product_types(uow)}
        paths = category_paths(await categories(uow))
        brands = {b.id: b.name for b in await all_rows(uow.of(CATALOG).brands.page)}
        codes = sorted(
            {code for p in products for code in p.details.attributes}
            | {code for p in products for s in p.skus for code in s.axis_values}
        )
        rows = [export_header(codes, include_cost=record.include_cost)]
        for product in products:
            d = product.details
            rows.extend(
                export_rows(
                    product,
                    product_type=types.get(d.product_type_id) if d.product_type_id else None,
                    category_path=paths.get(d.category_id, []) if d.category_id else [],
                    brand_name=brands.get(d.brand_id) if d.brand_id else None,
                    attribute_codes=codes,
                    include_cost=record.include_cost,
                )
            )
        return self._tables.write(rows, record.format, sheet(rows[0]))
