"""Upload an order file for a channel, ask for its commit, read it (ORD-9, CHN-2). Like
the catalog import: the upload starts the check job (the dry run); the commit of a file
with errors takes nothing unless ``valid_only``; asking again returns the same record."""

from __future__ import annotations

import functools
from uuid import UUID

from application.orders.channels.imports.common import (
    CHECK_KIND,
    COMMIT_KIND,
    ENTITY,
    OrderImportView,
    load_order_import,
)
from application.orders.channels.intake import channel_ref
from application.orders.channels.ports import ORDER_CHANNELS, OrderImportRecord, PlatformOrder
from application.orders.channels.taking import ChannelOrders, Taken
from application.shared.file_imports import start_check, start_commit, uploaded_format, view_of
from application.shared.use_case import Command, Query, Reading, Work
from domain.orders.permissions import ORDERS_IMPORT
from domain.orders.state import ENTITY as ORDER

FORMATS = ("csv", "xlsx", "json")


class UploadOrderImport(
    Command[OrderImportView], action="order_import.upload", entity=ENTITY, permission=ORDERS_IMPORT
):
    channel_id: UUID
    file_name: str
    content: bytes


class UploadOrderImportHandler:
    async def handle(self, command: UploadOrderImport, work: Work) -> OrderImportView:
        fmt = uploaded_format(command.file_name, command.content, FORMATS)
        await channel_ref(work.uow, command.channel_id)  # 404 for another tenant's channel
        return await start_check(
            work,
            command.file_name,
            command.content,
            fmt,
            CHECK_KIND,
            functools.partial(OrderImportRecord, channel_id=command.channel_id),
            work.uow.of(ORDER_CHANNELS).imports.add,
            {"channelId": str(command.channel_id)},
        )


class CommitOrderImport(
    Command[OrderImportView],
    action="order_import.commit",
    entity=ENTITY,
    permission=ORDERS_IMPORT,
    target="import_id",
):
    import_id: UUID
    valid_only: bool
    expected_version: int | None


class ImportChannelOrders(
    Command[Taken], action="order.channel_import", entity=ORDER, permission=ORDERS_IMPORT
):
    """A batch of a checked file's orders taken through the channel intake, inside the
    commit job's transaction (``OrderImportJobs``); its audit records say
    ``order.channel_import``."""

    import_id: UUID
    channel_id: UUID
    orders: tuple[PlatformOrder, ...]


class ImportChannelOrdersHandler:
    """Run by the commit job with the job's own unit of work (the whole file commits at
    once), not through the dispatcher."""

    def __init__(self, taking: ChannelOrders) -> None:
        self._taking = taking

    async def handle(self, command: ImportChannelOrders, work: Work) -> Taken:
        return await self._taking.take(work, command.channel_id, command.orders)


class CommitOrderImportHandler:
    async def handle(self, command: CommitOrderImport, work: Work) -> OrderImportView:
        record = await load_order_import(work.uow, command.import_id, for_update=True)
        return await start_commit(
            work,
            record,
            command.valid_only,
            command.expected_version,
            COMMIT_KIND,
            work.uow.of(ORDER_CHANNELS).imports.save,
        )


class GetOrderImport(
    Query[OrderImportView], entity=ENTITY, permission=ORDERS_IMPORT, target="import_id"
):
    import_id: UUID


class GetOrderImportHandler:
    async def handle(self, query: GetOrderImport, reading: Reading) -> OrderImportView:
        return await view_of(reading.uow, await load_order_import(reading.uow, query.import_id))
