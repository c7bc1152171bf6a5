"""Warehouses and bins, gathered for the entrypoints."""

from __future__ import annotations

import builtins
from uuid import UUID

from application.inventory.warehouses.bins import AddBin, AddBinHandler, ListBins, ListBinsHandler
from application.inventory.warehouses.change import (
    CloseWarehouse,
    CloseWarehouseHandler,
    ReviseWarehouse,
    ReviseWarehouseHandler,
)
from application.inventory.warehouses.open import OpenWarehouse, OpenWarehouseHandler
from application.inventory.warehouses.queries import (
    GetWarehouse,
    GetWarehouseHandler,
    ListWarehouses,
    ListWarehousesHandler,
)
from application.shared.clock import Clock, IdGenerator
from application.shared.context import CallContext
from application.shared.pagination import Page
from application.shared.runner import CommandRunner
from application.shared.use_case import runs
from domain.inventory.warehouse import Bin, Warehouse


class WarehouseService:
    def __init__(self, runner: CommandRunner, clock: Clock, ids: IdGenerator) -> None:
        self._runner = runner
        self._open = OpenWarehouseHandler(clock, ids)
        self._revise = ReviseWarehouseHandler(clock)
        self._close = CloseWarehouseHandler(clock)
        self._add_bin = AddBinHandler(clock, ids)

    @runs(OpenWarehouse)
    async def open(self, ctx: CallContext, command: OpenWarehouse) -> Warehouse:
        return await self._runner.run(ctx, command, self._open)

    @runs(ReviseWarehouse)
    async def revise(self, ctx: CallContext, command: ReviseWarehouse) -> Warehouse:
        return await self._runner.run(ctx, command, self._revise)

    @runs(CloseWarehouse)
    async def close(
        self, ctx: CallContext, warehouse_id: UUID, expected_version: int | None
    ) -> Warehouse:
        return await self._runner.run(
            ctx, CloseWarehouse(warehouse_id, expected_version), self._close
        )

    @runs(GetWarehouse)
    async def get(self, ctx: CallContext, warehouse_id: UUID) -> Warehouse:
        return await self._runner.query(ctx, GetWarehouse(warehouse_id), GetWarehouseHandler())

    @runs(ListWarehouses)
    async def list(
        self, ctx: CallContext, cursor: str | None, limit: int | None
    ) -> Page[Warehouse]:
        return await self._runner.query(ctx, ListWarehouses(cursor, limit), ListWarehousesHandler())

    @runs(AddBin)
    async def add_bin(self, ctx: CallContext, command: AddBin) -> Bin:
        return await self._runner.run(ctx, command, self._add_bin)

    @runs(ListBins)
    async def bins(self, ctx: CallContext, warehouse_id: UUID) -> builtins.list[Bin]:
        return await self._runner.query(ctx, ListBins(warehouse_id), ListBinsHandler())
