"""``OrderImports``: the order-file import's requests (commands through the dispatcher)
and its jobs, gathered as ``StockImports`` gathers the opening-stock import's."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from application.catalog.ports.store import CATALOG
from application.orders.channels.imports.commands import (
    CommitOrderImport,
    GetOrderImport,
    UploadOrderImport,
)
from application.orders.channels.imports.common import CHECK_KIND, COMMIT_KIND, OrderImportView
from application.orders.channels.imports.jobs import OrderImportJobs
from application.orders.channels.ports import OrderFiles
from application.orders.channels.taking import ChannelOrders
from application.shared.access_policy import AccessPolicy
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.file_imports import FileImportService
from application.shared.messaging import TaskQueue
from application.shared.unit_of_work import UnitOfWorkFactory
from application.shared.use_case import runs
from application.shared.use_cases import UseCases
from domain.shared.errors import NotFound
from domain.shared.file_rows import RowError


class OrderImports(FileImportService):
    def __init__(
        self,
        use_cases: UseCases,
        uow_factory: UnitOfWorkFactory,
        files: OrderFiles,
        taking: ChannelOrders,
        tasks: TaskQueue,
        access: AccessPolicy,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        jobs = OrderImportJobs(uow_factory, files, taking, access, clock, ids)
        super().__init__(jobs, tasks, CHECK_KIND, COMMIT_KIND)
        self._use_cases = use_cases
        self._uow_factory = uow_factory

    async def channel_by_code(self, ctx: CallContext, code: str) -> UUID:
        """The tenant's sales channel of ``code`` (the CLI names channels by code)."""
        async with self._uow_factory.for_tenant(ctx) as uow:
            found = await uow.of(CATALOG).channels.by_code(code)
        if found is None:
            raise NotFound(entity="sales_channel")
        return found.id

    @runs(UploadOrderImport)
    async def upload(
        self,
        ctx: CallContext,
        channel_id: UUID,
        file_name: str,
        content: bytes,
        *,
        enqueue: bool = True,
    ) -> OrderImportView:
        """Store the file and start its check (the dry run)."""
        view = await self._use_cases.run(ctx, UploadOrderImport(channel_id, file_name, content))
        return await self._checking(ctx, view, enqueue)

    @runs(CommitOrderImport)
    async def commit(
        self,
        ctx: CallContext,
        import_id: UUID,
        valid_only: bool,
        expected_version: int | None,
        *,
        enqueue: bool = True,
    ) -> OrderImportView:
        view = await self._use_cases.run(
            ctx, CommitOrderImport(import_id, valid_only, expected_version)
        )
        return await self._committing(ctx, view, enqueue)

    @runs(GetOrderImport)
    async def get(self, ctx: CallContext, import_id: UUID) -> OrderImportView:
        return await self._use_cases.query(ctx, GetOrderImport(import_id))

    @runs(GetOrderImport)
    async def errors(self, ctx: CallContext, import_id: UUID) -> Sequence[RowError]:
        return (await self.get(ctx, import_id)).record.errors
